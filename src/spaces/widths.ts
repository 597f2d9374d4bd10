/**
 * The chapter-03 width genome (n1, n2, n3) of an MLP on the digits, as a search space: every
 * strategy runs on it, and it knows the network a genome stands for and its size.
 */
import { checkArray, checkInt, describe } from '../core/checks';
import type { Rng } from '../core/rng';
import type { MlpArch } from '../tensor/arch';
import { archCost } from '../tensor/cost';
import type { CategoricalSpace, GeneSpace } from './types';

/** The digits images: 8×8 pixels, one channel, 10 classes. */
const DIGITS_SHAPE = { inputShape: [8, 8, 1], numClasses: 10 };

/** Options of {@link widthSpace}. */
export interface WidthSpaceOptions {
  /** The widths a hidden layer may take, distinct (default 4, 8, 16, 32, 64: 125 genomes of three layers). */
  choices?: number[];
  /** Hidden layers (default 3: the genome (n1, n2, n3)). */
  layers?: number;
}

/** The width genome space with what chapter 03 measures: the MLP and its size. */
export interface WidthSpace extends CategoricalSpace<number[]>, GeneSpace<number[]> {
  readonly choices: readonly number[];
  readonly layers: number;
  /** The MLP of a genome: hidden layers of widths n1, n2, ... */
  arch(genome: readonly number[]): MlpArch;
  /** Trainable parameters of the genome's MLP on the digits (64 inputs, 10 classes), from `archCost`. */
  params(genome: readonly number[]): number;
}

/**
 * The chapter-03 genome x = (n1, n2, n3): one width per hidden layer, each from `choices`.
 * Genes are indices into `choices`; neighbours change one layer's width.
 * @param opts `{ choices = [4, 8, 16, 32, 64], layers = 3 }`
 * @throws TypeError/RangeError for widths that are not distinct positive integers, or layers < 1
 * @example widthSpace().params([32, 16, 8]) // 64·32+32 + 32·16+16 + 16·8+8 + 8·10+10 = 2834
 */
export function widthSpace(opts: WidthSpaceOptions = {}): WidthSpace {
  const caller = 'widthSpace';
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be an object, got ${describe(opts)}`);
  const choices = checkArray<number>('choices', opts.choices ?? [4, 8, 16, 32, 64], { minLength: 1 }, caller).slice();
  choices.forEach((w, i) => checkInt(`choices[${i}]`, w, { min: 1 }, caller));
  if (new Set(choices).size !== choices.length) throw new RangeError(`${caller}: 'choices' must be distinct widths, got ${describe(choices)}`);
  choices.sort((a, b) => a - b);
  const layers = checkInt('layers', opts.layers ?? 3, { min: 1, max: 8 }, caller);
  const check = (genome: unknown, who: string): number[] => {
    if (!Array.isArray(genome) || genome.length !== layers || genome.some((w) => !choices.includes(w))) {
      throw new RangeError(`${who}: 'genome' must be ${layers} widths from ${describe(choices)}, got ${describe(genome)}`);
    }
    return genome as number[];
  };
  const encode = (genome: readonly number[]) => check(genome, 'widthSpace.encode').map((w) => choices.indexOf(w));
  const decode = (genes: readonly number[]) => {
    if (!Array.isArray(genes) || genes.length !== layers || genes.some((g) => !Number.isInteger(g) || g < 0 || g >= choices.length)) {
      throw new RangeError(`widthSpace.decode: 'genes' must be ${layers} integers in 0..${choices.length - 1}, got ${describe(genes)}`);
    }
    return genes.map((g) => choices[g]);
  };
  const all = (): number[][] => {
    const out: number[][] = [[]];
    for (let l = 0; l < layers; l++) out.splice(0, out.length, ...out.flatMap((head) => choices.map((w) => [...head, w])));
    return out;
  };
  return {
    choices,
    layers,
    sample: (rng: Rng) => Array.from({ length: layers }, () => rng.choice(choices)),
    neighbours: (genome) => {
      const g = check(genome, 'widthSpace.neighbours');
      return g.flatMap((w, l) => choices.filter((c) => c !== w).map((c) => g.map((x, i) => (i === l ? c : x))));
    },
    key: (genome) => check(genome, 'widthSpace.key').join('-'),
    candidates: all,
    encode,
    decode,
    cardinalities: () => Array.from({ length: layers }, () => choices.length),
    arch: (genome) => ({ kind: 'mlp', widths: check(genome, 'widthSpace.arch').slice() }),
    params: (genome) => archCost({ kind: 'mlp', widths: check(genome, 'widthSpace.params').slice() }, DIGITS_SHAPE).params,
  };
}

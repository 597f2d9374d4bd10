/**
 * Search-space adapters for the strategies: NAS-Bench-201's cells, and the chapter-03 width
 * genome (n1, n2, n3) of an MLP. Both are categorical and gene spaces, so every strategy runs on both.
 */
import { checkArray, checkInt, checkOneOf, describe } from '../core/checks';
import { archCost } from '../tensor/cost';
import type { MlpArch } from '../tensor/arch';
import type { Rng } from '../core/rng';
import {
  NB201_OPS,
  canonicalNb201Cell,
  nb201FromIndex,
  nb201Index,
  nb201Neighbours,
  nb201UniqueCells,
  nb201Cell,
  sampleNb201Cell,
  type Nb201Cell,
} from '../spaces/nb201';
import { NB201_SIZE } from '../spaces/nb201';
import type { CategoricalSpace, GeneSpace } from './types';

/** Options of {@link nb201Space}. */
export interface Nb201SpaceOptions {
  /**
   * 'none' (default): all 15625 cells are distinct points, as NAS-Bench-201 lists them.
   * 'canonical': cells computing the same function are one point (4930), represented by
   * `canonicalNb201Cell`, so a strategy never spends an evaluation on a duplicate.
   */
  dedupe?: 'none' | 'canonical';
}

/**
 * NAS-Bench-201's cell space for the search strategies: uniform sampling, one-edge neighbours,
 * keys by index, and each cell encoded as its 6 operation indices.
 * @param opts `{ dedupe: 'none' | 'canonical' }` (default 'none')
 * @throws RangeError for an unknown dedupe
 * @example nb201Space().candidates().length // 15625
 */
export function nb201Space(opts: Nb201SpaceOptions = {}): CategoricalSpace<Nb201Cell> & GeneSpace<Nb201Cell> {
  const caller = 'nb201Space';
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be an object, got ${describe(opts)}`);
  const dedupe = checkOneOf('opts.dedupe', opts.dedupe ?? 'none', ['none', 'canonical'] as const, caller);
  const canonical = dedupe === 'canonical';
  const norm = (c: Nb201Cell): Nb201Cell => (canonical ? canonicalNb201Cell(c) : c);
  return {
    sample: (rng: Rng) => norm(sampleNb201Cell(rng)),
    neighbours: (cell: Nb201Cell) => {
      if (!canonical) return nb201Neighbours(cell);
      // Several neighbours may fall into one class, and some into the cell's own class.
      const own = nb201Index(canonicalNb201Cell(cell));
      const seen = new Set<number>([own]);
      const out: Nb201Cell[] = [];
      for (const n of nb201Neighbours(cell)) {
        const c = canonicalNb201Cell(n);
        const i = nb201Index(c);
        if (!seen.has(i)) {
          seen.add(i);
          out.push(c);
        }
      }
      return out;
    },
    key: (cell: Nb201Cell) => String(nb201Index(norm(cell))),
    candidates: () => (canonical ? nb201UniqueCells() : Array.from({ length: NB201_SIZE }, (_, i) => nb201FromIndex(i))),
    encode: (cell: Nb201Cell) => cell.ops.map((op) => NB201_OPS.indexOf(op)),
    cardinalities: () => cellGenes.slice(),
    decode: (genes: readonly number[]) => {
      if (genes.length !== cellGenes.length || genes.some((g) => !Number.isInteger(g) || g < 0 || g >= NB201_OPS.length)) {
        throw new RangeError(`nb201Space.decode: 'genes' must be ${cellGenes.length} integers in 0..${NB201_OPS.length - 1}, got ${describe(genes)}`);
      }
      return norm(nb201Cell(genes.map((g) => NB201_OPS[g])));
    },
  };
}

const cellGenes: readonly number[] = Array.from({ length: 6 }, () => NB201_OPS.length);

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

/** The architecture type of a space. */
export type SpaceArch<S> = S extends CategoricalSpace<infer A> ? A : never;

/**
 * A categorical space cut down to the architectures `keep` accepts: sampling draws among them,
 * neighbours and candidates leave the others out. For a table that holds part of a space (a
 * sample build of NAS-Bench-Digits), so a search never asks for a cell without a row. `decode`
 * can still produce any point of the full space; `contains` tells which remain, and the genetic
 * algorithm breeds again when a child falls outside.
 * @param space the full space
 * @param keep which architectures remain
 * @throws TypeError for a space that cannot list its candidates; RangeError when none remain
 * @example restrictSpace(nb201Space({ dedupe: 'canonical' }), (c) => bench.has(c))
 */
export function restrictSpace<S extends CategoricalSpace<unknown>>(space: S, keep: (arch: SpaceArch<S>) => boolean): S {
  const caller = 'restrictSpace';
  if (typeof space !== 'object' || space === null || typeof space.candidates !== 'function') {
    throw new TypeError(`${caller}: 'space' must be a categorical space (with candidates()), got ${describe(space)}`);
  }
  if (typeof keep !== 'function') throw new TypeError(`${caller}: 'keep' must be a function, got ${describe(keep)}`);
  const keeps = keep as (arch: unknown) => boolean;
  const kept = space.candidates().filter(keeps);
  if (kept.length === 0) throw new RangeError(`${caller}: 'keep' rejects every architecture of the space`);
  return {
    ...space,
    sample: (rng: Rng) => rng.choice(kept),
    neighbours: (arch: SpaceArch<S>) => space.neighbours(arch).filter(keeps),
    candidates: () => kept.slice(),
    contains: (arch: SpaceArch<S>) => (space.contains?.(arch) ?? true) && keeps(arch),
  };
}

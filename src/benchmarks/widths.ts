/**
 * The chapter-03 width benchmark: MLPs of hidden widths (n1, n2, n3) trained FOR REAL on the
 * digits when first asked for, and remembered. Training is seeded, so the same genome under the
 * same protocol always gives the same numbers, and a cache answers a repeat exactly as a retrain
 * would: that is what lets a λ sweep over many seeds run in a notebook.
 */
import { checkInt, checkNumber, describe } from '../core/checks';
import { createRng } from '../core/rng';
import { prepareDigits, type PreparedData } from '../tensor/data';
import { train } from '../tensor/train';
import { widthSpace, type WidthSpace, type WidthSpaceOptions } from '../spaces/widths';

/** The training protocol of every genome. */
export interface WidthBenchProtocol {
  /** Seed of the digits split (stratified 60/20/20). */
  splitSeed: string;
  /** Seed of each network's weights and batch order (with the genome appended). */
  trainSeed: string;
  epochs: number;
  batchSize: number;
  learningRate: number;
}

export const DEFAULT_WIDTH_PROTOCOL: WidthBenchProtocol = Object.freeze({ splitSeed: 'widths', trainSeed: 'widths', epochs: 15, batchSize: 64, learningRate: 0.01 });

/** What one genome scored. */
export interface WidthEvaluation {
  genome: number[];
  /** Validation accuracy after the last epoch, in [0, 1]. */
  accuracy: number;
  testAccuracy: number;
  /** Trainable parameters. */
  params: number;
  /** Wall time of its training (not reproducible; 0 when answered from the cache). */
  seconds: number;
}

/** A width benchmark: its space, its protocol, and evaluation on demand. */
export interface WidthBench {
  space: WidthSpace;
  protocol: WidthBenchProtocol;
  /** Trains the genome's MLP (or recalls it) and returns its scores. */
  evaluate(genome: readonly number[]): Promise<WidthEvaluation>;
  /** Genomes trained so far. */
  trained(): WidthEvaluation[];
}

/**
 * A width benchmark on the digits. Call `init()` from the tensor module first.
 * @param opts space options (`choices`, `layers`) and protocol fields to override
 * @throws TypeError/RangeError for bad space options or protocol fields
 * @example const bench = createWidthBench(); (await bench.evaluate([32, 16, 8])).accuracy // about 0.95
 */
export function createWidthBench(opts: WidthSpaceOptions & Partial<WidthBenchProtocol> = {}): WidthBench {
  const caller = 'createWidthBench';
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be an object, got ${describe(opts)}`);
  const space = widthSpace({ choices: opts.choices, layers: opts.layers });
  const protocol: WidthBenchProtocol = {
    splitSeed: String(opts.splitSeed ?? DEFAULT_WIDTH_PROTOCOL.splitSeed),
    trainSeed: String(opts.trainSeed ?? DEFAULT_WIDTH_PROTOCOL.trainSeed),
    epochs: checkInt('epochs', opts.epochs ?? DEFAULT_WIDTH_PROTOCOL.epochs, { min: 1 }, caller),
    batchSize: checkInt('batchSize', opts.batchSize ?? DEFAULT_WIDTH_PROTOCOL.batchSize, { min: 1 }, caller),
    learningRate: checkNumber('learningRate', opts.learningRate ?? DEFAULT_WIDTH_PROTOCOL.learningRate, { min: 0, exclusiveMin: true }, caller),
  };
  let data: PreparedData | null = null;
  const cache = new Map<string, Promise<WidthEvaluation>>();
  const done: WidthEvaluation[] = [];
  const run = async (genome: number[]): Promise<WidthEvaluation> => {
    data ??= prepareDigits(createRng(protocol.splitSeed), { train: 0.6, validation: 0.2, test: 0.2 });
    const result = await train(space.arch(genome), data, {
      rng: createRng(`${protocol.trainSeed}/${space.key(genome)}`),
      epochs: protocol.epochs,
      batchSize: protocol.batchSize,
      learningRate: protocol.learningRate,
    });
    const evaluation = {
      genome,
      accuracy: result.history[result.history.length - 1].validationAccuracy,
      testAccuracy: result.testAccuracy,
      params: result.params,
      seconds: result.wallSeconds,
    };
    done.push(evaluation);
    return evaluation;
  };
  return {
    space,
    protocol,
    async evaluate(genome) {
      const key = space.key(genome as number[]); // validates the genome
      let pending = cache.get(key);
      const fresh = pending === undefined;
      if (pending === undefined) {
        pending = run(genome.slice());
        cache.set(key, pending);
        pending.catch(() => cache.delete(key));
      }
      const e = await pending;
      return { ...e, genome: e.genome.slice(), seconds: fresh ? e.seconds : 0 };
    },
    trained: () => done.map((e) => ({ ...e, genome: e.genome.slice() })),
  };
}

/**
 * One-shot search methods: strategies that train a supernet (tensor/supernet.ts) instead of asking
 * for architectures one at a time. They are not ask/tell strategies: the caller owns the loop over
 * batches, each step trains the supernet, and at the end `derive()` hands back one plain cell,
 * which a table can look up or `train()` can train stand-alone.
 *
 * ```ts
 * for (let i = 0; i < steps; i++) method.step({ train: trainBatches[i], validation: validationBatches[i] });
 * const found = method.derive();               // a plain cell
 * ```
 *
 * DARTS (chapter 05) steps the weights on the training batch and α on the validation batch and
 * derives the argmax of α per edge (see argmaxCell); a single-path method (SPOS, chapter 07) steps
 * the weights on one uniformly sampled path and derives by a search over inherited-weight accuracy.
 */
import type { CellArch, CellOp } from '../tensor/arch';
import type { Batch } from '../tensor/step';

/** The batches of one step: a training batch, and for methods that also learn α, a validation batch. */
export interface OneShotBatches {
  train: Batch;
  validation?: Batch;
}

/** What one step did (plain numbers). */
export interface OneShotStepRecord {
  /** Mean cross-entropy of the weight step's batch. */
  trainLoss: number;
  /** Mean cross-entropy of the architecture step's batch (methods that learn α). */
  validationLoss?: number;
  /** The path trained (single-path methods). */
  path?: CellArch;
}

/** Architecture weights per mixed edge, keyed '2<-0': the candidates and their weights (summing to 1). */
export type ArchitectureWeights = Record<string, { candidates: CellOp[]; weights: number[] }>;

/**
 * A one-shot method: a step, the current architecture weights, and the architecture it derives.
 * Implementations hold their supernet, optimisers and Rng.
 */
export interface OneShotStrategy {
  /** A short name for tables ('DARTS (1st order)', 'SPOS'). */
  readonly name: string;
  /** One training step on the given batches. */
  step(batches: OneShotBatches): OneShotStepRecord | Promise<OneShotStepRecord>;
  /** The current architecture weights (uniform for a method that samples without learning them). */
  architectureWeights(): ArchitectureWeights;
  /** The plain cell the method would return now. */
  derive(): CellArch | Promise<CellArch>;
}

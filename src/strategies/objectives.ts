/**
 * Several objectives at once: each has a name and a direction (accuracy is maximised, latency
 * minimised), a trial's scores are a plain record from objective name to value, and a
 * multi-objective strategy reports the non-dominated trials it was told (its Pareto front).
 * Single-objective strategies (`Strategy` in ./types) stay as they are.
 */
import type { Rng } from '../core/rng';

/** Whether larger or smaller values of an objective are better. */
export type Direction = 'maximize' | 'minimize';

/** One objective of a search: its name (the key in {@link Scores}) and its direction. */
export interface Objective {
  name: string;
  direction: Direction;
}

/** The value of every objective for one architecture: objective name -> value. */
export type Scores = Readonly<Record<string, number>>;

/**
 * A search strategy over architectures of type A with several objectives.
 * @example
 * const s: MultiObjectiveStrategy<Nb201Cell> = ...;
 * const a = s.ask(rng);
 * s.tell(a, { accuracy: 91.2, latencyMs: 3.4 });
 */
export interface MultiObjectiveStrategy<A> {
  /** The objectives, in the order the strategy reports them. */
  readonly objectives: readonly Objective[];
  /** The next architecture to evaluate. */
  ask(rng: Rng): A;
  /** Reports the value of every objective for an architecture. */
  tell(arch: A, scores: Scores): void;
  /** The non-dominated trials told so far. */
  front(): { arch: A; scores: Scores }[];
}

/**
 * What a search strategy may ask of a search space: draw a point, move from one, recognise
 * duplicates, list and encode every point, recombine genes. Spaces live here, beside the
 * architectures they describe; strategies (src/strategies) only read these interfaces.
 */
import type { Rng } from '../core/rng';

/** What a strategy needs to know about a space: draw, move, and recognise duplicates. */
export interface SearchSpace<A> {
  /** One architecture drawn at random. */
  sample(rng: Rng): A;
  /** The architectures one mutation away. */
  neighbours(arch: A): A[];
  /** A string equal for two architectures exactly when they are the same point of the space. */
  key(arch: A): string;
  /**
   * Whether an architecture belongs to the space (default: everything `decode` or a move can make
   * does). A restricted space says no to the points it left out, so recombination stays inside.
   */
  contains?(arch: A): boolean;
}

/**
 * A finite space of categorical vectors, which a model-based strategy can enumerate and encode:
 * `encode(a)[d]` is the category (an integer) of coordinate d.
 */
export interface CategoricalSpace<A> extends SearchSpace<A> {
  /** Every point of the space, each once (by key). */
  candidates(): A[];
  /** The categories of an architecture, one integer per coordinate. */
  encode(arch: A): number[];
}

/**
 * A space of fixed-length gene vectors, which a genetic algorithm can recombine: gene g takes the
 * values 0..cardinalities[g]-1, `encode` and `decode` translate between genes and architectures.
 */
export interface GeneSpace<A> extends SearchSpace<A> {
  /** The number of values of each gene. */
  cardinalities(): number[];
  encode(arch: A): number[];
  decode(genes: readonly number[]): A;
}

/** The architecture type of a space. */
export type SpaceArch<S> = S extends SearchSpace<infer A> ? A : never;

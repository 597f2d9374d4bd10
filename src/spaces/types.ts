/**
 * What a search strategy may ask of a search space, one capability per interface, so a strategy
 * asks for exactly what it uses and a space offers exactly what it has:
 *
 *   Sampleable     sample(rng), key(arch)          random search, bandits (every strategy starts here)
 *   WithNeighbours neighbours(arch)                regularized evolution's mutation
 *   Enumerable     candidates(), encode(arch)      Bayesian optimisation over every point
 *   WithGenes      cardinalities(), encode, decode a genetic algorithm's crossover and mutation
 *
 * `SearchSpace`, `CategoricalSpace` and `GeneSpace` are the usual combinations. A strategy handed
 * a space without a capability it needs throws an error naming it ({@link missingCapabilities}).
 * Spaces live here, beside the architectures they describe; strategies (src/strategies) only read
 * these interfaces.
 */
import type { Rng } from '../core/rng';

/** Draw an architecture and recognise duplicates: what every strategy needs. */
export interface Sampleable<A> {
  /** One architecture drawn at random. */
  sample(rng: Rng): A;
  /** A string equal for two architectures exactly when they are the same point of the space. */
  key(arch: A): string;
  /**
   * Whether an architecture belongs to the space (default: everything `decode` or a move can make
   * does). A restricted space says no to the points it left out, so recombination stays inside.
   */
  contains?(arch: A): boolean;
}

/** Move: the architectures one mutation away. */
export interface WithNeighbours<A> {
  neighbours(arch: A): A[];
}

/**
 * List and encode: a finite space of categorical vectors, `encode(a)[d]` the category (an
 * integer) of coordinate d, which a model-based strategy can enumerate.
 */
export interface Enumerable<A> {
  /** Every point of the space, each once (by key). */
  candidates(): A[];
  /** The categories of an architecture, one integer per coordinate. */
  encode(arch: A): number[];
}

/**
 * Recombine: fixed-length gene vectors, gene g taking the values 0..cardinalities[g]-1; `encode`
 * and `decode` translate between genes and architectures.
 */
export interface WithGenes<A> {
  /** The number of values of each gene. */
  cardinalities(): number[];
  encode(arch: A): number[];
  decode(genes: readonly number[]): A;
}

/** Draw, move and recognise duplicates. */
export interface SearchSpace<A> extends Sampleable<A>, WithNeighbours<A> {}

/** A search space that can also list and encode every point. */
export interface CategoricalSpace<A> extends SearchSpace<A>, Enumerable<A> {}

/** A search space of gene vectors. */
export interface GeneSpace<A> extends SearchSpace<A>, WithGenes<A> {}

/** The architecture type of a space. */
export type SpaceArch<S> = S extends Sampleable<infer A> ? A : never;

/** The capabilities by name, and the methods each one requires. */
export const SPACE_CAPABILITIES = {
  sample: ['sample', 'key'],
  neighbours: ['neighbours'],
  candidates: ['candidates', 'encode'],
  genes: ['cardinalities', 'encode', 'decode'],
} as const;

/** A capability a strategy may ask of a space. */
export type SpaceCapability = keyof typeof SPACE_CAPABILITIES;

/**
 * The capabilities among `wanted` that a space lacks (a capability is there when all its methods are).
 * @example missingCapabilities({ sample: () => 0, key: String }, ['sample', 'neighbours']) // ['neighbours']
 */
export function missingCapabilities(space: unknown, wanted: readonly SpaceCapability[]): SpaceCapability[] {
  const o = (typeof space === 'object' && space !== null ? space : {}) as Record<string, unknown>;
  return wanted.filter((c) => SPACE_CAPABILITIES[c].some((m) => typeof o[m] !== 'function'));
}

/**
 * The operators of a genetic algorithm, as plain functions on gene vectors and scored members, so
 * a notebook can show each one alone and the exercise can ask for them:
 *
 * - fitness   F_λ(x) = A(x) − λ·S(x): accuracy penalised by complexity (λ >= 0);
 * - selection tournament: the fittest of `size` members drawn without replacement;
 * - crossover one-point: the head of one parent and the tail of the other;
 * - mutation  each gene, with probability `rate`, replaced by a different value.
 */
import { checkInt, checkNumber, checkNumbers, checkProbability, describe } from '../../core/checks';
import { checkRng } from '../../core/rng';
import type { Rng } from '../../core/rng';

/** An evaluated architecture. */
export interface Scored<A> {
  arch: A;
  score: number;
}

/**
 * The penalised fitness F_λ = A − λ·S.
 * @param accuracy A(x), e.g. validation accuracy
 * @param complexity S(x) >= 0, e.g. parameters in thousands
 * @param lambda λ >= 0, the price of one unit of complexity in units of accuracy
 * @throws TypeError/RangeError for non-finite inputs, complexity < 0 or lambda < 0
 * @example penalizedFitness(0.95, 12.5, 0.002) // 0.925
 */
export function penalizedFitness(accuracy: number, complexity: number, lambda: number): number {
  const caller = 'penalizedFitness';
  checkNumber('accuracy', accuracy, {}, caller);
  checkNumber('complexity', complexity, { min: 0 }, caller);
  checkNumber('lambda', lambda, { min: 0 }, caller);
  return accuracy - lambda * complexity;
}

/**
 * Tournament selection: draws `size` distinct members uniformly and returns the fittest (the
 * first drawn among equals). Size 1 is a uniform pick; size = population always picks the best.
 * @throws RangeError for an empty population or a size outside 1..population.length
 * @example tournamentSelect([{ arch: 'a', score: 1 }, { arch: 'b', score: 2 }], 2, createRng(0)).arch // 'b'
 */
export function tournamentSelect<A>(population: readonly Scored<A>[], size: number, rng: Rng): Scored<A> {
  const caller = 'tournamentSelect';
  if (!Array.isArray(population) || population.length === 0) throw new RangeError(`${caller}: 'population' must be a non-empty array of { arch, score }, got ${describe(population)}`);
  if (typeof size === 'number' && Number.isSafeInteger(size) && size > population.length) {
    throw new RangeError(`${caller}: 'size' (the tournament) must be at most the population (${population.length}), got ${size}`);
  }
  checkInt('size', size, { min: 1 }, caller);
  const contestants = checkRng('rng', rng, caller).sample(population, size);
  return contestants.reduce((a, b) => (b.score > a.score ? b : a));
}

/**
 * One-point crossover: a cut point c uniform in 1..d−1, children a[0..c) + b[c..d) and
 * b[0..c) + a[c..d). With d = 1 there is no cut and the children are copies of the parents.
 * @throws RangeError if the parents differ in length or are empty
 * @example onePointCrossover([1, 1, 1], [2, 2, 2], createRng(0)) // e.g. [[1, 2, 2], [2, 1, 1]]
 */
export function onePointCrossover(a: readonly number[], b: readonly number[], rng: Rng): [number[], number[]] {
  const caller = 'onePointCrossover';
  checkNumbers('a', a, { minLength: 1 }, caller);
  checkNumbers('b', b, { minLength: 1 }, caller);
  if (a.length !== b.length) throw new RangeError(`${caller}: 'a' and 'b' must have the same length, got ${a.length} and ${b.length}`);
  checkRng('rng', rng, caller);
  if (a.length === 1) return [a.slice(), b.slice()];
  const cut = rng.int(1, a.length);
  return [[...a.slice(0, cut), ...b.slice(cut)], [...b.slice(0, cut), ...a.slice(cut)]];
}

/**
 * Mutation: each gene, with probability `rate`, takes a different value drawn uniformly from the
 * other cardinalities[g] − 1 values (a gene with one value never changes).
 * @throws RangeError for mismatched lengths, a gene outside 0..cardinality−1, or rate outside [0, 1]
 * @example mutateGenes([0, 1, 2], [3, 3, 3], 1, createRng(0)) // every gene changed
 */
export function mutateGenes(genes: readonly number[], cardinalities: readonly number[], rate: number, rng: Rng): number[] {
  const caller = 'mutateGenes';
  checkGenes(genes, cardinalities, caller);
  checkProbability('rate', rate, caller);
  checkRng('rng', rng, caller);
  return genes.map((g, i) => {
    if (cardinalities[i] < 2 || rng.uniform() >= rate) return g;
    const other = rng.int(0, cardinalities[i] - 1);
    return other >= g ? other + 1 : other;
  });
}

/** @internal */
export function checkGenes(genes: readonly number[], cardinalities: readonly number[], caller: string): void {
  checkNumbers('cardinalities', cardinalities, { minLength: 1 }, caller);
  checkNumbers('genes', genes, { minLength: 1 }, caller);
  if (genes.length !== cardinalities.length) throw new RangeError(`${caller}: 'genes' must have ${cardinalities.length} entries (one per cardinality), got ${genes.length}`);
  genes.forEach((g, i) => checkInt(`genes[${i}]`, g, { min: 0, max: cardinalities[i] - 1 }, caller));
}

/**
 * Chapter 03, evolutionary search: your exercise.
 *
 * A genome is a fixed-length vector; in the chapter it is x = (n1, n2, n3), the widths of the three
 * hidden layers of an MLP. Evolution keeps a population of scored genomes and repeats: pick parents
 * (tournament selection), recombine them (one-point crossover), perturb the child (mutation), score
 * it, and decide who stays in the population (regularized evolution: the oldest member leaves).
 *
 * Everything random is passed in as plain numbers (a cut point, the contestants already drawn), so
 * each function is deterministic and the checks can call it with fixed inputs.
 *
 * Run `await check("03")` in the notebook to see which cases pass.
 */

/**
 * The penalized fitness F_λ(x) = A(x) − λ·S(x): accuracy minus a price for complexity.
 *
 * λ says how much accuracy one unit of complexity is worth. With λ = 0 only accuracy counts; the
 * larger λ, the more a small network is preferred.
 * Check: accuracy 0.95, complexity 12.5 (thousand parameters), λ = 0.002 gives 0.95 − 0.025 = 0.925.
 */
export function penalizedFitness(accuracy: number, complexity: number, lambda: number): number {
  throw new Error('TODO: return the accuracy minus lambda times the complexity');
}

/**
 * The winner of a tournament: the fittest of the contestants.
 *
 * `scores[i]` is the fitness of population member i; `contestants` lists the member indices that
 * were drawn for this tournament (distinct, in the order they were drawn, at least one). Return the
 * population index (an entry of `contestants`, not a position in it) of the contestant with the
 * highest score. When several contestants share the highest score, the one drawn FIRST wins.
 * Check: scores [0.5, 0.9, 0.7], contestants [0, 2] gives 2 (member 1 was not drawn).
 */
export function tournamentWinner(scores: number[], contestants: number[]): number {
  throw new Error('TODO: return the index (from contestants) with the highest score, the first drawn among ties');
}

/**
 * One-point crossover at a given cut: the two children swap tails.
 *
 * Child 1 is the head of `a` (positions 0..cut−1) followed by the tail of `b` (positions cut..d−1);
 * child 2 is the head of `b` followed by the tail of `a`. The parents have the same length d and
 * 0 <= cut <= d; cut = 0 or cut = d swaps nothing but whole parents. Do not modify the parents.
 * Check: a = [1, 1, 1], b = [2, 2, 2], cut = 1 gives [[1, 2, 2], [2, 1, 1]].
 */
export function onePointCrossover(a: number[], b: number[], cut: number): [number[], number[]] {
  throw new Error('TODO: return [head of a + tail of b, head of b + tail of a], split at cut');
}

/**
 * The trainable parameters of a dense MLP: `inputs` features, hidden layers of the given `widths`
 * (possibly none), and `classes` outputs.
 *
 * A dense layer from m units to n units has an m×n weight matrix and n biases. Walk the layers in
 * order (inputs → widths[0] → ... → classes) and add up every layer's weights and biases.
 * Check: 64 inputs, widths [32, 16, 8], 10 classes gives
 * (64·32 + 32) + (32·16 + 16) + (16·8 + 8) + (8·10 + 10) = 2834.
 */
export function mlpParameterCount(inputs: number, widths: number[], classes: number): number {
  throw new Error('TODO: sum weights (m*n) and biases (n) over the layers inputs -> widths... -> classes');
}

/** A member of an evolving population: its genes and its fitness. */
export interface Member {
  genes: number[];
  score: number;
}

/**
 * One replacement step of regularized (aging) evolution.
 *
 * `population` is ordered from OLDEST (index 0) to youngest. The new `child` joins as the
 * youngest; then, while the population holds more than `capacity` members, the oldest one is
 * removed, however good its score is. That is the whole difference from classic evolution, which
 * would remove the worst. Return the new population (oldest first) without modifying the input.
 * Check: capacity 2, population [{genes: [0], score: 0.9}, {genes: [1], score: 0.1}] and child
 * {genes: [2], score: 0.5} gives [{genes: [1], score: 0.1}, {genes: [2], score: 0.5}].
 */
export function agingStep(population: Member[], child: Member, capacity: number): Member[] {
  throw new Error('TODO: append the child, then drop the oldest members (the front) until at most capacity remain');
}

/**
 * Mutation as regularized evolution uses it: exactly one gene changes, to a DIFFERENT value.
 *
 * `position` is the gene that changes. Its new value is drawn uniformly among the values other
 * than the current one; the draw arrives as `other`, an index into those values listed in
 * increasing order. With current value v, the other values are 0, 1, ..., v−1, v+1, ...: so the
 * new value is `other` when other < v, and `other + 1` otherwise. Return a new array; do not
 * modify `genes`.
 * Check: genes [2, 0, 4], position 0, other 2: the values other than 2 are 0, 1, 3, 4 and the one
 * at index 2 is 3, so the child is [3, 0, 4].
 */
export function mutateGene(genes: number[], position: number, other: number): number[] {
  throw new Error('TODO: copy genes and set genes[position] to other (if other < current) or other + 1');
}

/**
 * One generation of regularized (aging) evolution (Real et al. 2019), from the pieces above:
 *
 *   1. the parent is the tournament winner among `contestants` (indices into `population`,
 *      judged by their scores, first drawn wins a tie: use tournamentWinner);
 *   2. the child is the parent's genes mutated at `position` with draw `other` (use mutateGene);
 *   3. the child's score is looked up in `table`, keyed by its genes joined with '-' (e.g. '3-0-4');
 *   4. the child joins as the youngest and the oldest leave until `capacity` remain (use agingStep).
 *
 * There is no crossover, and a child identical to a living member is allowed. Return the new
 * population, oldest first, without modifying the input.
 * Check: population [{genes: [0, 0], score: 0.5}, {genes: [1, 1], score: 0.8}], contestants [0, 1],
 * position 0, other 0, table {'0-1': 0.9, ...}, capacity 2: the parent is [1, 1], the child [0, 1]
 * (score 0.9) and the result [{genes: [1, 1], score: 0.8}, {genes: [0, 1], score: 0.9}].
 */
export function agingGeneration(
  population: Member[],
  contestants: number[],
  position: number,
  other: number,
  table: Record<string, number>,
  capacity: number,
): Member[] {
  throw new Error('TODO: parent = tournament winner, child = mutateGene(parent), score = table[genes.join("-")], then agingStep');
}

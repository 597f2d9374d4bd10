/**
 * Chapter 03, evolutionary search: the reference solution.
 *
 * Penalized fitness, tournament winner, one-point crossover at a given cut, the parameter count
 * of a dense MLP, and the aging replacement of regularized evolution, each deterministic.
 */

/** F_λ = A − λ·S. */
export function penalizedFitness(accuracy: number, complexity: number, lambda: number): number {
  return accuracy - lambda * complexity;
}

/** The contestant with the highest score; strict `>` keeps the first drawn among ties. */
export function tournamentWinner(scores: number[], contestants: number[]): number {
  let winner = contestants[0];
  for (const i of contestants) {
    if (scores[i] > scores[winner]) winner = i;
  }
  return winner;
}

/** Children a[0..cut) + b[cut..d) and b[0..cut) + a[cut..d). */
export function onePointCrossover(a: number[], b: number[], cut: number): [number[], number[]] {
  return [
    [...a.slice(0, cut), ...b.slice(cut)],
    [...b.slice(0, cut), ...a.slice(cut)],
  ];
}

/** Σ over consecutive layer sizes (m, n) of m·n weights + n biases. */
export function mlpParameterCount(inputs: number, widths: number[], classes: number): number {
  const sizes = [inputs, ...widths, classes];
  let total = 0;
  for (let l = 1; l < sizes.length; l++) total += sizes[l - 1] * sizes[l] + sizes[l];
  return total;
}

/** A member of an evolving population: its genes and its fitness. */
export interface Member {
  genes: number[];
  score: number;
}

/** The child joins as the youngest; the oldest leave until `capacity` remain. */
export function agingStep(population: Member[], child: Member, capacity: number): Member[] {
  const next = [...population, child];
  return next.slice(Math.max(0, next.length - capacity));
}

/** Gene `position` takes the `other`-th value different from its current one (ascending order). */
export function mutateGene(genes: number[], position: number, other: number): number[] {
  const child = genes.slice();
  child[position] = other < genes[position] ? other : other + 1;
  return child;
}

/**
 * One generation of aging evolution: the tournament winner among `contestants` is the parent, its
 * one-gene mutation the child, scored by the table and appended; the oldest leave.
 */
export function agingGeneration(
  population: Member[],
  contestants: number[],
  position: number,
  other: number,
  table: Record<string, number>,
  capacity: number,
): Member[] {
  const parent = population[tournamentWinner(population.map((m) => m.score), contestants)];
  const genes = mutateGene(parent.genes, position, other);
  return agingStep(population, { genes, score: table[genes.join('-')] }, capacity);
}

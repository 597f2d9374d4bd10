/**
 * Pareto tools for several objectives: dominance, the non-dominated set and full non-dominated
 * sorting, crowding distance, exact and Monte Carlo hypervolume, normalisation and weighted-sum
 * scalarisation (with the points a weighted sum can reach). Rows are candidates, columns are
 * objectives; each objective is minimised unless `directions` says 'maximize'.
 */
export type { ParetoOptions } from './points';
export { dominates, nonDominated } from './dominance';
export { nonDominatedSort, naiveNonDominatedSort, paretoRanks } from './sort';
export { crowdingDistance } from './crowding';
export { hypervolume, naiveHypervolume, hypervolumeMonteCarlo, type HypervolumeEstimate } from './hypervolume';
export { normalizeObjectives, objectiveBounds, type ObjectiveBounds } from './normalize';
export { checkSimplex, weightedSum, weightedSumChoice, supportedPoints, type WeightedSumOptions } from './scalarize';

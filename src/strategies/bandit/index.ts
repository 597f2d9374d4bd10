export { EpsilonGreedy, type EpsilonGreedyOptions } from './epsilonGreedy';
export { UCB1, type UCB1Options } from './ucb1';
export type { ArmStats } from './arms';

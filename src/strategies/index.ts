export { runSearch, runSearchAsync, evaluationsToReach, type Strategy, type SearchSpace, type CategoricalSpace, type GeneSpace, type Trial, type RunSearchOptions } from './types';
export * from './spaces';
export * from './random';
export * from './evolution';
export * from './bayesopt';
export * from './bandit';
export * from './compare';

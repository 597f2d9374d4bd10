export { runSearch, runSearchAsync, evaluationsToReach, type Strategy, type Trial, type RunSearchOptions } from './types';
export * from './random';
export * from './evolution';
export * from './bayesopt';
export * from './bandit';
export * from './compare';
export * from './objectives';
export * from './darts';

export * from './gp';
export { expectedImprovement, confidenceBound } from './acquisition';
export * from './bayesopt';

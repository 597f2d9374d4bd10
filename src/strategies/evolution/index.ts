export * from './regularized';
export * from './genetic';
export { penalizedFitness, tournamentSelect, onePointCrossover, mutateGenes, type Scored } from './operators';

export { GP_KERNELS, hammingDistance, hammingKernelMatrix, type GpKernel, type HammingKernelParams } from './kernels';
export { GaussianProcess, type GaussianProcessOptions, type GaussianProcessPrediction, type GaussianProcessFit } from './gp';
export { expectedImprovement, confidenceBound, eiAcquisition, ucbAcquisition, type Acquisition } from './acquisition';
export * from './bayesopt';

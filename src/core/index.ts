export * from './checks';
export * from './rng';
export * from './paths';
export * from './distributions';
export * from './stats';
export * from './linalg';
export * from './fraction';
export * from './proportion';

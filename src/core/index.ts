export * from './checks';
export * from './rng';

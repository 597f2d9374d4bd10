/** Zero-cost proxies: scores of an untrained network from one forward/backward pass. */
export * from './jacobCov';
export * from './proxies';

/**
 * Estimation: what scores an architecture without training it in full.
 */
export * from './energy';

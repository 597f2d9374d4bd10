/**
 * Estimation: what scores an architecture without training it in full.
 * energy: a per-MAC and per-byte energy model; supernet/: how weight sharing ranks architectures (the rank model).
 */
export * from './energy';
export * from './supernet';

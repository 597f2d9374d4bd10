/**
 * Estimation: what scores an architecture without training it in full.
 * energy: a per-MAC and per-byte energy model; latency/: per-operation latency fitted to this
 * machine and aggregated over a network; supernet/: how weight sharing ranks architectures (the rank model).
 */
export * from './energy';
export * from './latency';
export * from './supernet';
export * from './zerocost';

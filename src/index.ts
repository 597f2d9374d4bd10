/**
 * nasbook's public API. Each folder's index.ts is its only public entry point; this file gathers
 * them. Notebooks and practitioners import from here: `import { createRng } from "nasbook"`.
 */
export * from './core';
export * from './tensor';
export * from './nfl';
export * from './spaces';
export * from './benchmarks';
export * from './strategies';
export * from './estimation';
export * from './pareto';
export * from './viz';
export * from './grading';

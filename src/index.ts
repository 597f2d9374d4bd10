/**
 * nasbook's public API: what students and practitioners call. Each folder's index.ts is its only
 * public entry point; this file gathers them. Notebooks and practitioners import from here:
 * `import { createRng } from "nasbook"`. Instructor tools have their own entry points
 * (src/entries/): `nasbook/grading` (grade a class, gradebooks, release, Gradescope) and
 * `nasbook/nasbench` (building NAS-Bench-Digits).
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
export { check, checkChapter, type CheckOptions } from './grading';

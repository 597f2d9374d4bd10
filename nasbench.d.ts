// Types of `nasbook/nasbench` (see nasbench.js): src/entries/nasbench.ts, built to dist/.
export * from './dist/entries/nasbench';

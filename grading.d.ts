// Types of `nasbook/grading` (see grading.js): src/entries/grading.ts, built to dist/.
export * from './dist/entries/grading';

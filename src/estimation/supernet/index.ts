export * from './rankModel';
export * from './spos';
export * from './run';
export * from './analysis';

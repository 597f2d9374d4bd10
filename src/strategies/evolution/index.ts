export * from './regularized';

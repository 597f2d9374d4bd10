export * from './rankModel';

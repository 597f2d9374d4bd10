export * from './aggregate';
export * from './fit';
export * from './predict';
export * from './measure';

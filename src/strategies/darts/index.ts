export * from './projection';
export * from './path';
export * from './search';
export * from './lookup';
export * from './collapse';

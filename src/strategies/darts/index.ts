export * from './projection';
export * from './path';

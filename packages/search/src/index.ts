export * from './french';
export * from './runtime';
export * from './schemas';
export * from './search-index';

export * from './embedded/embedded-index';
export * from './french';
export * from './search-index';

export * from './platform';
export * from './processes';
export * from './response-check';

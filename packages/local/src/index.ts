export * from './platform';
export * from './processes';

export * from './guarded-fetch';

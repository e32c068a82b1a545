export * from './matching/index.ts';
export * from './model.ts';

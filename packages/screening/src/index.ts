export * from './lists/index.ts';
export * from './matching/index.ts';
export * from './model.ts';

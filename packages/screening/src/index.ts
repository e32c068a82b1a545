export * from './lists/index.ts';
export * from './model.ts';

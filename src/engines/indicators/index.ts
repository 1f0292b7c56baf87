export * from './contract.ts';
export * from './definitions.ts';
export * from './engine.ts';

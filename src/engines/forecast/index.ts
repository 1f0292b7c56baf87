export * from './backtest.ts';
export * from './contract.ts';
export * from './engine.ts';

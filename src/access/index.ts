export * from './direct-invocation-guard';
export * from './attribution-tamper-alerts';

export * from './direct-invocation-guard';

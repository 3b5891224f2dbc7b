export * from './invocation-logging';

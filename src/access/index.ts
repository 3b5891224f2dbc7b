export * from './bedrock-actions';
export * from './direct-invocation-guard';

export * from './bedrock-model';
export * from './routing';

export * from './bedrock-actions';
export * from './bedrock-model';
export * from './metric-names';
export * from './pricing';
export * from './routing';

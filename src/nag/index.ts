export * from './bedrock-governance-checks';
export * from './strict-validation-plugin';

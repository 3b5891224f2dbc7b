export * from './batch-inference-role';
export * from './cost-estimator';
export * from './model-ladder';

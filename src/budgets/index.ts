export * from './alert-topic';
export * from './tag-key-form';
export * from './team-budget';
export * from './budget-enforcement';
export * from './cost-anomaly-detection';

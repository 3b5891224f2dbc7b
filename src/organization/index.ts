export * from './stack-set-synthesizer';
export * from './member-account-stage';
export * from './member-stack-set';
export * from './organization-management';
export * from './central-invocation-log-archive';

export * from './access';
export * from './levers';
export * from './models';
export * from './monitoring/metric-names';
export * from './profiles/team-inference-profile';
export * from './teams/cost-tags';
export * from './teams/team';
export * from './governance';

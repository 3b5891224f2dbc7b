export * from './team-usage-alarms';
export * from './governance-dashboard';

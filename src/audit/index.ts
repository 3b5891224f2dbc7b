export * from './invocation-log-query';
export * from './invocation-log-queries';
export * from './waste-audit';
export * from './team-profile-mapping';

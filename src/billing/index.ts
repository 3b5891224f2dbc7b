export * from './focus-version';
export * from './focus-export';
export * from './cost-allocation-tag-activation';
export * from './chargeback-sql';
export * from './chargeback-queries';
export * from './cur2-export';
export * from './attribution-sql';
export * from './attribution-queries';

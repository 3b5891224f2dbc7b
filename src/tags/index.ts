export * from './cost-tags';

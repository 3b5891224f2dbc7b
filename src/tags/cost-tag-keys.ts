import { CostTagKeys } from './cost-tags';

/** Default cost tag key names. */
export const DEFAULT_COST_TAG_KEYS: Required<CostTagKeys> = {
  team: 'team',
  costCenter: 'cost-center',
  environment: 'environment',
};

/** The key names with defaults filled in. */
export function resolveCostTagKeys(keys?: CostTagKeys): Required<CostTagKeys> {
  return {
    team: keys?.team ?? DEFAULT_COST_TAG_KEYS.team,
    costCenter: keys?.costCenter ?? DEFAULT_COST_TAG_KEYS.costCenter,
    environment: keys?.environment ?? DEFAULT_COST_TAG_KEYS.environment,
  };
}

/** The list of key names: team, cost center, environment. */
export function costTagKeyList(keys?: CostTagKeys): string[] {
  const k = resolveCostTagKeys(keys);
  return [k.team, k.costCenter, k.environment];
}

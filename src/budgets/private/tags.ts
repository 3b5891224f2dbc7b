import { resolveCostTagKeys } from '../../tags/cost-tag-keys';
import { Team } from '../../teams/team';
import { CostTagKeyForm } from '../tag-key-form';

/** The team tag key in the form a Budgets filter or an anomaly monitor uses: `team` or `user:team`. */
export function filterTagKey(team: Team, form: CostTagKeyForm | undefined): string {
  const key = resolveCostTagKeys(team.costTagKeys).team;
  return form === CostTagKeyForm.USER_PREFIXED ? `user:${key}` : key;
}

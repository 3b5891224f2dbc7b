import { CfnTag } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { GovernanceValidationError } from '../../private/errors';
import { validateTagKey, validateTagValue } from '../../private/validate';
import { resolveCostTagKeys } from '../../tags/cost-tag-keys';
import { CostTagKeys, CostTags } from '../../tags/cost-tags';

/** Maximum number of user tags on one AWS resource. */
const MAX_TAGS = 50;

/**
 * Validate the cost tags and turn them into a CloudFormation tag list (required keys first, then
 * extra tags sorted by key).
 */
export function costTagsToTagList(scope: IConstruct, tags: CostTags, keys?: CostTagKeys): CfnTag[] {
  const k = resolveCostTagKeys(keys);
  validateTagKey(scope, 'costTagKeys.team', k.team);
  validateTagKey(scope, 'costTagKeys.costCenter', k.costCenter);
  validateTagKey(scope, 'costTagKeys.environment', k.environment);
  const required: Array<[string, string, string]> = [
    [k.team, tags.team, 'costTags.team'],
    [k.costCenter, tags.costCenter, 'costTags.costCenter'],
    [k.environment, tags.environment, 'costTags.environment'],
  ];
  const seen = new Set<string>();
  for (const [key] of required) {
    if (seen.has(key)) {
      throw new GovernanceValidationError(scope, `invalid costTagKeys: the key '${key}' is used twice. Give team, costCenter and environment different key names`);
    }
    seen.add(key);
  }
  const result: CfnTag[] = [];
  for (const [key, value, prop] of required) {
    validateTagValue(scope, prop, value);
    result.push({ key, value });
  }
  const extra = tags.extra ?? {};
  for (const key of Object.keys(extra).sort()) {
    validateTagKey(scope, 'costTags.extra', key);
    if (seen.has(key)) {
      throw new GovernanceValidationError(scope, `invalid costTags.extra key '${key}': it is one of the required cost tag keys. Set it through costTags.team, costCenter or environment instead`);
    }
    seen.add(key);
    const value = extra[key];
    validateTagValue(scope, `costTags.extra['${key}']`, value);
    result.push({ key, value });
  }
  if (result.length > MAX_TAGS) {
    throw new GovernanceValidationError(scope, `invalid costTags.extra: ${result.length} tags in all, but AWS resources take at most ${MAX_TAGS}. Drop ${result.length - MAX_TAGS} extra tags`);
  }
  return result;
}

import { CfnResource } from 'aws-cdk-lib';
import { CfnApplicationInferenceProfile } from 'aws-cdk-lib/aws-bedrock';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { NagRuleContext } from '../private/app-index';
import { tagValue } from '../private/values';

/**
 * Application inference profiles carry every required cost allocation tag with a non-empty value.
 *
 * One finding per missing or empty key (`Tag::<key>`).
 * @param node the CfnResource to check
 * @param context the app index and pack settings
 */
export function BedrockProfileCostTags(node: CfnResource, context: NagRuleContext): NagRuleResult {
  if (!(node instanceof CfnApplicationInferenceProfile)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const tags = context.index.tagsOf(node);
  const findings: string[] = [];
  for (const key of context.requiredTagKeys) {
    const value = tagValue(tags, key);
    if (value === undefined) {
      findings.push(`Tag::${key}`);
    } else if (typeof value !== 'string') {
      throw new Error(`${node.node.path}: the value of tag '${key}' is not a literal string, so it cannot be checked`);
    } else if (value.trim().length === 0) {
      findings.push(`Tag::${key}`);
    }
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}

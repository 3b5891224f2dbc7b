import { CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { TASK_TIER_TAG_KEY } from '../../tags/governance-tags';
import { NagRuleContext } from '../private/app-index';
import {
  INVOKE_ACTIONS,
  allowStatements,
  allowsAction,
  isPremium,
  literalTag,
  profileModel,
  roleListed,
  roleStatements,
} from '../private/statements';

/**
 * Roles marked for light tasks (tag `bedrock-governance:task-tier` = `LIGHT`, or listed in the pack's
 * `lightTaskRoles`) are not granted invoke on an application inference profile of this app whose
 * `ModelSource.CopyFrom` is a model the catalogue rates PREMIUM (`BedrockModel.catalogue()`).
 *
 * Only grants that name the profile (its ARN attribute, directly or through a cross-stack import)
 * are followed; wildcards over profiles are BedrockInvokeOnAllApplicationProfiles' concern.
 * One finding per premium profile (`Profile::<construct path>`).
 * @param node the CfnResource to check
 * @param context the app index and pack settings
 */
export function BedrockPremiumModelLightTask(node: CfnResource, context: NagRuleContext): NagRuleResult {
  if (!(node instanceof iam.CfnRole)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  if (literalTag(node, TASK_TIER_TAG_KEY, context.index) !== 'light' && !roleListed(node, context.lightTaskRoles)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const findings = new Set<string>();
  for (const statement of allowStatements(roleStatements(node, context.index))) {
    if (!INVOKE_ACTIONS.some((action) => allowsAction(statement, action))) {
      continue;
    }
    for (const resource of statement.resources ?? []) {
      if (resource.profile !== undefined && isPremium(profileModel(resource.profile, context.index))) {
        findings.add(`Profile::${resource.profile.node.path}`);
      }
    }
  }
  return findings.size > 0 ? [...findings] : NagRuleCompliance.COMPLIANT;
}

import { CfnResource, Stack } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { NagRuleContext } from '../private/app-index';
import { FOUNDATION_MODEL_SHAPE, SYSTEM_PROFILE_SHAPE } from '../private/arn';
import { INVOKE_ACTIONS, allowStatements, allowsAction, pinsToApplicationProfiles, resourcesReaching } from '../private/statements';

/**
 * IAM policies (policies, managed policies, inline policies of roles, users and groups) do not allow
 * a Bedrock invoke action on foundation-model or system inference-profile ARNs unless a
 * `bedrock:InferenceProfileArn` condition limits it to calls made through application inference profiles.
 *
 * One finding per offending resource of each statement (`Resource::<arn>` or `NotResource::<arns>`).
 * @param node the CfnResource to check
 * @param context the app index and pack settings
 */
export function BedrockDirectModelInvocation(node: CfnResource, context: NagRuleContext): NagRuleResult {
  const statements = context.index.statementsOf(node);
  if (statements === undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const stack = Stack.of(node);
  const findings = new Set<string>();
  for (const statement of allowStatements(statements)) {
    if (!INVOKE_ACTIONS.some((action) => allowsAction(statement, action))) {
      continue;
    }
    // An unresolvable resource only matters when the condition does not settle the statement.
    let reached: string[] = [];
    let unresolved: unknown;
    try {
      reached = [...resourcesReaching(statement, FOUNDATION_MODEL_SHAPE), ...resourcesReaching(statement, SYSTEM_PROFILE_SHAPE)];
    } catch (error) {
      unresolved = error;
    }
    if ((unresolved === undefined && reached.length === 0) || pinsToApplicationProfiles(statement, context.index, stack)) {
      continue;
    }
    if (unresolved !== undefined) {
      throw unresolved;
    }
    reached.forEach((finding) => findings.add(finding));
  }
  return findings.size > 0 ? [...findings] : NagRuleCompliance.COMPLIANT;
}

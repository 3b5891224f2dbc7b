import { CfnResource } from 'aws-cdk-lib';
import { CfnApplicationInferenceProfile } from 'aws-cdk-lib/aws-bedrock';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { NagAppIndex, NagRuleContext } from '../private/app-index';
import { globCovers } from '../private/glob';
import { INVOKE_ACTIONS } from '../private/statements';

/**
 * Where Bedrock is used (an application inference profile, or an IAM policy that explicitly allows a
 * `bedrock:` invoke action), some resource of the app configures model invocation logging for the
 * same account and Region: a custom resource whose Create or Update is an `AwsCustomResource` call to
 * Bedrock `PutModelInvocationLoggingConfiguration` with an S3 or CloudWatch destination.
 *
 * Wildcard-only grants (`*`, `NotAction`) are not taken as evidence that the app uses Bedrock. Other
 * custom resources cannot be recognised: what their Lambda does is not in the template.
 * @param node the CfnResource to check
 * @param context the app index and pack settings
 */
export function BedrockInvocationLoggingMissing(node: CfnResource, context: NagRuleContext): NagRuleResult {
  if (!usesBedrock(node, context.index)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const coverage = context.index.loggingCoverage();
  if (coverage.environments.has(NagAppIndex.environmentOf(node))) {
    return NagRuleCompliance.COMPLIANT;
  }
  if (coverage.unresolved.length > 0) {
    throw new Error(`${node.node.path}: no invocation logging is configured for this account and Region, but the target account or Region of ${coverage.unresolved.join(', ')} cannot be resolved at synth time`);
  }
  return NagRuleCompliance.NON_COMPLIANT;
}

function usesBedrock(node: CfnResource, index: NagAppIndex): boolean {
  if (node instanceof CfnApplicationInferenceProfile) {
    return true;
  }
  const statements = index.statementsOf(node);
  if (statements === undefined) {
    return false;
  }
  return statements.some((statement) => statement.effect === 'Allow' && statement.unreadable === undefined
    && (statement.actions ?? []).some((a) => a.pattern.startsWith('bedrock:') && INVOKE_ACTIONS.some((action) => globCovers(a.pattern, action))));
}

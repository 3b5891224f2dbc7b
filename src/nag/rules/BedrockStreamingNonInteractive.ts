import { CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { INTERACTIVE_TAG_KEY } from '../../tags/governance-tags';
import { NagRuleContext } from '../private/app-index';
import { ANY_BEDROCK_SHAPE } from '../private/arn';
import { STREAM_ACTION, allowStatements, allowsAction, literalTag, reaches, roleListed, roleStatements } from '../private/statements';

/**
 * Roles marked non-interactive (tag `bedrock-governance:interactive` = `false`, or listed in the pack's
 * `nonInteractiveRoles`) are not allowed `bedrock:InvokeModelWithResponseStream` (by name, by
 * `bedrock:InvokeModel*`, `bedrock:*`, `*` or a `NotAction`) through their inline policies or the
 * app's policies attached to them.
 * @param node the CfnResource to check
 * @param context the app index and pack settings
 */
export function BedrockStreamingNonInteractive(node: CfnResource, context: NagRuleContext): NagRuleResult {
  if (!(node instanceof iam.CfnRole)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  if (literalTag(node, INTERACTIVE_TAG_KEY, context.index) !== 'false' && !roleListed(node, context.nonInteractiveRoles)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const streams = allowStatements(roleStatements(node, context.index))
    .some((statement) => allowsAction(statement, STREAM_ACTION) && reaches(statement, ANY_BEDROCK_SHAPE));
  return streams ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}

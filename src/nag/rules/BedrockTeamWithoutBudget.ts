import { CfnResource } from 'aws-cdk-lib';
import { CfnApplicationInferenceProfile } from 'aws-cdk-lib/aws-bedrock';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { NagRuleContext } from '../private/app-index';
import { tagValue } from '../private/values';

/**
 * The team tag value of every application inference profile is covered by an `AWS::Budgets::Budget`
 * of type COST somewhere in the app that filters on it: `FilterExpression` `Tags` with key `<team key>`
 * or `user:<team key>` (not under `Not`, match options EQUALS, CASE_INSENSITIVE, STARTS_WITH,
 * ENDS_WITH or CONTAINS), or legacy `CostFilters` `TagKeyValue` `user:<team key>$<value>`.
 *
 * Profiles without a team tag are left to BedrockProfileCostTags.
 * @param node the CfnResource to check
 * @param context the app index and pack settings
 */
export function BedrockTeamWithoutBudget(node: CfnResource, context: NagRuleContext): NagRuleResult {
  if (!(node instanceof CfnApplicationInferenceProfile)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const team = tagValue(context.index.tagsOf(node), context.teamTagKey);
  if (team === undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  if (typeof team !== 'string') {
    throw new Error(`${node.node.path}: the value of tag '${context.teamTagKey}' is not a literal string, so its budget cannot be found`);
  }
  if (team.trim().length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const coverage = context.index.teamBudgetCoverage(context.teamTagKey);
  if (coverage.covers(team)) {
    return NagRuleCompliance.COMPLIANT;
  }
  if (coverage.unresolvedBudgets.length > 0) {
    throw new Error(`${node.node.path}: no budget filters on ${context.teamTagKey}=${team}, but the filters of ${coverage.unresolvedBudgets.join(', ')} cannot be resolved at synth time`);
  }
  return NagRuleCompliance.NON_COMPLIANT;
}

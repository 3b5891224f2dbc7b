import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { NagRuleContext } from '../private/app-index';
import { ANY_BEDROCK_SHAPE, ArnPattern } from '../private/arn';
import { globCovers } from '../private/glob';
import { allowStatements, allowsAllOf } from '../private/statements';

const ALL_BEDROCK_ACTIONS = 'bedrock:*';

/**
 * IAM policies do not allow every Bedrock action (`bedrock:*`, `*`, or a `NotAction` that excludes
 * no Bedrock action) on every Bedrock resource (`*`, `arn:<partition>:bedrock:*:*:*`, or a `NotResource`
 * that excludes none).
 *
 * One finding per statement, named after the action that allows everything (`Action::bedrock:*`).
 * @param node the CfnResource to check
 * @param context the app index and pack settings
 */
export function BedrockWildcardPermissions(node: CfnResource, context: NagRuleContext): NagRuleResult {
  const statements = context.index.statementsOf(node);
  if (statements === undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const findings = new Set<string>();
  for (const statement of allowStatements(statements)) {
    if (!allowsAllOf(statement, ALL_BEDROCK_ACTIONS) || !coversEveryBedrockResource(statement.path, statement.resources, statement.notResources)) {
      continue;
    }
    if (statement.actions !== undefined) {
      statement.actions.filter((a) => globCovers(a.pattern, ALL_BEDROCK_ACTIONS)).forEach((a) => findings.add(`Action::${a.display}`));
    } else {
      findings.add(`NotAction::${(statement.notActions ?? []).map((a) => a.display).join(',')}`);
    }
  }
  return findings.size > 0 ? [...findings] : NagRuleCompliance.COMPLIANT;
}

function coversEveryBedrockResource(
  path: string,
  resources: ArnPattern[] | undefined,
  notResources: ArnPattern[] | undefined,
): boolean {
  if (resources !== undefined) {
    if (resources.some((r) => !r.isUnknown && r.coversInItsPartition(ANY_BEDROCK_SHAPE))) {
      return true;
    }
    const unknown = resources.find((r) => r.isUnknown);
    if (unknown !== undefined) {
      throw new Error(`${path}: the resource ${unknown.display} cannot be resolved at synth time, so the statement cannot be checked`);
    }
    return false;
  }
  if (notResources !== undefined) {
    if (notResources.some((r) => !r.isUnknown && r.intersects(ANY_BEDROCK_SHAPE))) {
      return false;
    }
    const unknown = notResources.find((r) => r.isUnknown);
    if (unknown !== undefined) {
      throw new Error(`${path}: the resource ${unknown.display} cannot be resolved at synth time, so the statement cannot be checked`);
    }
    return true;
  }
  return false;
}

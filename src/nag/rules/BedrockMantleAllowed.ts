import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { NagRuleContext } from '../private/app-index';
import { ANY_MANTLE_SHAPE } from '../private/arn';
import { globIntersects } from '../private/glob';
import { allowStatements, allowsSomeOf, reaches } from '../private/statements';

const MANTLE_ACTIONS = 'bedrock-mantle:*';

/**
 * IAM policies do not allow `bedrock-mantle` actions (Bedrock's OpenAI- and Anthropic-compatible
 * endpoint, a separate IAM namespace whose calls invocation logging does not record), whether named,
 * through `*`, or through a `NotAction` that does not exclude them.
 *
 * One finding per allowing action (`Action::<action>` or `NotAction::<actions>`).
 * @param node the CfnResource to check
 * @param context the app index and pack settings
 */
export function BedrockMantleAllowed(node: CfnResource, context: NagRuleContext): NagRuleResult {
  const statements = context.index.statementsOf(node);
  if (statements === undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const findings = new Set<string>();
  for (const statement of allowStatements(statements)) {
    if (!allowsSomeOf(statement, MANTLE_ACTIONS) || !reaches(statement, ANY_MANTLE_SHAPE)) {
      continue;
    }
    if (statement.actions !== undefined) {
      statement.actions.filter((a) => globIntersects(a.pattern, MANTLE_ACTIONS)).forEach((a) => findings.add(`Action::${a.display}`));
    } else {
      findings.add(`NotAction::${(statement.notActions ?? []).map((a) => a.display).join(',')}`);
    }
  }
  return findings.size > 0 ? [...findings] : NagRuleCompliance.COMPLIANT;
}

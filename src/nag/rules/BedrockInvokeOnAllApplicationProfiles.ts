import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { NagRuleContext } from '../private/app-index';
import { ArnPattern } from '../private/arn';
import { globIntersects, hasWildcard } from '../private/glob';
import { INVOKE_ACTIONS, allowStatements, allowsAction, scopedByResourceTag } from '../private/statements';

/**
 * IAM policies allow Bedrock invoke actions on named application inference profiles, not on a
 * wildcard over them (`application-inference-profile/*`), unless an `aws:ResourceTag/<key>`
 * condition scopes the statement to a team's profiles.
 *
 * Broader wildcards that also reach foundation models (`*`, `arn:*:bedrock:*:*:*`) are the concern
 * of BedrockDirectModelInvocation and BedrockWildcardPermissions, not of this rule.
 *
 * One finding per offending resource (`Resource::<arn>`).
 * @param node the CfnResource to check
 * @param context the app index and pack settings
 */
export function BedrockInvokeOnAllApplicationProfiles(node: CfnResource, context: NagRuleContext): NagRuleResult {
  const statements = context.index.statementsOf(node);
  if (statements === undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const findings = new Set<string>();
  for (const statement of allowStatements(statements)) {
    if (!INVOKE_ACTIONS.some((action) => allowsAction(statement, action)) || scopedByResourceTag(statement)) {
      continue;
    }
    for (const resource of statement.resources ?? []) {
      if (wildcardOverApplicationProfiles(resource)) {
        findings.add(`Resource::${resource.display}`);
      }
    }
  }
  return findings.size > 0 ? [...findings] : NagRuleCompliance.COMPLIANT;
}

function wildcardOverApplicationProfiles(resource: ArnPattern): boolean {
  if (resource.isUnknown || resource.isAll) {
    return false;
  }
  const service = resource.servicePart;
  const part = resource.resourcePart;
  if (service === undefined || part === undefined || !globIntersects(service, 'bedrock')) {
    return false;
  }
  return hasWildcard(part)
    && globIntersects(part, 'application-inference-profile/*')
    && !globIntersects(part, 'foundation-model/*');
}

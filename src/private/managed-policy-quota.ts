import { Annotations, CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/** IAM's default quota of managed policies attached to one role, user or group (adjustable up to 20). */
export const MANAGED_POLICIES_PER_PRINCIPAL = 10;

const WATCHED = new WeakSet<IConstruct>();

/**
 * Count, at synthesis (a validation: every aspect and policy attachment has run by then, nothing is resolved
 * earlier), the managed policies attached to a principal of the app: its `ManagedPolicyArns` and the app's
 * managed policies in the same stack that name it in `Roles`, `Users` or `Groups`. Over IAM's default quota,
 * a warning names the count, since the deployment would fail unless the account's quota was raised.
 */
export function watchManagedPolicyQuota(principal: iam.Role | iam.User | iam.Group): void {
  if (WATCHED.has(principal)) {
    return;
  }
  WATCHED.add(principal);
  principal.node.addValidation({
    validate: () => {
      const count = attachedManagedPolicies(principal);
      if (count !== undefined && count > MANAGED_POLICIES_PER_PRINCIPAL) {
        Annotations.of(principal).addWarningV2('cdk-bedrock-governance:managedPolicyQuota',
          `${principal.node.path} has ${count} managed policies attached; IAM allows ${MANAGED_POLICIES_PER_PRINCIPAL} per role, user or group by default, so the deployment fails unless the account's quota was raised. `
          + 'Attach fewer policies (give each team its own role), or request a higher quota');
      }
      return [];
    },
  });
}

/** The number of managed policies attached to the principal, or undefined when its list cannot be counted. */
function attachedManagedPolicies(principal: iam.Role | iam.User | iam.Group): number | undefined {
  const stack = Stack.of(principal);
  const cfn = principal.node.defaultChild as CfnResource & { managedPolicyArns?: unknown };
  const own = stack.resolve(cfn.managedPolicyArns);
  if (own !== undefined && !Array.isArray(own)) {
    return undefined;
  }
  const key = principal instanceof iam.Role ? 'roles' : principal instanceof iam.User ? 'users' : 'groups';
  const ref = JSON.stringify(stack.resolve(cfn.ref));
  let fromPolicies = 0;
  for (const construct of stack.node.findAll()) {
    if (construct instanceof iam.CfnManagedPolicy && Stack.of(construct) === stack) {
      const names = stack.resolve(construct[key]);
      if (Array.isArray(names) && names.some((name) => JSON.stringify(name) === ref)) {
        fromPolicies++;
      }
    }
  }
  return (own ?? []).length + fromPolicies;
}

import { Annotations, CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/** IAM's default quota of managed policies attached to one role, user or group (adjustable up to 20). */
export const MANAGED_POLICIES_PER_PRINCIPAL = 10;

/** The principals watched, by stack: one validation per stack counts them all. */
const WATCHED = new WeakMap<Stack, Set<iam.Role | iam.User | iam.Group>>();

/**
 * Count, at synthesis (a validation: every aspect and policy attachment has run by then, nothing is resolved
 * earlier), the managed policies attached to a principal of the app: its `ManagedPolicyArns` and the app's
 * managed policies in the same stack that name it in `Roles`, `Users` or `Groups`. Over IAM's default quota,
 * a warning names the count, since the deployment would fail unless the account's quota was raised.
 */
export function watchManagedPolicyQuota(principal: iam.Role | iam.User | iam.Group): void {
  const stack = Stack.of(principal);
  let watched = WATCHED.get(stack);
  if (!watched) {
    const principals = new Set<iam.Role | iam.User | iam.Group>();
    watched = principals;
    WATCHED.set(stack, principals);
    // one pass over the stack's managed policies per synthesis, however many principals it holds
    stack.node.addValidation({ validate: () => checkQuota(stack, principals) });
  }
  watched.add(principal);
}

function checkQuota(stack: Stack, principals: Set<iam.Role | iam.User | iam.Group>): string[] {
  const attachments = policyAttachments(stack);
  for (const principal of principals) {
    const count = attachedManagedPolicies(stack, principal, attachments);
    if (count !== undefined && count > MANAGED_POLICIES_PER_PRINCIPAL) {
      Annotations.of(principal).addWarningV2('cdk-bedrock-governance:managedPolicyQuota',
        `${principal.node.path} has ${count} managed policies attached; IAM allows ${MANAGED_POLICIES_PER_PRINCIPAL} per role, user or group by default, so the deployment fails unless the account's quota was raised. `
        + 'Attach fewer policies (give each team its own role), or request a higher quota');
    }
  }
  return [];
}

type PrincipalKey = 'roles' | 'users' | 'groups';

/** How many of the stack's managed policies name each principal (by its resolved reference), per kind. */
function policyAttachments(stack: Stack): Record<PrincipalKey, Map<string, number>> {
  const counts: Record<PrincipalKey, Map<string, number>> = { roles: new Map(), users: new Map(), groups: new Map() };
  for (const construct of stack.node.findAll()) {
    if (construct instanceof iam.CfnManagedPolicy && Stack.of(construct) === stack) {
      for (const key of Object.keys(counts) as PrincipalKey[]) {
        const names = stack.resolve(construct[key]);
        if (Array.isArray(names)) {
          for (const name of new Set(names.map((n) => JSON.stringify(n)))) {
            counts[key].set(name, (counts[key].get(name) ?? 0) + 1);
          }
        }
      }
    }
  }
  return counts;
}

/** The number of managed policies attached to the principal, or undefined when its list cannot be counted. */
function attachedManagedPolicies(
  stack: Stack, principal: iam.Role | iam.User | iam.Group, attachments: Record<PrincipalKey, Map<string, number>>,
): number | undefined {
  const cfn = principal.node.defaultChild as CfnResource & { managedPolicyArns?: unknown };
  const own = stack.resolve(cfn.managedPolicyArns);
  if (own !== undefined && !Array.isArray(own)) {
    return undefined;
  }
  const key: PrincipalKey = principal instanceof iam.Role ? 'roles' : principal instanceof iam.User ? 'users' : 'groups';
  const fromPolicies = attachments[key].get(JSON.stringify(stack.resolve(cfn.ref))) ?? 0;
  return (own ?? []).length + fromPolicies;
}

import { Annotations, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { GovernanceValidationError } from '../../private/errors';

/**
 * Model invocation logging is one setting per account and Region. This registry remembers, per app
 * (keyed on the construct tree's root), which construct configures it for which environment, so a
 * second one is a synth-time error instead of two stacks silently overwriting each other's setting.
 */
const REGISTRY = new WeakMap<IConstruct, Map<string, string>>();

/** Warning id when the environment of the stack is not known at synth time. */
export const LOGGING_ENV_AGNOSTIC_WARNING = 'cdk-bedrock-governance/logging:envAgnostic';

/**
 * Register `scope` as the invocation-logging owner of its stack's account and Region.
 *
 * With a concrete account and Region the key is `<account>/<region>`, checked across the whole app.
 * With a token for either, the check falls back to one per stack, and a warning says so.
 *
 * @throws GovernanceValidationError if another construct already owns that environment
 */
export function registerInvocationLogging(scope: IConstruct): void {
  const stack = Stack.of(scope);
  const concrete = !Token.isUnresolved(stack.account) && !Token.isUnresolved(stack.region);
  const key = concrete ? `${stack.account}/${stack.region}` : `stack:${stack.node.path}`;
  const root = scope.node.root;
  let owners = REGISTRY.get(root);
  if (!owners) {
    owners = new Map();
    REGISTRY.set(root, owners);
  }
  const existing = owners.get(key);
  if (existing !== undefined) {
    const where = concrete
      ? `account ${stack.account} and Region ${stack.region}`
      : `the environment of stack ${stack.node.path} (account and Region unknown at synth time)`;
    throw new GovernanceValidationError(scope,
      `a second InvocationLogging for ${where}: ${existing} already configures model invocation logging there. `
      + 'It is one setting per account and Region, and each would overwrite the other\'s. Keep a single InvocationLogging per account and Region, in one stack');
  }
  owners.set(key, scope.node.path);
  if (!concrete) {
    Annotations.of(scope).addWarningV2(LOGGING_ENV_AGNOSTIC_WARNING,
      `The account or Region of stack ${stack.node.path} is not known at synth time, so only one InvocationLogging per stack can be checked. `
      + 'Model invocation logging is one setting per account and Region: make sure no other stack deployed to the same environment configures it, '
      + 'or give the stack an explicit env ({ account, region }) to have it checked across the app');
  }
}

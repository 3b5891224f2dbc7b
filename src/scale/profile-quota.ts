import { Stack, Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { GovernanceValidationError } from '../private/errors';

/** Default application inference profile quota per account and Region (UNVERIFIED: 1,000 or 2,000). */
export const DEFAULT_PROFILE_QUOTA = 1000;

/** Profiles per account and Region across the app (keyed on the construct tree's root). */
const PROFILE_COUNTS = new WeakMap<IConstruct, Map<string, number>>();

/**
 * Count a facade's new profiles against the quota of its stack's account and Region, across every facade
 * of the app; more than the quota is a synth error. Stacks without a concrete account and Region are not
 * counted.
 */
export function countProfiles(facade: Construct, added: number, quota: number): void {
  const stack = Stack.of(facade);
  if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) {
    return;
  }
  const root = facade.node.root;
  let counts = PROFILE_COUNTS.get(root);
  if (!counts) {
    counts = new Map();
    PROFILE_COUNTS.set(root, counts);
  }
  const key = `${stack.account}/${stack.region}`;
  const total = (counts.get(key) ?? 0) + added;
  counts.set(key, total);
  if (total > quota) {
    throw new GovernanceValidationError(facade,
      `${total} application inference profiles in account ${stack.account}, Region ${stack.region} (teams x models, across the app) exceed the profile quota of ${quota}. `
      + 'Ask AWS to raise the Bedrock application inference profile quota and set profileQuota to the new value, or spread the teams across Regions or accounts');
  }
}

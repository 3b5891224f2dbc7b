import { Stack, Token } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import { IConstruct } from 'constructs';
import { InvocationLogging } from '../../logging/invocation-logging';
import { GovernanceValidationError } from '../../private/errors';

/** What the app-wide profile count needs of a StackSet. */
export interface CountedStackSet extends IConstruct {
  readonly memberStack: Stack;
  readonly deployments: { readonly organizationalUnitIds: string[]; readonly regions: string[]; readonly accounts?: string[] }[];
  readonly profileQuota: number;
}

/** The StackSets of each app (keyed on the construct tree's root). */
const STACK_SETS = new WeakMap<IConstruct, CountedStackSet[]>();

/**
 * Register a StackSet for the app-wide checks. The first StackSet of an app carries the validation that counts, at
 * synthesis, the owners of the invocation logging setting and the application inference profiles of every account
 * and Region: those of stacks with a
 * concrete environment, plus those of each StackSet instance (member template x account, or x organizational
 * unit where the StackSet names no account: each account of the OU gets one copy per StackSet).
 */
export function registerStackSet(stackSet: CountedStackSet): void {
  const root = stackSet.node.root;
  const list = STACK_SETS.get(root);
  if (list) {
    list.push(stackSet);
    return;
  }
  STACK_SETS.set(root, [stackSet]);
  stackSet.node.addValidation({ validate: () => [...validateProfileQuota(root, stackSet), ...validateLoggingOwners(root, stackSet)] });
}

/**
 * How many of the matching constructs each account (or OU) and Region gets across the app: those in stacks with a
 * concrete environment, plus those of each StackSet's member stack times its targets. `stackSetKeys` receives the
 * keys some StackSet adds to, with the StackSet.
 */
function countPerEnvironment(
  root: IConstruct, match: (c: IConstruct) => boolean, stackSetKeys: (key: string, set: CountedStackSet) => void,
): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (key: string, n: number) => counts.set(key, (counts.get(key) ?? 0) + n);
  for (const c of root.node.findAll().filter(match)) {
    const stack = Stack.of(c);
    if (!Token.isUnresolved(stack.account) && !Token.isUnresolved(stack.region)) {
      add(`account ${stack.account}, Region ${stack.region}`, 1);
    }
  }
  for (const set of STACK_SETS.get(root) ?? []) {
    const n = set.memberStack.node.findAll().filter(match).length;
    for (const d of set.deployments) {
      const targets = d.accounts ? d.accounts.map((a) => `account ${a}`) : d.organizationalUnitIds.map((ou) => `each account of ${ou}`);
      for (const target of targets) {
        for (const region of d.regions) {
          if (Token.isUnresolved(target) || Token.isUnresolved(region)) {
            continue;
          }
          const key = `${target}, Region ${region}`;
          add(key, n);
          stackSetKeys(key, set);
        }
      }
    }
  }
  return counts;
}

/**
 * Model invocation logging is one setting per account and Region: two stacks (or StackSet instances) that both
 * apply it in the same account and Region overwrite each other.
 */
function validateLoggingOwners(root: IConstruct, reporter: IConstruct): string[] {
  const touched = new Set<string>();
  const counts = countPerEnvironment(root, (c) => c instanceof InvocationLogging, (key) => touched.add(key));
  return [...touched].filter((key) => (counts.get(key) ?? 0) > 1).map((key) => new GovernanceValidationError(reporter,
    `${counts.get(key)} stacks or StackSet instances apply the model invocation logging setting in ${key}, and each overwrites the others. `
    + 'Keep InvocationLogging in one of them (invocationLogging: { enabled: false } in the others), or deploy the StackSets to different accounts or Regions').message);
}

/** Profiles per account (or OU) and Region across the app; the keys some StackSet adds to, over their quota. */
function validateProfileQuota(root: IConstruct, reporter: IConstruct): string[] {
  const quotas = new Map<string, number>();
  const counts = countPerEnvironment(root, (c) => c instanceof bedrock.CfnApplicationInferenceProfile,
    (key, set) => quotas.set(key, Math.min(quotas.get(key) ?? Number.MAX_SAFE_INTEGER, set.profileQuota)));
  const errors: string[] = [];
  for (const [key, quota] of quotas) {
    const total = counts.get(key) ?? 0;
    if (total > quota) {
      errors.push(new GovernanceValidationError(reporter,
        `${total} application inference profiles in ${key} (stacks and StackSet instances across the app) exceed the profile quota of ${quota}. `
        + 'Ask AWS to raise the Bedrock application inference profile quota and set profileQuota to the new value, or spread the teams across Regions or accounts').message);
    }
  }
  return errors;
}

import { Stack, Token } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import { IConstruct } from 'constructs';
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
 * Register a StackSet for the app-wide profile count. The first StackSet of an app carries the validation that
 * counts, at synthesis, the application inference profiles of every account and Region: those of stacks with a
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
  stackSet.node.addValidation({ validate: () => validateProfileQuota(root, stackSet) });
}

function profilesIn(scope: IConstruct): IConstruct[] {
  return scope.node.findAll().filter((c) => c instanceof bedrock.CfnApplicationInferenceProfile);
}

/** Profiles per account (or OU) and Region across the app; the keys some StackSet adds to, over their quota. */
function validateProfileQuota(root: IConstruct, reporter: IConstruct): string[] {
  const counts = new Map<string, number>();
  const quotas = new Map<string, number>();
  const add = (key: string, n: number) => counts.set(key, (counts.get(key) ?? 0) + n);
  for (const profile of profilesIn(root)) {
    const stack = Stack.of(profile);
    if (!Token.isUnresolved(stack.account) && !Token.isUnresolved(stack.region)) {
      add(`account ${stack.account}, Region ${stack.region}`, 1);
    }
  }
  for (const set of STACK_SETS.get(root) ?? []) {
    const n = profilesIn(set.memberStack).length;
    for (const d of set.deployments) {
      const targets = d.accounts ? d.accounts.map((a) => `account ${a}`) : d.organizationalUnitIds.map((ou) => `each account of ${ou}`);
      for (const target of targets) {
        for (const region of d.regions) {
          if (Token.isUnresolved(target) || Token.isUnresolved(region)) {
            continue;
          }
          const key = `${target}, Region ${region}`;
          add(key, n);
          quotas.set(key, Math.min(quotas.get(key) ?? Number.MAX_SAFE_INTEGER, set.profileQuota));
        }
      }
    }
  }
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

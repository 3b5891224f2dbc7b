import * as iam from 'aws-cdk-lib/aws-iam';
import { BEDROCK_ACTION_TABLE, INVOKE_RESOURCE_TOGGLES, Verdict, optedIn } from './bedrock-action-table';
import { BedrockActions } from '../../models/bedrock-actions';
import { costTagKeyList, resolveCostTagKeys } from '../../tags/cost-tag-keys';
import { CostTagKeys } from '../../tags/cost-tags';
import { BATCH_INFERENCE_TAG_KEY, GOVERNANCE_POLICY_PATH } from '../../tags/governance-tags';

/** How the statements are delivered. */
export enum GuardForm {
  POLICY = 'policy',
  BOUNDARY = 'boundary',
  SCP = 'scp',
  /** Added to another managed policy (a team's invokePolicy): like POLICY, without Sids, to save characters. */
  EMBEDDED = 'embedded',
}

/** The most characters (whitespace not counted) of an IAM managed policy. */
export const MANAGED_POLICY_MAX_CHARACTERS = 6144;

/** Characters a deploy-time value (a token: profile or role ARN) is assumed to take. */
const TOKEN_LENGTH = 96;

/** Characters a pseudo parameter (partition, Region, account) is assumed to take. */
const PSEUDO_LENGTH = 14;

/**
 * The length of a policy document as IAM counts it (minified JSON), estimated without resolving anything:
 * a pseudo parameter counts as 14 characters, every other unresolved token as 96.
 */
export function estimatedPolicyLength(statements: iam.PolicyStatement[]): number {
  const json = JSON.stringify({ Version: '2012-10-17', Statement: statements.map((s) => s.toStatementJson()) });
  return json
    .replace(/\$\{Token\[AWS\.[A-Za-z]+\.\d+\]\}/g, 'x'.repeat(PSEUDO_LENGTH))
    .replace(/\$\{Token\[[^\]]+\]\}/g, 'x'.repeat(TOKEN_LENGTH)).length;
}

/** The guard settings the statements depend on (the guard's props, with toggles by name). */
export interface GuardStatementInput {
  readonly props: Record<string, unknown>;
  readonly costTagKeys?: CostTagKeys;
  /** ARNs (or tokens) of the exempt roles: excluded from every statement. */
  readonly exemptArns: string[];
  /** `aws:PrincipalArn` patterns of the deployer: excluded from the statements about tags, creation and deletion. */
  readonly deployerArns: string[];
  readonly form: GuardForm;
}

/** The default deployer patterns: the CloudFormation execution roles of the CDK bootstrap. */
export const DEFAULT_DEPLOYER_PRINCIPAL_ARNS = ['arn:*:iam::*:role/cdk-*-cfn-exec-role-*'];

/** Every application inference profile. */
export const ALL_APPLICATION_PROFILES = 'arn:*:bedrock:*:*:application-inference-profile/*';

/** The library's own managed policies (the guard, its boundary, the teams' invoke policies). */
export const GOVERNANCE_POLICIES = `arn:*:iam::*:policy${GOVERNANCE_POLICY_PATH}*`;

/**
 * The actions of the given names, written with the shortest prefix wildcards that match no action of the
 * service outside the set (by the classification table), so the SCP stays small. A future action that
 * matches a wildcard is denied too (the table's completeness test reports it).
 */
export function compressActions(service: string, names: string[]): string[] {
  const all = BEDROCK_ACTION_TABLE.filter((g) => g.service === service).flatMap((g) => g.actions);
  const set = new Set(names);
  if (all.every((a) => set.has(a))) {
    return [`${service}:*`];
  }
  const out = new Set<string>();
  for (const name of [...names].sort()) {
    let written = name;
    for (let n = 6; n < name.length; n++) {
      const prefix = name.slice(0, n);
      if (all.filter((a) => a.startsWith(prefix)).every((a) => set.has(a))) {
        written = `${prefix}*`;
        break;
      }
    }
    out.add(`${service}:${written}`);
  }
  return [...out];
}

/** The deny statements of the guard, in a fixed order. */
export function guardStatements(input: GuardStatementInput): iam.PolicyStatement[] {
  const p = input.props;
  const keys = resolveCostTagKeys(input.costTagKeys);
  const costKeys = costTagKeyList(input.costTagKeys);
  const allowSystem = p.allowSystemInferenceProfiles === true;
  const invoke = BedrockActions.INVOKE_ACTIONS;
  const modelResources = allowSystem
    ? [BedrockActions.ALL_FOUNDATION_MODELS]
    : [BedrockActions.ALL_FOUNDATION_MODELS, BedrockActions.ALL_SYSTEM_INFERENCE_PROFILES];
  const deny = (sid: string, actions: string[], resources: string[], conditions: Record<string, any>, exempt: string[]) => {
    // the SCP form leaves out the Sids: AWS counts every character of an SCP against its 5,120 limit
    const withSid = input.form !== GuardForm.SCP && input.form !== GuardForm.EMBEDDED;
    const statement = new iam.PolicyStatement({ sid: withSid ? sid : undefined, effect: iam.Effect.DENY, actions, resources });
    for (const [operator, value] of Object.entries(conditions)) {
      statement.addCondition(operator, value);
    }
    if (exempt.length > 0) {
      statement.addCondition('ArnNotLike', { 'aws:PrincipalArn': exempt });
    }
    return statement;
  };
  // Embedded in a team's invokePolicy, the statements name no exempt role or deployer: neither holds that
  // policy (an exempt role that did would be guarded by it), and every character counts there.
  const embedded = input.form === GuardForm.EMBEDDED;
  const everyone = embedded ? [] : input.exemptArns;
  const notDeployer = embedded ? [] : [...input.exemptArns, ...input.deployerArns];
  // A model or system profile is denied when bedrock:InferenceProfileArn is absent (a direct call) or, unless system
  // profiles are allowed, names a system profile. `ArnLikeIfExists` says both in one statement: an ...IfExists
  // condition is true when its key is absent and is the plain ArnLike otherwise (IAM user guide, "Condition
  // operators"), so it decides every request as the two statements `Null = true` and `ArnLike <system profiles>`
  // did. Not `ArnNotLike <application profiles>`: it would also deny a value that is neither kind of profile,
  // which the two statements allow (whether Bedrock ever sends such a value is UNVERIFIED: the service
  // authorization reference only says the key filters by "the specified inference profile"). The simulator
  // test in test/access/direct-invocation-guard.test.ts compares the forms.
  const statements: iam.PolicyStatement[] = [
    deny('DenyDirectModelInvocation', invoke, modelResources, allowSystem
      ? { Null: { [BedrockActions.INFERENCE_PROFILE_ARN_KEY]: 'true' } }
      : { ArnLikeIfExists: { [BedrockActions.INFERENCE_PROFILE_ARN_KEY]: BedrockActions.ALL_SYSTEM_INFERENCE_PROFILES } }, everyone),
  ];
  statements.push(deny('DenyUntaggedProfiles', invoke, [ALL_APPLICATION_PROFILES], { Null: { [`aws:ResourceTag/${keys.team}`]: 'true' } }, everyone));
  const teamMatch = p.requireTeamMatch === true;
  if (teamMatch) {
    statements.push(deny('DenyOtherTeamsProfiles', invoke, [ALL_APPLICATION_PROFILES], {
      StringNotEquals: { [`aws:ResourceTag/${keys.team}`]: `\${aws:PrincipalTag/${keys.team}}` },
    }, everyone));
    statements.push(deny('DenyProfilesToUntaggedPrincipals', invoke, [ALL_APPLICATION_PROFILES], {
      Null: { [`aws:PrincipalTag/${keys.team}`]: 'true' },
    }, everyone));
  }
  const otherResources = INVOKE_RESOURCE_TOGGLES.filter((r) => !optedIn(r.toggle, p)).map((r) => r.arn);
  if (otherResources.length > 0) {
    statements.push(deny('DenyOtherModelResources', invoke, otherResources, {}, everyone));
  }
  if (p.denyGlobalRouting === true) {
    statements.push(deny('DenyGlobalRouting', invoke, ['*'], { StringEquals: { 'aws:RequestedRegion': BedrockActions.GLOBAL_REQUESTED_REGION } }, everyone));
  }
  costKeys.forEach((key, i) => {
    // no deployer exemption: nobody needs to create an untagged profile
    statements.push(deny(`DenyUntaggedProfileCreation${i}`, ['bedrock:CreateInferenceProfile'], ['*'], { Null: { [`aws:RequestTag/${key}`]: 'true' } }, everyone));
  });
  if (teamMatch) {
    statements.push(deny('DenyProfileCreationForOtherTeams', ['bedrock:CreateInferenceProfile'], ['*'], {
      StringNotEquals: { [`aws:RequestTag/${keys.team}`]: `\${aws:PrincipalTag/${keys.team}}` },
    }, notDeployer));
  }
  statements.push(deny('DenyCostTagChanges', ['bedrock:TagResource', 'bedrock:UntagResource'], ['*'], {
    'ForAnyValue:StringEquals': { 'aws:TagKeys': costKeys },
  }, notDeployer));
  statements.push(deny('DenyProfileDeletion', ['bedrock:DeleteInferenceProfile'], ['*'], {}, notDeployer));
  statements.push(deny('DenyPrincipalTagChanges', ['iam:TagRole', 'iam:UntagRole', 'iam:TagUser', 'iam:UntagUser', 'sts:TagSession'], ['*'], {
    'ForAnyValue:StringEquals': { 'aws:TagKeys': [...costKeys, BATCH_INFERENCE_TAG_KEY] },
  }, notDeployer));

  // the opt-in actions of the table, except batch inference (its exemption is per principal)
  const byService = new Map<string, string[]>();
  for (const group of BEDROCK_ACTION_TABLE) {
    if (group.verdict !== Verdict.OPT_IN || group.toggle === undefined || group.toggle === 'denyBatchInference' || optedIn(group.toggle, p)) {
      continue;
    }
    byService.set(group.service, [...(byService.get(group.service) ?? []), ...group.actions]);
  }
  const optInActions = [...byService.entries()].flatMap(([service, names]) => compressActions(service, names));
  if (optInActions.length > 0) {
    statements.push(deny('DenyOptInActions', optInActions, ['*'], {}, everyone));
  }
  if (!optedIn('denyBatchInference', p)) {
    statements.push(deny('DenyBatchInference', [BedrockActions.CREATE_BATCH_JOB], ['*'], {
      StringNotEquals: { [`aws:PrincipalTag/${BATCH_INFERENCE_TAG_KEY}`]: 'true' },
    }, everyone));
  }
  if (input.form !== GuardForm.SCP && p.protectGuard !== false) {
    statements.push(deny('DenyGuardDetachment', ['iam:DetachRolePolicy', 'iam:DetachUserPolicy', 'iam:DetachGroupPolicy'], ['*'], {
      ArnLike: { 'iam:PolicyARN': GOVERNANCE_POLICIES },
    }, everyone));
    statements.push(deny('DenyGuardPolicyChanges',
      ['iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion'], [GOVERNANCE_POLICIES], {}, everyone));
    statements.push(deny('DenyBoundaryRemoval', ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'], ['*'], {}, everyone));
    statements.push(deny('DenyBoundaryReplacement', ['iam:PutRolePermissionsBoundary', 'iam:PutUserPermissionsBoundary'], ['*'], {
      ArnNotLike: { 'iam:PermissionsBoundary': GOVERNANCE_POLICIES },
    }, everyone));
  }
  const folded = foldStatements(statements);
  FORMER_STATEMENTS.set(folded, () => {
    // as versions before the join and the folding wrote them: a Null deny, then an ArnLike deny on system profiles
    const former = [...statements];
    if (!allowSystem) {
      former.splice(0, 1,
        deny('DenyDirectModelInvocation', invoke, modelResources, { Null: { [BedrockActions.INFERENCE_PROFILE_ARN_KEY]: 'true' } }, everyone),
        deny('DenyModelInvocationThroughSystemProfiles', invoke, modelResources, {
          ArnLike: { [BedrockActions.INFERENCE_PROFILE_ARN_KEY]: BedrockActions.ALL_SYSTEM_INFERENCE_PROFILES },
        }, everyone));
    }
    return former;
  });
  return folded;
}

/** How each statement list of `guardStatements` was written before its statements were joined (see `formerStatements`). */
const FORMER_STATEMENTS = new WeakMap<iam.PolicyStatement[], () => iam.PolicyStatement[]>();

/**
 * The statements `guardStatements` wrote for the same input before the two model-invocation denies were joined
 * and statements folded (the same decisions, more statements): team placement counts a team's invokePolicy at
 * that size, so that no team of a deployed sharded app moves (docs/SCALE.md).
 */
export function formerStatements(statements: iam.PolicyStatement[]): iam.PolicyStatement[] {
  return FORMER_STATEMENTS.get(statements)?.() ?? statements;
}

/**
 * The statements, with every statement that differs from an earlier one only in its actions folded into that
 * earlier one (in the forms without Sids: a Sid keeps a statement apart). A request matches a Deny statement
 * when its action matches one of the statement's actions, its resource one of the resources and the
 * conditions hold, so one statement with the union of the actions and the same resources and conditions
 * denies exactly what the separate statements denied. In the embedded form this joins the unconditional
 * `Resource: "*"` statements (profile deletion, the opt-in actions, boundary removal); in the SCP form, only
 * statements whose exemptions are the same (with `deployerPrincipalArns: []`).
 */
export function foldStatements(statements: iam.PolicyStatement[]): iam.PolicyStatement[] {
  const out: iam.PolicyStatement[] = [];
  const byShape = new Map<string, iam.PolicyStatement>();
  for (const statement of statements) {
    // everything but the actions (toStatementJson returns a fresh object)
    const shape = statement.toStatementJson();
    delete shape.Action;
    const key = JSON.stringify(shape);
    const earlier = byShape.get(key);
    if (earlier !== undefined && shape.Sid === undefined && statement.notActions.length === 0) {
      earlier.addActions(...statement.actions);
      continue;
    }
    byShape.set(key, statement);
    out.push(statement);
  }
  return out;
}

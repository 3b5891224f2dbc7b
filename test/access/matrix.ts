/**
 * The IAM access matrix of the direct-invocation guard: who can call what, decided by a real policy
 * evaluator (@cloud-copilot/iam-simulate, Strict mode) on the synthesized, resolved policies.
 *
 * The expected decisions are written below as a table a reader can check; the test
 * (access-matrix.test.ts) compares every cell, and scripts/render-access-matrix.ts renders the same
 * table to docs/ACCESS-MATRIX.md.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BedrockGovernance, BedrockModel, CrossRegionGeo, InferenceRouting } from '../../src';
import { ACCOUNT, ENV, REGION, defaultAttributes, resolveIntrinsics, testApp } from '../helpers/cfn';
import { Decision, NamedPolicy, RolePolicies, policiesOfRole, simulate } from '../helpers/iam';

/** A = Allowed, D = ExplicitlyDenied, I = ImplicitlyDenied. */
export type Letter = 'A' | 'D' | 'I';
const LETTER: Record<Decision, Letter> = { Allowed: 'A', ExplicitlyDenied: 'D', ImplicitlyDenied: 'I' };

const HAIKU = BedrockModel.CLAUDE_HAIKU_4_5.modelId;
const LITE = BedrockModel.NOVA_LITE.modelId;

/** The principals of the matrix. */
export const PRINCIPALS = {
  'role A': 'granted team alpha (Claude Haiku 4.5, cross-Region US); guard attached by the facade; org SCP applies',
  'role B': 'granted team bravo (Nova Lite, in-Region); guard attached by the facade; org SCP applies',
  'admin + guard': 'AdministratorAccess, guard attached as a managed policy',
  'admin + boundary': 'AdministratorAccess, guard as its permissions boundary',
  'admin + SCP': 'AdministratorAccess, no guard policy; the guard\'s SCP applies',
  'admin, no guard': 'AdministratorAccess only (what the guard prevents)',
  'break-glass': 'AdministratorAccess, one of the guard\'s exemptRoles; the guard\'s SCP applies',
  'batch submitter': 'granted team alpha and alpha\'s batch inference; guard attached by the facade, batch deny exempts it; org SCP applies',
} as const;
export type Principal = keyof typeof PRINCIPALS;

/** The resources of the invoke rows. */
export const RESOURCES = {
  "A's profile": (m: MatrixApp) => m.profileA,
  "B's profile": (m: MatrixApp) => m.profileB,
  'Haiku, us-east-1': () => `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`,
  'Haiku, eu-west-1': () => `arn:aws:bedrock:eu-west-1::foundation-model/${HAIKU}`,
  'Nova Lite, us-east-1': () => `arn:aws:bedrock:us-east-1::foundation-model/${LITE}`,
  'system us. Haiku profile': () => `arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/us.${HAIKU}`,
} as const;
export type ResourceName = keyof typeof RESOURCES;

/** The values of `bedrock:InferenceProfileArn` (columns). */
export const CONTEXTS = ["A's profile", "B's profile", 'system profile', 'absent'] as const;
export type ContextName = typeof CONTEXTS[number];

const INVOKE_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];

/** The other paths around a profile (no `bedrock:InferenceProfileArn` context). */
export const OTHER_PATHS: Record<string, { action: string; resource: string; context?: Record<string, string> }> = {
  'batch job, untagged': { action: 'bedrock:CreateModelInvocationJob', resource: `arn:aws:bedrock:us-east-1:${ACCOUNT}:model-invocation-job/job-1` },
  'batch job, tagged team=alpha': {
    action: 'bedrock:CreateModelInvocationJob', resource: `arn:aws:bedrock:us-east-1:${ACCOUNT}:model-invocation-job/job-1`, context: { 'aws:RequestTag/team': 'alpha' },
  },
  'batch job on Haiku': { action: 'bedrock:CreateModelInvocationJob', resource: `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}` },
  'bedrock-mantle:CreateInference': { action: 'bedrock-mantle:CreateInference', resource: `arn:aws:bedrock-mantle:us-east-1:${ACCOUNT}:project/default` },
  'bedrock:CreateProvisionedModelThroughput': { action: 'bedrock:CreateProvisionedModelThroughput', resource: `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}` },
};

// ---------------------------------------------------------------------------------------------
// EXPECTED DECISIONS. Invoke rows: one letter per column (A's profile, B's profile, system, absent),
// identical for InvokeModel and InvokeModelWithResponseStream.
// ---------------------------------------------------------------------------------------------
const ALL_ALLOWED: Record<ResourceName, string> = {
  "A's profile": 'AAAA',
  "B's profile": 'AAAA',
  'Haiku, us-east-1': 'AAAA',
  'Haiku, eu-west-1': 'AAAA',
  'Nova Lite, us-east-1': 'AAAA',
  'system us. Haiku profile': 'AAAA',
};
const ADMIN_GUARDED: Record<ResourceName, string> = {
  "A's profile": 'AAAA', //             profiles are never denied by the guard
  "B's profile": 'AAAA',
  'Haiku, us-east-1': 'AADD', //        through an application profile: allowed; direct or via system profile: denied
  'Haiku, eu-west-1': 'AADD',
  'Nova Lite, us-east-1': 'AADD',
  'system us. Haiku profile': 'AADD',
};
export const EXPECTED_INVOKE: Record<Principal, Record<ResourceName, string>> = {
  'role A': {
    "A's profile": 'AAAA', //           its own profile
    "B's profile": 'IIII', //           not granted
    'Haiku, us-east-1': 'AIDD', //      only under its own profile ARN
    'Haiku, eu-west-1': 'AIDD', //      cross-Region: any Region, same rule
    'Nova Lite, us-east-1': 'IIDD', //  not its model
    'system us. Haiku profile': 'AIDD',
  },
  'role B': {
    "A's profile": 'IIII',
    "B's profile": 'AAAA',
    'Haiku, us-east-1': 'IIDD',
    'Haiku, eu-west-1': 'IIDD',
    'Nova Lite, us-east-1': 'IADD', //  in-Region: only the stack's Region, only under B's profile
    'system us. Haiku profile': 'IIDD',
  },
  'admin + guard': ADMIN_GUARDED,
  'admin + boundary': ADMIN_GUARDED,
  'admin + SCP': ADMIN_GUARDED,
  'admin, no guard': ALL_ALLOWED,
  'break-glass': ALL_ALLOWED,
  'batch submitter': {
    "A's profile": 'AAAA', //           the same invoke rights as role A
    "B's profile": 'IIII',
    'Haiku, us-east-1': 'AIDD',
    'Haiku, eu-west-1': 'AIDD',
    'Nova Lite, us-east-1': 'IIDD',
    'system us. Haiku profile': 'AIDD',
  },
};
/**
 * Other paths: one letter per entry of OTHER_PATHS, in order (untagged batch job, batch job tagged
 * team=alpha, batch job on Haiku, bedrock-mantle, provisioned throughput).
 */
export const EXPECTED_OTHER: Record<Principal, string> = {
  'role A': 'DDDDD',
  'role B': 'DDDDD',
  'admin + guard': 'DDDDD',
  'admin + boundary': 'DDDDD',
  'admin + SCP': 'DDDDD',
  'admin, no guard': 'AAAAA',
  'break-glass': 'AAAAA',
  'batch submitter': 'IAADD', //       exempt from the batch deny only: tagged jobs on its team's model
};

/** The synthesized app behind the matrix. */
export interface MatrixApp {
  readonly template: any;
  readonly profileA: string;
  readonly profileB: string;
  readonly policies: Record<Principal, RolePolicies>;
  readonly principalArns: Record<Principal, string>;
  readonly scp: NamedPolicy[];
  readonly scpApplies: Record<Principal, boolean>;
}

/** Build and synthesize the app: two teams, the facade's guard, and one role per principal. */
export function buildMatrixApp(): MatrixApp {
  const app = testApp();
  const stack = new Stack(app, 'Matrix', { env: ENV });
  const breakGlass = new iam.Role(stack, 'BreakGlass', {
    assumedBy: new iam.AccountRootPrincipal(),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')],
  });
  const gov = new BedrockGovernance(stack, 'Gov', { guard: { exemptRoles: [breakGlass] } });
  const alpha = gov.addTeam('alpha', {
    costCenter: 'CC-1', environment: 'prod', models: [BedrockModel.CLAUDE_HAIKU_4_5], routing: InferenceRouting.crossRegion(CrossRegionGeo.US),
  });
  const bravo = gov.addTeam('bravo', { costCenter: 'CC-2', environment: 'prod', models: [BedrockModel.NOVA_LITE] });
  const role = (id: string, admin: boolean) => new iam.Role(stack, id, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    managedPolicies: admin ? [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')] : [],
  });
  const roleA = role('RoleA', false);
  const roleB = role('RoleB', false);
  alpha.grantInvoke(roleA);
  bravo.grantInvoke(roleB);
  const batchSubmitter = role('BatchSubmitter', false);
  alpha.grantInvoke(batchSubmitter);
  alpha.grantBatchInference(batchSubmitter, {
    inputBucket: s3.Bucket.fromBucketName(stack, 'BatchIn', 'alpha-batch-input'),
    outputBucket: s3.Bucket.fromBucketName(stack, 'BatchOut', 'alpha-batch-output'),
  });
  const adminGuard = role('AdminGuard', true);
  gov.guard.attachTo(adminGuard);
  const adminBoundary = role('AdminBoundary', true);
  iam.PermissionsBoundary.of(adminBoundary).apply(gov.guard.permissionsBoundaryPolicy);
  const adminScp = role('AdminScp', true);
  const adminOpen = role('AdminOpen', true);
  const scpPolicy = gov.guard.toServiceControlPolicy(stack, 'Scp', { targetIds: ['r-ab12'] });

  const template = Template.fromStack(stack).toJSON();
  const attrs = defaultAttributes();
  const logicalId = (r: iam.Role) => stack.getLogicalId(r.node.defaultChild as iam.CfnRole);
  const profileArn = (team: typeof alpha) =>
    attrs(stack.getLogicalId(team.profiles[0].resource), { Type: 'AWS::Bedrock::ApplicationInferenceProfile' }, 'InferenceProfileArn');
  const roles: Record<Principal, iam.Role> = {
    'role A': roleA,
    'role B': roleB,
    'admin + guard': adminGuard,
    'admin + boundary': adminBoundary,
    'admin + SCP': adminScp,
    'admin, no guard': adminOpen,
    'break-glass': breakGlass,
    'batch submitter': batchSubmitter,
  };
  const policies = {} as Record<Principal, RolePolicies>;
  const principalArns = {} as Record<Principal, string>;
  for (const [name, r] of Object.entries(roles) as Array<[Principal, iam.Role]>) {
    policies[name] = policiesOfRole(template, logicalId(r), attrs);
    principalArns[name] = attrs(logicalId(r), template.Resources[logicalId(r)], 'Arn');
  }
  const scpContent = resolveIntrinsics(template.Resources[stack.getLogicalId(scpPolicy)].Properties.Content, template, attrs);
  return {
    template,
    profileA: profileArn(alpha),
    profileB: profileArn(bravo),
    policies,
    principalArns,
    scp: [
      { name: 'FullAWSAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
      { name: 'BedrockDirectInvocationGuard', policy: scpContent },
    ],
    scpApplies: {
      'role A': true,
      'role B': true,
      'admin + guard': false,
      'admin + boundary': false,
      'admin + SCP': true,
      'admin, no guard': false,
      'break-glass': true,
      'batch submitter': true,
    },
  };
}

/** One evaluated cell. */
export interface Cell {
  readonly principal: Principal;
  readonly action: string;
  readonly resource: string;
  readonly context: string;
  readonly expected: Letter;
  readonly actual: Letter;
  readonly ignoredContextKeys: string[];
}

/** Evaluate every cell of the matrix. */
export async function evaluateMatrix(m: MatrixApp): Promise<Cell[]> {
  const cells: Cell[] = [];
  const contextArn: Record<ContextName, string | undefined> = {
    "A's profile": m.profileA,
    "B's profile": m.profileB,
    'system profile': `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/us.${HAIKU}`,
    'absent': undefined,
  };
  for (const principal of Object.keys(PRINCIPALS) as Principal[]) {
    const scps = m.scpApplies[principal] ? m.scp : [];
    const base = { 'aws:PrincipalArn': m.principalArns[principal] };
    for (const action of INVOKE_ACTIONS) {
      for (const resourceName of Object.keys(RESOURCES) as ResourceName[]) {
        const resource = RESOURCES[resourceName](m);
        const row = EXPECTED_INVOKE[principal][resourceName];
        for (const [i, contextName] of CONTEXTS.entries()) {
          const arn = contextArn[contextName];
          const context = arn === undefined ? base : { ...base, 'bedrock:InferenceProfileArn': arn };
          const result = await simulate(m.policies[principal], { action, resource, context, principal: m.principalArns[principal] }, scps);
          cells.push({
            principal,
            action,
            resource: resourceName,
            context: contextName,
            expected: row[i] as Letter,
            actual: LETTER[result.decision],
            ignoredContextKeys: result.ignoredContextKeys,
          });
        }
      }
    }
    for (const [i, [label, path]] of Object.entries(OTHER_PATHS).entries()) {
      const context = { ...base, ...(path.context ?? {}) };
      const request = { action: path.action, resource: path.resource, context, principal: m.principalArns[principal] };
      const result = await simulate(m.policies[principal], request, scps);
      cells.push({
        principal,
        action: label,
        resource: path.resource,
        context: JSON.stringify(path.context ?? {}),
        expected: EXPECTED_OTHER[principal][i] as Letter,
        actual: LETTER[result.decision],
        ignoredContextKeys: result.ignoredContextKeys,
      });
    }
  }
  return cells;
}

/** Render the evaluated matrix as Markdown. */
export function renderMatrix(cells: Cell[]): string {
  const lines: string[] = [
    '# Access matrix',
    '',
    '<!-- Generated by scripts/render-access-matrix.ts from test/access/matrix.ts. Do not edit. -->',
    '',
    'Every cell is a decision of a real IAM policy evaluator (`@cloud-copilot/iam-simulate`, Strict mode) on the',
    'synthesized and resolved policies of `test/access/matrix.ts`: two teams (alpha: Claude Haiku 4.5, cross-Region US;',
    'bravo: Amazon Nova Lite, in-Region us-east-1), the facade\'s `DirectInvocationGuard`, and one role per principal.',
    'The test fails on any cell that differs from the expected table, and when this file is stale.',
    '',
    '`A` allowed, `D` explicitly denied, `I` implicitly denied (no statement allows it).',
    '',
    'The empty-Region foundation-model ARN of global routing (`arn:aws:bedrock:::foundation-model/...`) cannot be typed by',
    'the simulator; `test/access/team-grants.test.ts` shows that the grant pattern `bedrock:*::foundation-model/<id>` and the',
    'guard pattern `arn:*:bedrock:*::foundation-model/*` both match it.',
    '',
    '## Principals',
    '',
    '| principal | policies |',
    '|---|---|',
    ...Object.entries(PRINCIPALS).map(([name, text]) => `| ${name} | ${text} |`),
    '',
  ];
  for (const action of INVOKE_ACTIONS) {
    lines.push(`## \`${action}\``, '', 'Columns: the value of `bedrock:InferenceProfileArn` in the request.', '');
    lines.push(`| principal | resource | ${CONTEXTS.join(' | ')} |`, `|---|---|${CONTEXTS.map(() => '---').join('|')}|`);
    for (const principal of Object.keys(PRINCIPALS) as Principal[]) {
      for (const resourceName of Object.keys(RESOURCES) as ResourceName[]) {
        const row = CONTEXTS.map((c) => cells.find((x) =>
          x.principal === principal && x.action === action && x.resource === resourceName && x.context === c)!.actual);
        lines.push(`| ${principal} | ${resourceName} | ${row.join(' | ')} |`);
      }
    }
    lines.push('');
  }
  const others = Object.keys(OTHER_PATHS);
  lines.push('## Other paths around a profile', '', `| principal | ${others.join(' | ')} |`, `|---|${others.map(() => '---').join('|')}|`);
  for (const principal of Object.keys(PRINCIPALS) as Principal[]) {
    const row = others.map((o) => cells.find((x) => x.principal === principal && x.action === o)!.actual);
    lines.push(`| ${principal} | ${row.join(' | ')} |`);
  }
  const unexpected = cells.filter((c) => c.actual !== c.expected).length;
  lines.push('', `${cells.length} cells; ${unexpected} differ from the expected table.`, '');
  return lines.join('\n');
}

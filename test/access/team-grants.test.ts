/**
 * Who can invoke what, decided by a real IAM policy evaluator (@cloud-copilot/iam-simulate, Strict
 * mode) on the synthesized and resolved policies of the roles.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BedrockGovernance, BedrockModel, CrossRegionGeo, InferenceRouting } from '../../src';
import { ENV, cleanupOutdirs, defaultAttributes, testApp } from '../helpers/cfn';
import { Decision, RolePolicies, policiesOfRole, simulate } from '../helpers/iam';

afterAll(cleanupOutdirs);

const HAIKU = BedrockModel.CLAUDE_HAIKU_4_5.modelId;
const LITE = BedrockModel.NOVA_LITE.modelId;

let template: any;
let profileA: string;
let profileA2: string;
let profileB: string;
let roleA: RolePolicies;
let roleB: RolePolicies;
let roleANoStream: RolePolicies;
let roleWithPolicy: RolePolicies;

beforeAll(() => {
  const app = testApp();
  const stack = new Stack(app, 'S', { env: ENV });
  // The grants alone (the guard is proven in access-matrix.test.ts).
  const gov = new BedrockGovernance(stack, 'Gov', { attachGuardToGrantees: false });
  const a = gov.addTeam('alpha', {
    costCenter: 'CC-1',
    environment: 'prod',
    models: [BedrockModel.CLAUDE_HAIKU_4_5, BedrockModel.CLAUDE_SONNET_4_5],
    routing: InferenceRouting.crossRegion(CrossRegionGeo.US),
  });
  const b = gov.addTeam('bravo', { costCenter: 'CC-2', environment: 'prod', models: [BedrockModel.NOVA_LITE] });
  const mk = (id: string) => new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  a.grantInvoke(mk('RoleA'));
  b.grantInvoke(mk('RoleB'));
  a.grantInvoke(mk('RoleANoStream'), { streaming: false });
  mk('RoleWithPolicy').addManagedPolicy(a.invokePolicy);
  template = Template.fromStack(stack).toJSON();
  const attrs = defaultAttributes();
  const arnOf = (construct: any) => attrs(stack.getLogicalId(construct), { Type: 'AWS::Bedrock::ApplicationInferenceProfile' }, 'InferenceProfileArn');
  profileA = arnOf(a.profile(BedrockModel.CLAUDE_HAIKU_4_5).resource);
  profileA2 = arnOf(a.profile(BedrockModel.CLAUDE_SONNET_4_5).resource);
  profileB = arnOf(b.profiles[0].resource);
  const logical = (id: string) => stack.getLogicalId(stack.node.findChild(id).node.defaultChild as iam.CfnRole);
  roleA = policiesOfRole(template, logical('RoleA'));
  roleB = policiesOfRole(template, logical('RoleB'));
  roleANoStream = policiesOfRole(template, logical('RoleANoStream'));
  roleWithPolicy = policiesOfRole(template, logical('RoleWithPolicy'));
});

const fm = (region: string, id: string) => `arn:aws:bedrock:${region}::foundation-model/${id}`;
const sys = (id: string) => `arn:aws:bedrock:us-east-1:111122223333:inference-profile/${id}`;

type Row = [string, () => RolePolicies, string, () => string, () => string | undefined, Decision];

// principal, action, resource, bedrock:InferenceProfileArn, expected decision
const ROWS: Row[] = [
  ['A invokes its Haiku profile', () => roleA, 'bedrock:InvokeModel', () => profileA, () => undefined, 'Allowed'],
  ['A streams through its Haiku profile', () => roleA, 'bedrock:InvokeModelWithResponseStream', () => profileA, () => undefined, 'Allowed'],
  ['A invokes its Sonnet profile', () => roleA, 'bedrock:InvokeModel', () => profileA2, () => undefined, 'Allowed'],
  ['A reads its profile', () => roleA, 'bedrock:GetInferenceProfile', () => profileA, () => undefined, 'Allowed'],
  ['A reaches Haiku in us-east-2 through its profile', () => roleA, 'bedrock:InvokeModel', () => fm('us-east-2', HAIKU), () => profileA, 'Allowed'],
  ['A reaches Haiku in us-west-2 through its profile, streaming', () => roleA, 'bedrock:InvokeModelWithResponseStream', () => fm('us-west-2', HAIKU), () => profileA, 'Allowed'],
  ['A reaches the us. system profile through its profile', () => roleA, 'bedrock:InvokeModel', () => sys(`us.${HAIKU}`), () => profileA, 'Allowed'],
  ['A calls Haiku directly', () => roleA, 'bedrock:InvokeModel', () => fm('us-east-1', HAIKU), () => undefined, 'ImplicitlyDenied'],
  ['A calls the us. system profile directly', () => roleA, 'bedrock:InvokeModel', () => sys(`us.${HAIKU}`), () => undefined, 'ImplicitlyDenied'],
  ['A reaches Haiku through its Sonnet profile', () => roleA, 'bedrock:InvokeModel', () => fm('us-east-1', HAIKU), () => profileA2, 'ImplicitlyDenied'],
  ['A reaches Haiku through B\'s profile', () => roleA, 'bedrock:InvokeModel', () => fm('us-east-1', HAIKU), () => profileB, 'ImplicitlyDenied'],
  ['A invokes B\'s profile', () => roleA, 'bedrock:InvokeModel', () => profileB, () => undefined, 'ImplicitlyDenied'],
  ['A reaches Nova Lite through B\'s profile', () => roleA, 'bedrock:InvokeModel', () => fm('us-east-1', LITE), () => profileB, 'ImplicitlyDenied'],
  ['A reaches Nova Lite through its own profile ARN', () => roleA, 'bedrock:InvokeModel', () => fm('us-east-1', LITE), () => profileA, 'ImplicitlyDenied'],
  ['B invokes its profile', () => roleB, 'bedrock:InvokeModel', () => profileB, () => undefined, 'Allowed'],
  ['B reaches Nova Lite in its Region through its profile', () => roleB, 'bedrock:InvokeModel', () => fm('us-east-1', LITE), () => profileB, 'Allowed'],
  ['B reaches Nova Lite in another Region (in-Region routing)', () => roleB, 'bedrock:InvokeModel', () => fm('us-west-2', LITE), () => profileB, 'ImplicitlyDenied'],
  ['B calls Nova Lite directly', () => roleB, 'bedrock:InvokeModel', () => fm('us-east-1', LITE), () => undefined, 'ImplicitlyDenied'],
  ['B invokes A\'s profile', () => roleB, 'bedrock:InvokeModel', () => profileA, () => undefined, 'ImplicitlyDenied'],
  ['B reaches Haiku through A\'s profile', () => roleB, 'bedrock:InvokeModel', () => fm('us-east-1', HAIKU), () => profileA, 'ImplicitlyDenied'],
  ['A without streaming invokes its profile', () => roleANoStream, 'bedrock:InvokeModel', () => profileA, () => undefined, 'Allowed'],
  ['A without streaming streams', () => roleANoStream, 'bedrock:InvokeModelWithResponseStream', () => profileA, () => undefined, 'ImplicitlyDenied'],
  ['A without streaming streams the model through its profile', () => roleANoStream, 'bedrock:InvokeModelWithResponseStream', () => fm('us-east-2', HAIKU), () => profileA, 'ImplicitlyDenied'],
  ['A\'s invokePolicy invokes A\'s profile', () => roleWithPolicy, 'bedrock:InvokeModelWithResponseStream', () => profileA, () => undefined, 'Allowed'],
  ['A\'s invokePolicy reaches Haiku through A\'s profile', () => roleWithPolicy, 'bedrock:InvokeModel', () => fm('eu-west-1', HAIKU), () => profileA, 'Allowed'],
  ['A\'s invokePolicy calls Haiku directly', () => roleWithPolicy, 'bedrock:InvokeModel', () => fm('us-east-1', HAIKU), () => undefined, 'ImplicitlyDenied'],
  ['A\'s invokePolicy invokes B\'s profile', () => roleWithPolicy, 'bedrock:InvokeModel', () => profileB, () => undefined, 'ImplicitlyDenied'],
];

describe('team grants, evaluated by the IAM simulator', () => {
  test('A and B hold their team\'s attached invokePolicy and no policy of their own; the non-streaming grant of A is inline', () => {
    const names = (policies: RolePolicies) => policies.identityPolicies.map((p) => p.name);
    expect(names(roleA)).toEqual([expect.stringMatching(/^GovalphaInvokePolicy/)]);
    expect(names(roleB)).toEqual([expect.stringMatching(/^GovbravoInvokePolicy/)]);
    expect(names(roleANoStream)).toEqual([expect.stringMatching(/^RoleANoStreamDefaultPolicy/)]);
  });

  test.each(ROWS)('%s', async (_name, role, action, resource, profileArn, expected) => {
    const arn = profileArn();
    const result = await simulate(role(), {
      action,
      resource: resource(),
      context: arn === undefined ? {} : { 'bedrock:InferenceProfileArn': arn },
    });
    expect(result.ignoredContextKeys).toEqual([]);
    expect(result.decision).toBe(expected);
  });

  test('global routing authorizes the empty-Region model ARN by pattern (the simulator cannot type it)', () => {
    const app = testApp();
    const stack = new Stack(app, 'G', { env: ENV });
    const team = new BedrockGovernance(stack, 'Gov', { attachGuardToGrantees: false }).addTeam('r', {
      costCenter: 'CC', environment: 'prod', models: [BedrockModel.CLAUDE_OPUS_4_5], routing: InferenceRouting.global(),
    });
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    team.grantInvoke(role);
    const policies = policiesOfRole(Template.fromStack(stack).toJSON(), stack.getLogicalId(role.node.defaultChild as iam.CfnRole));
    const modelStatement = policies.identityPolicies[0].policy.Statement[1];
    const pattern: string = modelStatement.Resource[0];
    expect(pattern).toBe(`arn:aws:bedrock:*::foundation-model/${BedrockModel.CLAUDE_OPUS_4_5.modelId}`);
    // IAM's ARN matching: '*' matches any run of characters within the ARN, including none.
    const regex = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    expect(regex.test(`arn:aws:bedrock:::foundation-model/${BedrockModel.CLAUDE_OPUS_4_5.modelId}`)).toBe(true);
    expect(regex.test(`arn:aws:bedrock:ap-south-1::foundation-model/${BedrockModel.CLAUDE_OPUS_4_5.modelId}`)).toBe(true);
    expect(modelStatement.Condition).toEqual({ ArnEquals: { 'bedrock:InferenceProfileArn': expect.stringMatching(/application-inference-profile\//) } });
  });
});

describe('the simulator discriminates (a control, so the matrix above cannot pass by accident)', () => {
  test('the same model statement without its condition would allow a direct call', async () => {
    const unconditioned: RolePolicies = {
      identityPolicies: [{
        name: 'broken',
        policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: `arn:aws:bedrock:*::foundation-model/${HAIKU}` }] },
      }],
    };
    expect((await simulate(unconditioned, { action: 'bedrock:InvokeModel', resource: fm('us-east-1', HAIKU) })).decision).toBe('Allowed');
    expect((await simulate(roleA, { action: 'bedrock:InvokeModel', resource: fm('us-east-1', HAIKU) })).decision).toBe('ImplicitlyDenied');
  });
});

import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BedrockActions, BedrockGovernance, BedrockModel, DirectInvocationGuard, DirectInvocationGuardProps } from '../../src';
import { ENV, cleanupOutdirs, defaultAttributes, resolveIntrinsics, testApp } from '../helpers/cfn';
import { RolePolicies, policiesOfRole, simulate } from '../helpers/iam';

afterAll(cleanupOutdirs);

const FM = 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0';
const APP_PROFILE = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abcdef123456';
const SYSTEM_PROFILE = 'arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.amazon.nova-lite-v1:0';

function newStack(): Stack {
  return new Stack(testApp(), 'S', { env: ENV });
}

function guardStatements(stack: Stack): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy', {
    Properties: { Description: 'Deny Bedrock model calls that do not go through an application inference profile' },
  });
  return (Object.values(policies)[0] as any).Properties.PolicyDocument.Statement;
}

const INVOKE = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];
const MODELS = ['arn:*:bedrock:*::foundation-model/*', 'arn:*:bedrock:*:*:inference-profile/*'];

describe('DirectInvocationGuard statements', () => {
  test('defaults: exact deny statements, never an unconditional deny on models', () => {
    const stack = newStack();
    new DirectInvocationGuard(stack, 'Guard');
    expect(guardStatements(stack)).toEqual([
      { Sid: 'DenyDirectModelInvocation', Effect: 'Deny', Action: INVOKE, Resource: MODELS, Condition: { Null: { 'bedrock:InferenceProfileArn': 'true' } } },
      { Sid: 'DenyModelInvocationThroughSystemProfiles', Effect: 'Deny', Action: INVOKE, Resource: MODELS, Condition: { ArnLike: { 'bedrock:InferenceProfileArn': 'arn:*:bedrock:*:*:inference-profile/*' } } },
      { Sid: 'DenyBedrockMantle', Effect: 'Deny', Action: 'bedrock-mantle:*', Resource: '*' },
      { Sid: 'DenyBatchInference', Effect: 'Deny', Action: 'bedrock:CreateModelInvocationJob', Resource: '*' },
      { Sid: 'DenyProvisionedThroughputCreation', Effect: 'Deny', Action: 'bedrock:CreateProvisionedModelThroughput', Resource: '*' },
    ]);
  });

  test('toggles: system profiles allowed, global routing denied, mantle/batch/PT allowed', () => {
    const stack = newStack();
    new DirectInvocationGuard(stack, 'Guard', {
      allowSystemInferenceProfiles: true,
      denyGlobalRouting: true,
      denyMantle: false,
      denyBatchInference: false,
      denyProvisionedThroughputCreation: false,
    });
    expect(guardStatements(stack)).toEqual([
      { Sid: 'DenyDirectModelInvocation', Effect: 'Deny', Action: INVOKE, Resource: 'arn:*:bedrock:*::foundation-model/*', Condition: { Null: { 'bedrock:InferenceProfileArn': 'true' } } },
      { Sid: 'DenyGlobalRouting', Effect: 'Deny', Action: INVOKE, Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'unspecified' } } },
    ]);
  });

  test('exempt roles are excluded by aws:PrincipalArn in every statement', () => {
    const stack = newStack();
    const breakGlass = iam.Role.fromRoleArn(stack, 'BreakGlass', 'arn:aws:iam::111122223333:role/ops/break-glass');
    new DirectInvocationGuard(stack, 'Guard', { exemptRoles: [breakGlass] });
    for (const statement of guardStatements(stack)) {
      expect(statement.Condition.ArnNotLike).toEqual({ 'aws:PrincipalArn': ['arn:aws:iam::111122223333:role/ops/break-glass'] });
    }
  });

  test('batch exemptions apply to the batch statement only, also when added after the boundary and SCP', () => {
    const stack = newStack();
    const guard = new DirectInvocationGuard(stack, 'Guard');
    void guard.permissionsBoundaryPolicy;
    guard.toServiceControlPolicy(stack, 'Scp', { targetIds: ['123456789012'] });
    const batchRole = new iam.Role(stack, 'Batch', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    guard.exemptFromBatchDeny(batchRole);
    guard.exemptFromBatchDeny(batchRole);
    const template = Template.fromStack(stack);
    const expected = { Sid: 'DenyBatchInference', Effect: 'Deny', Action: 'bedrock:CreateModelInvocationJob', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Batch'), 'Arn'] }] } } };
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { PolicyDocument: { Statement: Match.arrayWith([expected]) }, Description: Match.stringLikeRegexp('^Deny') });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { PolicyDocument: { Statement: Match.arrayWith([expected]) }, Description: Match.stringLikeRegexp('^Permissions boundary') });
    template.hasResourceProperties('AWS::Organizations::Policy', { Content: { Statement: Match.arrayWith([expected]) } });
    const mantle = guardStatements(stack).find((s) => s.Sid === 'DenyBedrockMantle');
    expect(mantle.Condition).toBeUndefined();
  });
});

describe('delivery forms', () => {
  test('attachTo attaches the managed policy; the boundary allows everything but the denies', () => {
    const stack = newStack();
    const guard = new DirectInvocationGuard(stack, 'Guard');
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    guard.attachTo(role);
    expect(guard.isAttachedTo(role)).toBe(true);
    const boundaryPolicy = guard.permissionsBoundaryPolicy;
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: 'Deny Bedrock model calls that do not go through an application inference profile',
      Roles: [{ Ref: Match.stringLikeRegexp('^R') }],
    });
    const boundary = stack.resolve((boundaryPolicy.node.defaultChild as iam.CfnManagedPolicy).policyDocument);
    expect(boundary.Statement[0]).toEqual({ Sid: 'AllowWithinBoundary', Effect: 'Allow', Action: '*', Resource: '*' });
    expect(boundary.Statement.slice(1)).toEqual(guardStatements(stack));
    expect(guard.permissionsBoundaryPolicy).toBe(guard.permissionsBoundaryPolicy);
  });

  test('the SCP has the same statements, a name, a type and targets', () => {
    const stack = newStack();
    const guard = new DirectInvocationGuard(stack, 'Guard');
    guard.toServiceControlPolicy(stack, 'Scp', { targetIds: ['r-ab12', 'ou-ab12-abcdefgh', '123456789012'] });
    Template.fromStack(stack).hasResourceProperties('AWS::Organizations::Policy', {
      Name: 'bedrock-direct-invocation-guard',
      Type: 'SERVICE_CONTROL_POLICY',
      TargetIds: ['r-ab12', 'ou-ab12-abcdefgh', '123456789012'],
      Content: { Version: '2012-10-17', Statement: guardStatements(stack) },
    });
  });

  test('our resources pass AwsSolutionsChecks (the boundary\'s Allow * is acknowledged with a reason)', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: ENV });
    const guard = new DirectInvocationGuard(stack, 'Guard');
    void guard.permissionsBoundaryPolicy;
    guard.toServiceControlPolicy(stack, 'Scp', { targetIds: ['r-ab12'] });
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  });
});

describe('applyToRoles', () => {
  test('attaches to every L2 role except exempt ones, attached ones and CDK provider roles that never touch Bedrock', () => {
    const stack = newStack();
    const exempt = new iam.Role(stack, 'Exempt', { assumedBy: new iam.AccountRootPrincipal() });
    const guard = new DirectInvocationGuard(stack, 'Guard', { exemptRoles: [exempt] });
    const a = new iam.Role(stack, 'A', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const b = new iam.Role(stack, 'B', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    guard.attachTo(b);
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
    new AwsCustomResource(stack, 'Cr', {
      onCreate: { service: 'S3', action: 'listBuckets', physicalResourceId: PhysicalResourceId.of('x') },
      policy: AwsCustomResourcePolicy.fromSdkCalls({ resources: AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    DirectInvocationGuard.applyToRoles(stack, guard);
    const template = Template.fromStack(stack);
    const roles = template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('^Deny') } });
    const attached = (Object.values(roles)[0] as any).Properties.Roles.map((r: any) => r.Ref);
    const id = (r: iam.IRole) => stack.getLogicalId(r.node.defaultChild as iam.CfnRole);
    expect(attached.sort()).toEqual([id(a), id(b), id(fn.role!)].sort());
    expect(guard.isAttachedTo(a)).toBe(true);
    expect(guard.isAttachedTo(exempt)).toBe(false);
  });

  test('a CDK provider role that is allowed Bedrock actions is guarded', () => {
    const stack = newStack();
    const guard = new DirectInvocationGuard(stack, 'Guard');
    const cr = new AwsCustomResource(stack, 'Cr', {
      onCreate: { service: 'BedrockRuntime', action: 'invokeModel', parameters: { modelId: 'amazon.nova-lite-v1:0' }, physicalResourceId: PhysicalResourceId.of('x') },
      policy: AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['*'] })]),
      installLatestAwsSdk: false,
    });
    DirectInvocationGuard.applyToRoles(stack, guard);
    expect(cr.grantPrincipal).toBeDefined();
    const roles = Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('^Deny') } });
    expect((Object.values(roles)[0] as any).Properties.Roles).toEqual([{ Ref: expect.stringMatching(/^AWS679f53fac002430cb0da5b7982bd2287ServiceRole/) }]);
  });
});

describe('errors', () => {
  test('attaching twice, or to an exempt role', () => {
    const stack = newStack();
    const exempt = new iam.Role(stack, 'Exempt', { assumedBy: new iam.AccountRootPrincipal() });
    const guard = new DirectInvocationGuard(stack, 'Guard', { exemptRoles: [exempt] });
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    guard.attachTo(role);
    expect(() => guard.attachTo(role)).toThrow('S/Guard: the role S/R already has a direct-invocation guard (S/Guard). Attach one guard once per role');
    const other = new DirectInvocationGuard(stack, 'Other');
    expect(() => other.attachTo(role)).toThrow('S/Other: the role S/R already has a direct-invocation guard (S/Guard). Attach one guard once per role');
    expect(() => guard.attachTo(exempt)).toThrow('S/Guard: cannot attach the guard to role S/Exempt: it is one of exemptRoles. Remove it from exemptRoles, or do not attach the guard to it');
  });

  test.each([
    ['12345', "S/Scp: invalid targetIds '12345': targets must be an account id (12 digits), an organizational unit id (ou-xxxx-xxxxxxxx) or a root id (r-xxxx). Pass the id shown by `aws organizations list-roots` / `list-organizational-units-for-parent` / `list-accounts`"],
    ['o-abcdefghij', "S/Scp: invalid targetIds 'o-abcdefghij': targets must be an account id (12 digits)"],
  ])('SCP target %s', (target, message) => {
    const stack = newStack();
    const guard = new DirectInvocationGuard(stack, 'Guard');
    expect(() => guard.toServiceControlPolicy(stack, 'Scp', { targetIds: [target] })).toThrow(message);
  });

  test('SCP without targets', () => {
    const stack = newStack();
    expect(() => new DirectInvocationGuard(stack, 'Guard').toServiceControlPolicy(stack, 'Scp', { targetIds: [] }))
      .toThrow('S/Scp: invalid targetIds []: a service control policy needs at least one target. Pass the root, OU or account ids to attach it to');
  });

  test('SCP over 5,120 characters, at creation and after late batch exemptions', () => {
    const stack = newStack();
    const many = Array.from({ length: 20 }, (_, i) => iam.Role.fromRoleArn(stack, `E${i}`, `arn:aws:iam::111122223333:role/a-rather-long-path/exempt-role-${i}`));
    const guard = new DirectInvocationGuard(stack, 'Guard', { exemptRoles: many });
    expect(() => guard.toServiceControlPolicy(stack, 'Scp', { targetIds: ['r-ab12'] }))
      .toThrow(/^S\/Scp: the guard's service control policy would be \d+ characters, over the AWS limit of 5120\. Exempt fewer roles/);

    const app = testApp();
    const late = new Stack(app, 'L', { env: ENV });
    const g2 = new DirectInvocationGuard(late, 'Guard');
    g2.toServiceControlPolicy(late, 'Scp', { targetIds: ['r-ab12'] });
    for (let i = 0; i < 60; i++) {
      g2.exemptFromBatchDeny(new iam.Role(late, `Batch${i}`, { assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com') }));
    }
    expect(() => app.synth()).toThrow(/L\/Scp: the guard's service control policy would be \d+ characters, over the AWS limit of 5120/);
  });
});

describe('toggles, evaluated by the IAM simulator', () => {
  async function decide(props: DirectInvocationGuardProps, action: string, resource: string, context: Record<string, string>) {
    const stack = newStack();
    const guard = new DirectInvocationGuard(stack, 'Guard', props);
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')] });
    guard.attachTo(role);
    const template = Template.fromStack(stack).toJSON();
    const policies: RolePolicies = policiesOfRole(template, stack.getLogicalId(role.node.defaultChild as iam.CfnRole));
    const result = await simulate(policies, { action, resource, context });
    expect(result.ignoredContextKeys).toEqual([]);
    return result.decision;
  }

  test('allowSystemInferenceProfiles lets an admin use a system profile directly, not the bare model', async () => {
    expect(await decide({ allowSystemInferenceProfiles: true }, 'bedrock:InvokeModel', FM, { 'bedrock:InferenceProfileArn': SYSTEM_PROFILE })).toBe('Allowed');
    expect(await decide({ allowSystemInferenceProfiles: true }, 'bedrock:InvokeModel', SYSTEM_PROFILE, {})).toBe('Allowed');
    expect(await decide({ allowSystemInferenceProfiles: true }, 'bedrock:InvokeModel', FM, {})).toBe('ExplicitlyDenied');
    expect(await decide({}, 'bedrock:InvokeModel', FM, { 'bedrock:InferenceProfileArn': SYSTEM_PROFILE })).toBe('ExplicitlyDenied');
  });

  test('denyGlobalRouting denies requests for the unspecified Region, even through a profile', async () => {
    const ctx = { 'aws:RequestedRegion': 'unspecified', 'bedrock:InferenceProfileArn': APP_PROFILE };
    expect(await decide({ denyGlobalRouting: true }, 'bedrock:InvokeModel', APP_PROFILE, ctx)).toBe('ExplicitlyDenied');
    expect(await decide({ denyGlobalRouting: true }, 'bedrock:InvokeModel', APP_PROFILE, { ...ctx, 'aws:RequestedRegion': 'us-east-1' })).toBe('Allowed');
    expect(await decide({}, 'bedrock:InvokeModel', APP_PROFILE, ctx)).toBe('Allowed');
  });

  test('mantle, batch and provisioned throughput toggles', async () => {
    const mantle = 'arn:aws:bedrock-mantle:us-east-1:111122223333:project/default';
    expect(await decide({}, 'bedrock-mantle:CreateInference', mantle, {})).toBe('ExplicitlyDenied');
    expect(await decide({ denyMantle: false }, 'bedrock-mantle:CreateInference', mantle, {})).toBe('Allowed');
    expect(await decide({ denyBatchInference: false }, BedrockActions.CREATE_BATCH_JOB, FM, {})).toBe('Allowed');
    expect(await decide({ denyProvisionedThroughputCreation: false }, BedrockActions.CREATE_PROVISIONED_THROUGHPUT, FM, {})).toBe('Allowed');
  });

  test('the guard pattern covers the empty Region of global routing (the simulator cannot type that ARN)', () => {
    const pattern = BedrockActions.ALL_FOUNDATION_MODELS;
    const regex = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    expect(regex.test('arn:aws:bedrock:::foundation-model/anthropic.claude-opus-4-5-20251101-v1:0')).toBe(true);
    expect(regex.test('arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc')).toBe(false);
    expect(resolveIntrinsics({ 'Fn::Join': ['', ['a', 'b']] }, { Resources: {} }, defaultAttributes())).toBe('ab');
  });
});

describe('roles in other stacks', () => {
  test('the facade attaches its guard from the role\'s side, so granting a role in another stack makes no dependency cycle', () => {
    const app = testApp();
    const govStack = new Stack(app, 'Gov', { env: ENV });
    const appStack = new Stack(app, 'Api', { env: ENV });
    const gov = new BedrockGovernance(govStack, 'Gov');
    const team = gov.addTeam('search', { costCenter: 'CC-1', environment: 'prod', models: [BedrockModel.NOVA_LITE] });
    const role = new iam.Role(appStack, 'ApiRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    team.grantInvoke(role);
    expect(() => app.synth()).not.toThrow();
    Template.fromStack(appStack).hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ 'Fn::ImportValue': Match.stringLikeRegexp('GuardPolicy') }],
    });
    expect(Template.fromStack(govStack).findResources('AWS::IAM::ManagedPolicy', { Properties: { Roles: Match.anyValue() } })).toEqual({});
  });
});

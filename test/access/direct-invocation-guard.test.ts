import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
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
    Properties: { Description: 'Deny Bedrock model calls that do not go through a tagged application inference profile, and changes to cost attribution' },
  });
  return (Object.values(policies)[0] as any).Properties.PolicyDocument.Statement;
}

const INVOKE = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];
const MODELS = ['arn:*:bedrock:*::foundation-model/*', 'arn:*:bedrock:*:*:inference-profile/*'];

const DEPLOYER = { ArnNotLike: { 'aws:PrincipalArn': ['arn:*:iam::*:role/cdk-*-cfn-exec-role-*'] } };
const PROFILES = 'arn:*:bedrock:*:*:application-inference-profile/*';
const GOVERNANCE_POLICIES = 'arn:*:iam::*:policy/bedrock-governance/*';
const OTHER_MODEL_RESOURCES = [
  'arn:*:bedrock:*:*:imported-model/*',
  'arn:*:bedrock:*:*:custom-model-deployment/*',
  'arn:*:bedrock:*:*:marketplace/model-endpoint/*',
  'arn:*:bedrock:*:*:provisioned-model/*',
  'arn:*:bedrock:*:*:prompt-router/*',
  'arn:*:bedrock:*:*:default-prompt-router/*',
  'arn:*:bedrock:*:*:project/*',
  'arn:*:bedrock:*:*:system-tool/*',
];
const OPT_IN_ACTIONS = [
  'bedrock:Agenti*', 'bedrock:CreateAd*', 'bedrock:CreateC*', 'bedrock:CreateE*', 'bedrock:CreateMa*', 'bedrock:CreateModelC*',
  'bedrock:CreateModelE*', 'bedrock:CreateModelIm*', 'bedrock:CreatePromptR*', 'bedrock:CreateProv*', 'bedrock:Genera*', 'bedrock:Ingest*',
  'bedrock:InvokeAg*', 'bedrock:InvokeB*', 'bedrock:InvokeD*', 'bedrock:InvokeF*', 'bedrock:InvokeI*', 'bedrock:InvokeT*', 'bedrock:Optimi*',
  'bedrock:Regist*', 'bedrock:Rerank', 'bedrock:Retrie*', 'bedrock:StartF*', 'bedrock:StartI*', 'bedrock:UpdateC*', 'bedrock:UpdateM*',
  'bedrock:UpdateProv*', 'bedrock-agentcore:*', 'bedrock-websearch:*', 'bedrock-mantle:*',
];
const COST_KEYS = ['team', 'cost-center', 'environment'];

/** The statements every form shares, with defaults. */
const DEFAULT_STATEMENTS = [
  { Sid: 'DenyDirectModelInvocation', Effect: 'Deny', Action: INVOKE, Resource: MODELS, Condition: { Null: { 'bedrock:InferenceProfileArn': 'true' } } },
  { Sid: 'DenyModelInvocationThroughSystemProfiles', Effect: 'Deny', Action: INVOKE, Resource: MODELS, Condition: { ArnLike: { 'bedrock:InferenceProfileArn': 'arn:*:bedrock:*:*:inference-profile/*' } } },
  { Sid: 'DenyUntaggedProfiles', Effect: 'Deny', Action: INVOKE, Resource: PROFILES, Condition: { Null: { 'aws:ResourceTag/team': 'true' } } },
  { Sid: 'DenyOtherModelResources', Effect: 'Deny', Action: INVOKE, Resource: OTHER_MODEL_RESOURCES },
  ...COST_KEYS.map((key, i) => ({
    Sid: `DenyUntaggedProfileCreation${i}`, Effect: 'Deny', Action: 'bedrock:CreateInferenceProfile', Resource: '*', Condition: { Null: { [`aws:RequestTag/${key}`]: 'true' } },
  })),
  { Sid: 'DenyCostTagChanges', Effect: 'Deny', Action: ['bedrock:TagResource', 'bedrock:UntagResource'], Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': COST_KEYS }, ...DEPLOYER } },
  { Sid: 'DenyProfileDeletion', Effect: 'Deny', Action: 'bedrock:DeleteInferenceProfile', Resource: '*', Condition: DEPLOYER },
  {
    Sid: 'DenyPrincipalTagChanges',
    Effect: 'Deny',
    Action: ['iam:TagRole', 'iam:UntagRole', 'iam:TagUser', 'iam:UntagUser', 'sts:TagSession'],
    Resource: '*',
    Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': [...COST_KEYS, 'bedrock-governance:batch-inference'] }, ...DEPLOYER },
  },
  { Sid: 'DenyOptInActions', Effect: 'Deny', Action: OPT_IN_ACTIONS, Resource: '*' },
  { Sid: 'DenyBatchInference', Effect: 'Deny', Action: 'bedrock:CreateModelInvocationJob', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalTag/bedrock-governance:batch-inference': 'true' } } },
];

/** The statements only the policy and boundary forms have. */
const PROTECTION_STATEMENTS = [
  { Sid: 'DenyGuardDetachment', Effect: 'Deny', Action: ['iam:DetachRolePolicy', 'iam:DetachUserPolicy', 'iam:DetachGroupPolicy'], Resource: '*', Condition: { ArnLike: { 'iam:PolicyARN': GOVERNANCE_POLICIES } } },
  { Sid: 'DenyGuardPolicyChanges', Effect: 'Deny', Action: ['iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion'], Resource: GOVERNANCE_POLICIES },
  { Sid: 'DenyBoundaryRemoval', Effect: 'Deny', Action: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'], Resource: '*' },
  { Sid: 'DenyBoundaryReplacement', Effect: 'Deny', Action: ['iam:PutRolePermissionsBoundary', 'iam:PutUserPermissionsBoundary'], Resource: '*', Condition: { ArnNotLike: { 'iam:PermissionsBoundary': GOVERNANCE_POLICIES } } },
];

describe('DirectInvocationGuard statements', () => {
  test('defaults: exact deny statements, never an unconditional deny on models', () => {
    const stack = newStack();
    new DirectInvocationGuard(stack, 'Guard');
    expect(guardStatements(stack)).toEqual([...DEFAULT_STATEMENTS, ...PROTECTION_STATEMENTS]);
  });

  test('toggles: every opt-in on, system profiles allowed, global routing denied, ABAC, own keys and deployer, no self-protection', () => {
    const stack = newStack();
    new DirectInvocationGuard(stack, 'Guard', {
      costTagKeys: { team: 'squad', costCenter: 'cc', environment: 'env' },
      requireTeamMatch: true,
      deployerPrincipalArns: ['arn:aws:iam::111122223333:role/deployer'],
      protectGuard: false,
      allowSystemInferenceProfiles: true,
      denyGlobalRouting: true,
      denyMantle: false,
      denyBatchInference: false,
      denyProvisionedThroughputCreation: false,
      allowImportedModelInvocation: true,
      allowCustomModelDeploymentInvocation: true,
      allowMarketplaceEndpointInvocation: true,
      allowProvisionedModelInvocation: true,
      allowPromptRouters: true,
      allowModelCustomizationJobs: true,
      allowModelImportJobs: true,
      allowModelCopyJobs: true,
      allowEvaluationJobs: true,
      allowPromptOptimization: true,
      allowMarketplaceEndpointCreation: true,
      allowCustomModelDeploymentCreation: true,
      allowAgenticServices: true,
    });
    const deployer = { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::111122223333:role/deployer'] } };
    const keys = ['squad', 'cc', 'env'];
    expect(guardStatements(stack)).toEqual([
      { Sid: 'DenyDirectModelInvocation', Effect: 'Deny', Action: INVOKE, Resource: 'arn:*:bedrock:*::foundation-model/*', Condition: { Null: { 'bedrock:InferenceProfileArn': 'true' } } },
      { Sid: 'DenyUntaggedProfiles', Effect: 'Deny', Action: INVOKE, Resource: PROFILES, Condition: { Null: { 'aws:ResourceTag/squad': 'true' } } },
      { Sid: 'DenyOtherTeamsProfiles', Effect: 'Deny', Action: INVOKE, Resource: PROFILES, Condition: { StringNotEquals: { 'aws:ResourceTag/squad': '${aws:PrincipalTag/squad}' } } },
      { Sid: 'DenyProfilesToUntaggedPrincipals', Effect: 'Deny', Action: INVOKE, Resource: PROFILES, Condition: { Null: { 'aws:PrincipalTag/squad': 'true' } } },
      { Sid: 'DenyGlobalRouting', Effect: 'Deny', Action: INVOKE, Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'unspecified' } } },
      ...keys.map((key, i) => ({
        Sid: `DenyUntaggedProfileCreation${i}`, Effect: 'Deny', Action: 'bedrock:CreateInferenceProfile', Resource: '*', Condition: { Null: { [`aws:RequestTag/${key}`]: 'true' } },
      })),
      {
        Sid: 'DenyProfileCreationForOtherTeams',
        Effect: 'Deny',
        Action: 'bedrock:CreateInferenceProfile',
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:RequestTag/squad': '${aws:PrincipalTag/squad}' }, ...deployer },
      },
      { Sid: 'DenyCostTagChanges', Effect: 'Deny', Action: ['bedrock:TagResource', 'bedrock:UntagResource'], Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': keys }, ...deployer } },
      { Sid: 'DenyProfileDeletion', Effect: 'Deny', Action: 'bedrock:DeleteInferenceProfile', Resource: '*', Condition: deployer },
      {
        Sid: 'DenyPrincipalTagChanges',
        Effect: 'Deny',
        Action: ['iam:TagRole', 'iam:UntagRole', 'iam:TagUser', 'iam:UntagUser', 'sts:TagSession'],
        Resource: '*',
        Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': [...keys, 'bedrock-governance:batch-inference'] }, ...deployer },
      },
    ]);
  });

  test('exempt roles are excluded by aws:PrincipalArn in every statement (with the deployer where it is exempt)', () => {
    const stack = newStack();
    const breakGlass = iam.Role.fromRoleArn(stack, 'BreakGlass', 'arn:aws:iam::111122223333:role/ops/break-glass');
    new DirectInvocationGuard(stack, 'Guard', { exemptRoles: [breakGlass] });
    const statements = guardStatements(stack);
    expect(statements).toHaveLength(DEFAULT_STATEMENTS.length + PROTECTION_STATEMENTS.length);
    for (const statement of statements) {
      const deployerToo = statement.Condition?.ArnNotLike?.['aws:PrincipalArn']?.length === 2;
      expect(statement.Condition.ArnNotLike['aws:PrincipalArn']).toEqual(deployerToo
        ? ['arn:aws:iam::111122223333:role/ops/break-glass', 'arn:*:iam::*:role/cdk-*-cfn-exec-role-*']
        : ['arn:aws:iam::111122223333:role/ops/break-glass']);
    }
    expect(statements.filter((st) => st.Condition.ArnNotLike['aws:PrincipalArn'].length === 2).map((st) => st.Sid))
      .toEqual(['DenyCostTagChanges', 'DenyProfileDeletion', 'DenyPrincipalTagChanges']);
  });

  test('a batch exemption is a principal tag (no ARN reference), also when added after the boundary and SCP', () => {
    const stack = newStack();
    const guard = new DirectInvocationGuard(stack, 'Guard');
    void guard.permissionsBoundaryPolicy;
    guard.toServiceControlPolicy(stack, 'Scp', { targetIds: ['123456789012'] });
    const batchRole = new iam.Role(stack, 'Batch', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    guard.exemptFromBatchDeny(batchRole);
    guard.exemptFromBatchDeny(batchRole);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', { Tags: [{ Key: 'bedrock-governance:batch-inference', Value: 'true' }] });
    const batch = DEFAULT_STATEMENTS.find((st) => st.Sid === 'DenyBatchInference')!;
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { PolicyDocument: { Statement: Match.arrayWith([batch]) }, Description: Match.stringLikeRegexp('^Permissions boundary') });
    const { Sid, ...withoutSid } = batch;
    template.hasResourceProperties('AWS::Organizations::Policy', { Content: { Statement: Match.arrayWith([withoutSid]) } });
    expect(guardStatements(stack)).toContainEqual(batch);
  });

  test('an imported role cannot be tagged for the batch exemption: a warning says so', () => {
    const stack = newStack();
    const guard = new DirectInvocationGuard(stack, 'Guard');
    guard.exemptFromBatchDeny(iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111122223333:role/batch'));
    Annotations.fromStack(stack).hasWarning('/S/Guard', 'The role S/Imported was not created in this app, so it cannot be tagged bedrock-governance:batch-inference=true here; tag it yourself, or the guard keeps denying it batch jobs [ack: cdk-bedrock-governance:batchExemptionNotTagged]');
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
      Description: 'Deny Bedrock model calls that do not go through a tagged application inference profile, and changes to cost attribution',
      Path: '/bedrock-governance/',
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
      Content: { Version: '2012-10-17', Statement: DEFAULT_STATEMENTS.map(({ Sid, ...rest }) => rest) },
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

  test('SCP over 5,120 characters is a synth error naming the toggles that would make it fit', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: ENV });
    const breakGlass = iam.Role.fromRoleArn(stack, 'E', `arn:aws:iam::111122223333:role/${'p'.repeat(100)}/break-glass`);
    const guard = new DirectInvocationGuard(stack, 'Guard', { exemptRoles: [breakGlass] });
    guard.toServiceControlPolicy(stack, 'Scp', { targetIds: ['r-ab12'] });
    expect(() => app.synth()).toThrow('[S/Scp] S/Scp: the guard\'s service control policy would be 5256 characters, over the AWS limit of 5120. '
      + 'Each of these settings alone would make it fit: denyBatchInference: false, allowAgenticServices: true. '
      + 'Or exempt fewer roles, or deliver the guard as a managed policy or permissions boundary');

    const app2 = testApp();
    const stack2 = new Stack(app2, 'T', { env: ENV });
    const lots = Array.from({ length: 40 }, (_, i) => iam.Role.fromRoleArn(stack2, `E${i}`, `arn:aws:iam::111122223333:role/a-rather-long-path/exempt-role-${i}`));
    new DirectInvocationGuard(stack2, 'Guard', { exemptRoles: lots }).toServiceControlPolicy(stack2, 'Scp', { targetIds: ['r-ab12'] });
    expect(() => app2.synth()).toThrow(/T\/Scp: the guard's service control policy would be \d+ characters, over the AWS limit of 5120\. Exempt fewer roles \(use a role path pattern with a single role\), or deliver the guard as a managed policy or permissions boundary/);
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
    const ctx = { 'aws:RequestedRegion': 'unspecified', 'bedrock:InferenceProfileArn': APP_PROFILE, 'aws:ResourceTag/team': 'alpha' };
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

  test('requireTeamMatch: another team\'s tagged profile is allowed to an admin by default, denied with ABAC, as is any profile to an untagged principal', async () => {
    const other = { 'aws:ResourceTag/team': 'bravo', 'aws:PrincipalTag/team': 'alpha' };
    expect(await decide({}, 'bedrock:InvokeModel', APP_PROFILE, other)).toBe('Allowed');
    expect(await decide({ requireTeamMatch: true }, 'bedrock:InvokeModel', APP_PROFILE, other)).toBe('ExplicitlyDenied');
    expect(await decide({ requireTeamMatch: true }, 'bedrock:InvokeModel', APP_PROFILE, { ...other, 'aws:PrincipalTag/team': 'bravo' })).toBe('Allowed');
    expect(await decide({ requireTeamMatch: true }, 'bedrock:InvokeModel', APP_PROFILE, { 'aws:ResourceTag/team': 'bravo' })).toBe('ExplicitlyDenied');
  });

  test('SCP form: the deployer (CDK cfn-exec role pattern, or deployerPrincipalArns) may retag and delete profiles; others may not', async () => {
    const stack = newStack();
    const guard = new DirectInvocationGuard(stack, 'Guard', { deployerPrincipalArns: ['arn:aws:iam::111122223333:role/pipeline-*'] });
    const defaults = new DirectInvocationGuard(stack, 'Defaults');
    const scpOf = (g: DirectInvocationGuard, id: string) => [
      { name: 'FullAWSAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
      { name: id, policy: stack.resolve(g.toServiceControlPolicy(stack, id, { targetIds: ['r-ab12'] }).content) },
    ];
    const admin: RolePolicies = { identityPolicies: [{ name: 'Admin', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }] };
    const attempt = async (scp: any[], principal: string, action: string) => {
      const result = await simulate(admin, { action, resource: APP_PROFILE, principal, context: { 'aws:PrincipalArn': principal, 'aws:TagKeys': ['team'], 'aws:ResourceTag/team': 'alpha' } }, scp);
      expect(result.ignoredContextKeys).toEqual([]);
      return result.decision;
    };
    const cdkExec = 'arn:aws:iam::111122223333:role/cdk-hnb659fds-cfn-exec-role-111122223333-us-east-1';
    const pipeline = 'arn:aws:iam::111122223333:role/pipeline-deploy';
    const someone = 'arn:aws:iam::111122223333:role/someone';
    expect(await attempt(scpOf(defaults, 'D'), cdkExec, 'bedrock:TagResource')).toBe('Allowed');
    expect(await attempt(scpOf(defaults, 'D2'), cdkExec, 'bedrock:DeleteInferenceProfile')).toBe('Allowed');
    expect(await attempt(scpOf(defaults, 'D3'), someone, 'bedrock:UntagResource')).toBe('ExplicitlyDenied');
    expect(await attempt(scpOf(guard, 'P'), pipeline, 'bedrock:TagResource')).toBe('Allowed');
    expect(await attempt(scpOf(guard, 'P2'), cdkExec, 'bedrock:TagResource')).toBe('ExplicitlyDenied');
  });

  test('deployerPrincipalArns must be IAM ARNs', () => {
    expect(() => new DirectInvocationGuard(newStack(), 'Guard', { deployerPrincipalArns: ['cdk-exec-role'] }))
      .toThrow("S/Guard: invalid deployerPrincipalArns[0] 'cdk-exec-role': an aws:PrincipalArn pattern is an IAM role or user ARN, wildcards allowed. Pass e.g. 'arn:aws:iam::111122223333:role/cdk-*-cfn-exec-role-*'");
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
      // the team's invokePolicy (attached by grantInvoke) and the guard, both from the role's side
      ManagedPolicyArns: [
        { 'Fn::ImportValue': Match.stringLikeRegexp('searchInvokePolicy') },
        { 'Fn::ImportValue': Match.stringLikeRegexp('GuardPolicy') },
      ],
    });
    expect(Template.fromStack(govStack).findResources('AWS::IAM::ManagedPolicy', { Properties: { Roles: Match.anyValue() } })).toEqual({});
  });
});

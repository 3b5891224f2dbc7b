import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { AwsSolutionsChecks } from 'cdk-nag';
import { sampleResource } from './matrix';
import { BedrockActions, BedrockGovernance, BedrockModel, DirectInvocationGuard, DirectInvocationGuardProps } from '../../src';
import { BEDROCK_ACTION_TABLE, Verdict } from '../../src/access/private/bedrock-action-table';
import * as guardSource from '../../src/access/private/guard-statements';
import { ENV, cleanupOutdirs, defaultAttributes, resolveIntrinsics, testApp } from '../helpers/cfn';
import { Request, RolePolicies, policiesOfRole, simulate } from '../helpers/iam';

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
  { Sid: 'DenyDirectModelInvocation', Effect: 'Deny', Action: INVOKE, Resource: MODELS, Condition: { ArnLikeIfExists: { 'bedrock:InferenceProfileArn': 'arn:*:bedrock:*:*:inference-profile/*' } } },
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
    const breakGlass = iam.Role.fromRoleArn(stack, 'E', `arn:aws:iam::111122223333:role/${'p'.repeat(140)}/break-glass`);
    const guard = new DirectInvocationGuard(stack, 'Guard', { exemptRoles: [breakGlass] });
    guard.toServiceControlPolicy(stack, 'Scp', { targetIds: ['r-ab12'] });
    expect(() => app.synth()).toThrow('[S/Scp] S/Scp: the guard\'s service control policy would be 5280 characters, over the AWS limit of 5120. '
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

describe('the compact statements decide every request as the statements they replace (IAM simulator)', () => {
  const KEY = 'bedrock:InferenceProfileArn';
  const ACCOUNT_B = '444455556666';
  const ALLOW_ALL = { Effect: 'Allow', Action: '*', Resource: '*' };

  /** The decision of each request for an administrator that holds the statements. */
  async function decisions(statements: any[], requests: Array<[string, Request]>): Promise<Record<string, string>> {
    const policies: RolePolicies = { identityPolicies: [{ name: 'Admin', policy: { Version: '2012-10-17', Statement: [ALLOW_ALL, ...statements] } }] };
    const out: Record<string, string> = {};
    for (const [name, request] of requests) {
      out[name] = (await simulate(policies, request)).decision;
    }
    return out;
  }

  const json = (statements: iam.PolicyStatement[]) => statements.map((s) => s.toStatementJson());

  test('one ArnLikeIfExists statement denies exactly what `Null = true` and `ArnLike <system profiles>` denied; ArnNotLike <application profiles> would deny more', async () => {
    const before = [
      { Effect: 'Deny', Action: INVOKE, Resource: MODELS, Condition: { Null: { [KEY]: 'true' } } },
      { Effect: 'Deny', Action: INVOKE, Resource: MODELS, Condition: { ArnLike: { [KEY]: 'arn:*:bedrock:*:*:inference-profile/*' } } },
    ];
    const after = json(guardSource.guardStatements({ props: {}, exemptArns: [], deployerArns: [], form: guardSource.GuardForm.EMBEDDED }))
      .filter((st) => JSON.stringify(st).includes(KEY));
    expect(after).toEqual([{ Effect: 'Deny', Action: INVOKE, Resource: MODELS, Condition: { ArnLikeIfExists: { [KEY]: 'arn:*:bedrock:*:*:inference-profile/*' } } }]);
    const notLike = [{ Effect: 'Deny', Action: INVOKE, Resource: MODELS, Condition: { ArnNotLike: { [KEY]: PROFILES } } }];

    const resources = {
      'model': FM,
      'model (aws-cn)': 'arn:aws-cn:bedrock:cn-north-1::foundation-model/amazon.nova-lite-v1:0',
      'system profile': SYSTEM_PROFILE,
      'global system profile': 'arn:aws:bedrock:us-east-1:111122223333:inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0',
      'application profile': APP_PROFILE,
      'imported model': 'arn:aws:bedrock:us-east-1:111122223333:imported-model/im1',
    };
    const profileArns: Record<string, string | undefined> = {
      'absent': undefined,
      'own application profile': APP_PROFILE,
      'another account\'s application profile': `arn:aws:bedrock:eu-west-1:${ACCOUNT_B}:application-inference-profile/zyx987`,
      'application profile (aws-us-gov)': 'arn:aws-us-gov:bedrock:us-gov-west-1:111122223333:application-inference-profile/abc',
      'system profile': SYSTEM_PROFILE,
      'global system profile': 'arn:aws:bedrock:us-east-1:111122223333:inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0',
      'system profile (aws-cn)': 'arn:aws-cn:bedrock:cn-north-1:111122223333:inference-profile/apac.amazon.nova-lite-v1:0',
      'prompt router': 'arn:aws:bedrock:us-east-1:111122223333:prompt-router/pr1',
      'foundation model': FM,
      'a profile id, not an ARN': 'us.amazon.nova-lite-v1:0',
    };
    const requests: Array<[string, Request]> = [];
    for (const action of INVOKE) {
      for (const [resourceName, resource] of Object.entries(resources)) {
        for (const [valueName, value] of Object.entries(profileArns)) {
          requests.push([`${action} | ${resourceName} | ${valueName}`, { action, resource, context: value === undefined ? {} : { [KEY]: value } }]);
        }
      }
    }
    const old = await decisions(before, requests);
    expect(await decisions(after, requests)).toEqual(old);
    // both outcomes occur, and the decisions are the guard's: denied unless through an application profile
    expect(Object.entries(old).filter(([name, d]) => d === 'ExplicitlyDenied' && name.startsWith('bedrock:InvokeModel |')).map(([name]) => name)).toEqual([
      'model', 'model (aws-cn)', 'system profile', 'global system profile',
    ].flatMap((r) => ['absent', 'system profile', 'global system profile', 'system profile (aws-cn)'].map((v) => `bedrock:InvokeModel | ${r} | ${v}`)));

    // ArnNotLike on application profiles differs where the key is present and is the ARN of neither kind of
    // profile (the simulator matches a value that is not an ARN with neither ArnLike nor ArnNotLike; what IAM
    // does with one is UNVERIFIED)
    const negated = await decisions(notLike, requests);
    const differs = [...new Set(Object.keys(old).filter((name) => negated[name] !== old[name]).map((name) => name.split(' | ')[2]))];
    expect(differs).toEqual(['prompt router', 'foundation model']);
  });

  /**
   * Every classified action on a resource of its first type, plus the IAM and STS actions of the guard, each asked
   * by a guarded and by an exempt principal, without tags and with a cost tag key.
   */
  async function sweep(exempt: string): Promise<Array<[string, Request]>> {
    const requests: Array<[string, Request]> = [];
    const role = 'arn:aws:iam::111122223333:role/someone';
    const policy = 'arn:aws:iam::111122223333:policy/bedrock-governance/Guard';
    const targets: Array<[string, string]> = [];
    for (const group of BEDROCK_ACTION_TABLE) {
      for (const action of group.actions) {
        targets.push([`${group.service}:${action}`, group.verdict === Verdict.PROFILE_ONLY ? FM : await sampleResource(group.service, action)]);
      }
    }
    targets.push(
      ['iam:DeleteRolePermissionsBoundary', role], ['iam:DeleteUserPermissionsBoundary', 'arn:aws:iam::111122223333:user/someone'],
      ['iam:PutRolePermissionsBoundary', role], ['iam:DetachRolePolicy', role], ['iam:CreatePolicyVersion', policy], ['iam:DeletePolicy', policy],
      ['iam:TagRole', role], ['iam:TagUser', 'arn:aws:iam::111122223333:user/someone'], ['sts:TagSession', role], ['s3:GetObject', 'arn:aws:s3:::bucket/key'],
    );
    for (const [action, resource] of targets) {
      for (const [who, principal] of [['guarded', role], ['exempt', exempt]]) {
        const contexts: Array<[string, Record<string, string | string[]>]> = [['no tags', {}], ['a cost tag', { 'aws:TagKeys': ['team'], 'aws:RequestTag/team': 'alpha' }]];
        for (const [what, context] of contexts) {
          requests.push([`${action} on ${resource} | ${who} | ${what}`, { action, resource, principal, context: { 'aws:PrincipalArn': principal, ...context } }]);
        }
      }
    }
    return requests;
  }

  const EXEMPT = 'arn:aws:iam::111122223333:role/break-glass';
  const ALL_OPT_INS = {
    allowImportedModelInvocation: true,
    allowPromptRouters: true,
    allowModelCustomizationJobs: true,
    allowAgenticServices: true,
    denyMantle: false,
    denyBatchInference: false,
    denyProvisionedThroughputCreation: false,
  };
  test.each([
    ['embedded, defaults', {}, guardSource.GuardForm.EMBEDDED],
    ['embedded, requireTeamMatch and denyGlobalRouting', { requireTeamMatch: true, denyGlobalRouting: true }, guardSource.GuardForm.EMBEDDED],
    ['embedded, many opt-ins', ALL_OPT_INS, guardSource.GuardForm.EMBEDDED],
    ['SCP with an exempt role and deployerPrincipalArns: []', {}, guardSource.GuardForm.SCP],
  ])('folding statements that differ only in their actions changes no decision: %s', async (_name, props, form) => {
    const embedded = form === guardSource.GuardForm.EMBEDDED;
    const input = { props, exemptArns: embedded ? [] : [EXEMPT], deployerArns: [] };
    const folded = json(guardSource.guardStatements({ ...input, form }));
    // the same statements unfolded: the policy form with the same exemptions (its Sids keep every statement apart),
    // without the statements the SCP form leaves out
    const unfoldedProps = embedded ? props : { ...props, protectGuard: false };
    const unfolded = json(guardSource.guardStatements({ ...input, props: unfoldedProps, form: guardSource.GuardForm.POLICY }))
      .map(({ Sid, ...rest }) => rest);
    expect(folded.length).toBeLessThan(unfolded.length);
    expect(new Set(folded.flatMap((st) => [st.Action].flat())).size).toBe(new Set(unfolded.flatMap((st) => [st.Action].flat())).size);
    const requests = await sweep(EXEMPT);
    const old = await decisions(unfolded, requests);
    expect(await decisions(folded, requests)).toEqual(old);
    expect(Object.values(old)).toContain('ExplicitlyDenied');
    expect(Object.values(old)).toContain('Allowed');
  }, 120_000);

  test('foldStatements keeps statements with Sids, conditions or other resources apart', () => {
    const deny = (sid: string | undefined, actions: string[], resources: string[], conditions?: Record<string, any>) =>
      new iam.PolicyStatement({ sid, effect: iam.Effect.DENY, actions, resources, conditions });
    const folded = guardSource.foldStatements([
      deny(undefined, ['a:One'], ['*']),
      deny(undefined, ['a:Two'], ['*'], { Null: { 'aws:TagKeys': 'true' } }),
      deny(undefined, ['a:Three'], ['arn:aws:s3:::b']),
      deny('Named', ['a:Four'], ['*']),
      deny('Named2', ['a:Five'], ['*']),
      deny(undefined, ['a:Six'], ['*']),
      deny(undefined, ['a:Seven'], ['*'], { Null: { 'aws:TagKeys': 'true' } }),
    ]);
    expect(json(folded)).toEqual([
      { Effect: 'Deny', Action: ['a:One', 'a:Six'], Resource: '*' },
      { Effect: 'Deny', Action: ['a:Two', 'a:Seven'], Resource: '*', Condition: { Null: { 'aws:TagKeys': 'true' } } },
      { Effect: 'Deny', Action: 'a:Three', Resource: 'arn:aws:s3:::b' },
      { Sid: 'Named', Effect: 'Deny', Action: 'a:Four', Resource: '*' },
      { Sid: 'Named2', Effect: 'Deny', Action: 'a:Five', Resource: '*' },
    ]);
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

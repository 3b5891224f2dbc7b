/**
 * IAM1-IAM4: the policy rules, on plain CDK resources (L1 and L2 IAM) and on this library's grants.
 */
import { CfnParameter, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import { agnosticStack, check, findingIds, findingsOf, newStack, ruleErrors } from './utils';
import { BedrockGovernance, BedrockModel, CrossRegionGeo, InferenceRouting } from '../../src';
import { cleanupOutdirs } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const IAM1 = 'BedrockGovernance-IAM1';
const IAM2 = 'BedrockGovernance-IAM2';
const IAM3 = 'BedrockGovernance-IAM3';
const IAM4 = 'BedrockGovernance-IAM4';
const HAIKU = BedrockModel.CLAUDE_HAIKU_4_5.modelId;
const APP_PROFILE = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc123def456';
const SYSTEM_PROFILE = `arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.${HAIKU}`;

/** A stack with one `iam.Policy` ('Stack/P/Resource') holding the statements. */
function policyStack(...statements: iam.PolicyStatement[]): Stack {
  const stack = newStack();
  new iam.Policy(stack, 'P', { statements });
  return stack;
}

/** A stack with one L1 `AWS::IAM::Policy` ('Stack/P') holding a raw statement list. */
function rawPolicyStack(statement: unknown, setup?: (stack: Stack) => void): Stack {
  const stack = newStack();
  setup?.(stack);
  new iam.CfnPolicy(stack, 'P', { policyName: 'p', policyDocument: { Version: '2012-10-17', Statement: statement } });
  return stack;
}

function allow(actions: string[], resources: string[], conditions?: Record<string, unknown>): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions, resources, conditions });
}

describe('BedrockDirectModelInvocation (IAM1)', () => {
  describe('Compliance', () => {
    test.each([
      ['in-Region', InferenceRouting.inRegion(), BedrockModel.NOVA_LITE],
      ['cross-Region', InferenceRouting.crossRegion(CrossRegionGeo.US), BedrockModel.CLAUDE_HAIKU_4_5],
      ['global', InferenceRouting.global(), BedrockModel.CLAUDE_OPUS_4_5],
    ])('this library\'s %s grants (profile ARN, and model ARNs under ArnEquals bedrock:InferenceProfileArn)', (_name, routing, model) => {
      const stack = newStack();
      const team = new BedrockGovernance(stack, 'Gov').addTeam('search', { costCenter: 'CC-1', environment: 'prod', models: [model], routing });
      team.grantInvoke(new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
      expect(findingIds(check(stack), IAM1)).toEqual([]);
      expect(ruleErrors(check(stack), IAM1)).toEqual([]);
    });

    test('invoke on a plain L1 application profile\'s ARN attribute', () => {
      const stack = newStack();
      const profile = new bedrock.CfnApplicationInferenceProfile(stack, 'Profile', { inferenceProfileName: 'p' });
      new iam.Policy(stack, 'P', { statements: [allow(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], [profile.attrInferenceProfileArn])] });
      expect(findingIds(check(stack), IAM1)).toEqual([]);
    });

    test.each([
      ['ArnEquals on a literal application profile ARN', { ArnEquals: { 'bedrock:InferenceProfileArn': APP_PROFILE } }],
      ['ArnLike on every application profile', { ArnLike: { 'bedrock:InferenceProfileArn': 'arn:aws:bedrock:*:*:application-inference-profile/*' } }],
      ['StringEquals, key in another casing', { StringEquals: { 'Bedrock:inferenceProfileArn': APP_PROFILE } }],
      ['ForAnyValue:ArnEquals', { 'ForAnyValue:ArnEquals': { 'bedrock:InferenceProfileArn': APP_PROFILE } }],
      ['a pin next to a loose operator', { Null: { 'bedrock:InferenceProfileArn': 'false' }, ArnEquals: { 'bedrock:InferenceProfileArn': APP_PROFILE } }],
    ])('model ARNs with %s', (_name, conditions) => {
      const stack = policyStack(allow(['bedrock:InvokeModel'], [`arn:aws:bedrock:*::foundation-model/${HAIKU}`, SYSTEM_PROFILE], conditions));
      expect(findingIds(check(stack), IAM1)).toEqual([]);
    });

    test('a Deny guard on foundation models is not an allow', () => {
      const stack = policyStack(new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        resources: ['arn:aws:bedrock:*::foundation-model/*'],
        conditions: { Null: { 'bedrock:InferenceProfileArn': 'true' } },
      }));
      expect(findingIds(check(stack), IAM1)).toEqual([]);
    });

    test('other actions, non-model resources, and ARNs no foundation model can have', () => {
      const stack = policyStack(
        allow(['s3:GetObject'], ['*']),
        allow(['bedrock:InvokeModel'], [APP_PROFILE, 'arn:aws:bedrock:us-east-1:111122223333:guardrail/g1']),
        // A foundation-model ARN never carries an account.
        allow(['bedrock:InvokeModel'], [`arn:aws:bedrock:us-east-1:111122223333:foundation-model/${HAIKU}`]),
        allow(['bedrock:GetFoundationModel'], ['arn:aws:bedrock:*::foundation-model/*']),
      );
      expect(findingIds(check(stack), IAM1)).toEqual([]);
    });

    test('NotAction that excludes the invoke actions, NotResource that excludes models and system profiles', () => {
      const stack = rawPolicyStack([
        { Effect: 'Allow', NotAction: ['bedrock:Invoke*'], Resource: '*' },
        { Effect: 'Allow', Action: 'bedrock:InvokeModel', NotResource: ['arn:*:bedrock:*::foundation-model/*', 'arn:*:bedrock:*:*:inference-profile/*'] },
      ]);
      expect(findingIds(check(stack), IAM1)).toEqual([]);
    });

    test('an unresolvable resource under a condition that pins application profiles', () => {
      const stack = newStack();
      const param = new CfnParameter(stack, 'ModelArn');
      new iam.Policy(stack, 'P', {
        statements: [allow(['bedrock:InvokeModel'], [param.valueAsString], { ArnEquals: { 'bedrock:InferenceProfileArn': APP_PROFILE } })],
      });
      const report = check(stack);
      expect(findingIds(report, IAM1)).toEqual([]);
      expect(ruleErrors(report, IAM1)).toEqual([]);
    });

    test('a resource of another service referenced by attribute', () => {
      const stack = newStack();
      const role = new iam.Role(stack, 'Other', { assumedBy: new iam.AccountRootPrincipal() });
      new iam.Policy(stack, 'P', { statements: [allow(['bedrock:InvokeModel'], [role.roleArn])] });
      expect(findingIds(check(stack), IAM1)).toEqual([]);
      expect(ruleErrors(check(stack), IAM1)).toEqual([]);
    });

    test('references to every kind of element are typed, whichever tier of logical ids they are in', () => {
      // element() resolves a stack's profile ids first, then parameters, roles, policies and nested stacks, then the
      // rest: a profile (renamed by overrideLogicalId), a guardrail and a bucket beside them are each found
      const stack = newStack();
      const profile = new bedrock.CfnApplicationInferenceProfile(stack, 'Profile', {
        inferenceProfileName: 'search',
        modelSource: { copyFrom: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0' },
      });
      profile.overrideLogicalId('RenamedProfile');
      const guardrail = new bedrock.CfnGuardrail(stack, 'Guardrail', {
        name: 'g',
        blockedInputMessaging: 'no',
        blockedOutputsMessaging: 'no',
        contentPolicyConfig: { filtersConfig: [{ type: 'HATE', inputStrength: 'HIGH', outputStrength: 'HIGH' }] },
      });
      const bucket = new CfnResource(stack, 'Bucket', { type: 'AWS::S3::Bucket' });
      new iam.Policy(stack, 'P', {
        statements: [
          allow(['bedrock:InvokeModel'], [profile.attrInferenceProfileArn]),
          allow(['bedrock:InvokeModel', 'bedrock:ApplyGuardrail'], [guardrail.attrGuardrailArn, bucket.getAtt('Arn').toString()]),
        ],
      });
      const report = check(stack);
      expect(ruleErrors(report, IAM1)).toEqual([]);
      expect(findingIds(report, IAM1)).toEqual([]);
      expect(findingIds(report, IAM3)).toEqual([]);
    });
  });

  describe('Noncompliance', () => {
    test('bedrock:InvokeModel on *', () => {
      const report = check(policyStack(allow(['bedrock:InvokeModel'], ['*'])));
      expect(findingsOf(report, IAM1)).toEqual([{ id: `${IAM1}[Resource::*]`, paths: ['Stack/P/Resource'], severity: 'error' }]);
    });

    test('bedrock:* on a foundation-model ARN built from pseudo parameters', () => {
      const stack = agnosticStack();
      new iam.Policy(stack, 'P', { statements: [allow(['bedrock:*'], [`arn:${stack.partition}:bedrock:${stack.region}::foundation-model/amazon.nova-lite-v1:0`])] });
      expect(findingIds(check(stack), IAM1)).toEqual([`${IAM1}[Resource::arn:<AWS::Partition>:bedrock:<AWS::Region>::foundation-model/amazon.nova-lite-v1:0]`]);
    });

    test('bedrock:Invoke* on a system cross-Region profile', () => {
      expect(findingIds(check(policyStack(allow(['bedrock:Invoke*'], [SYSTEM_PROFILE]))), IAM1)).toEqual([`${IAM1}[Resource::${SYSTEM_PROFILE}]`]);
    });

    test('InvokeModelWithResponseStream alone, through Fn::Sub', () => {
      const stack = rawPolicyStack({
        Effect: 'Allow',
        Action: 'bedrock:InvokeModelWithResponseStream',
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:bedrock:${AWS::Region}::foundation-model/*' },
      });
      expect(findingIds(check(stack), IAM1)).toEqual([`${IAM1}[Resource::arn:<AWS::Partition>:bedrock:<AWS::Region>::foundation-model/*]`]);
    });

    test('NotAction that does not exclude invoke, NotResource that does not exclude models', () => {
      const stack = rawPolicyStack([
        { Effect: 'Allow', NotAction: ['s3:*'], Resource: '*' },
        { Effect: 'Allow', Action: 'bedrock:InvokeModel', NotResource: 'arn:aws:s3:::*' },
      ]);
      expect(findingIds(check(stack), IAM1)).toEqual([`${IAM1}[NotResource::arn:aws:s3:::*]`, `${IAM1}[Resource::*]`]);
    });

    test.each([
      ['Null false (any profile, system ones included)', { Null: { 'bedrock:InferenceProfileArn': 'false' } }],
      ['Null true', { Null: { 'bedrock:InferenceProfileArn': 'true' } }],
      ['ArnEqualsIfExists (absence allowed)', { ArnEqualsIfExists: { 'bedrock:InferenceProfileArn': APP_PROFILE } }],
      ['ArnNotEquals', { ArnNotEquals: { 'bedrock:InferenceProfileArn': APP_PROFILE } }],
      ['ForAllValues:ArnEquals', { 'ForAllValues:ArnEquals': { 'bedrock:InferenceProfileArn': APP_PROFILE } }],
      ['ArnLike on system profiles', { ArnLike: { 'bedrock:InferenceProfileArn': 'arn:aws:bedrock:*:*:inference-profile/*' } }],
      ['StringLike *', { StringLike: { 'bedrock:InferenceProfileArn': '*' } }],
      ['another key', { ArnEquals: { 'bedrock:ModelArn': APP_PROFILE } }],
    ])('a condition that does not pin application profiles: %s', (_name, conditions) => {
      const stack = policyStack(allow(['bedrock:InvokeModel'], [`arn:aws:bedrock:*::foundation-model/${HAIKU}`], conditions));
      expect(findingIds(check(stack), IAM1)).toEqual([`${IAM1}[Resource::arn:aws:bedrock:*::foundation-model/${HAIKU}]`]);
    });

    test('one finding per offending resource, on every kind of IAM resource', () => {
      const stack = newStack();
      const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
      new iam.CfnManagedPolicy(stack, 'Managed', { policyDocument: doc });
      new iam.CfnRole(stack, 'Role', { assumeRolePolicyDocument: {}, policies: [{ policyName: 'inline', policyDocument: doc }] });
      new iam.CfnUser(stack, 'User', { policies: [{ policyName: 'inline', policyDocument: doc }] });
      new iam.CfnGroup(stack, 'Group', { policies: [{ policyName: 'inline', policyDocument: doc }] });
      new iam.CfnRolePolicy(stack, 'RolePolicy', { roleName: 'r', policyName: 'p', policyDocument: doc });
      new iam.CfnPolicy(stack, 'Policy', {
        policyName: 'p',
        policyDocument: {
          Statement: [
            { Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: [`arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`, APP_PROFILE, SYSTEM_PROFILE] },
          ],
        },
      });
      expect(findingsOf(check(stack), IAM1)).toEqual([
        { id: `${IAM1}[Resource::*]`, paths: ['Stack/Group', 'Stack/Managed', 'Stack/Role', 'Stack/RolePolicy', 'Stack/User'], severity: 'error' },
        { id: `${IAM1}[Resource::arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}]`, paths: ['Stack/Policy'], severity: 'error' },
        { id: `${IAM1}[Resource::${SYSTEM_PROFILE}]`, paths: ['Stack/Policy'], severity: 'error' },
      ]);
    });
  });

  describe('Validation failure', () => {
    test('a resource from a parameter', () => {
      const stack = newStack();
      const param = new CfnParameter(stack, 'ModelArn');
      new iam.Policy(stack, 'P', { statements: [allow(['bedrock:InvokeModel'], [param.valueAsString])] });
      expect(ruleErrors(check(stack), IAM1)).toEqual([
        'Stack/P/Resource: the resource <ModelArn> cannot be resolved at synth time, so the statement cannot be checked',
      ]);
    });

    test('a resource imported from outside the app', () => {
      const stack = newStack();
      new iam.Policy(stack, 'P', { statements: [allow(['bedrock:InvokeModel'], [Fn.importValue('SharedModelArn')])] });
      expect(ruleErrors(check(stack), IAM1)).toEqual([
        'Stack/P/Resource: the resource SharedModelArn cannot be resolved at synth time, so the statement cannot be checked',
      ]);
    });

    test('a condition value from a parameter', () => {
      const stack = newStack();
      const param = new CfnParameter(stack, 'ProfileArn');
      new iam.Policy(stack, 'P', {
        statements: [allow(['bedrock:InvokeModel'], ['*'], { ArnEquals: { 'bedrock:InferenceProfileArn': param.valueAsString } })],
      });
      expect(ruleErrors(check(stack), IAM1)).toEqual([
        'Stack/P/Resource: the bedrock:InferenceProfileArn condition value <ProfileArn> cannot be resolved at synth time, so the statement cannot be checked',
      ]);
    });

    test('a statement behind Fn::If', () => {
      const stack = rawPolicyStack([Fn.conditionIf('IsProd', { Effect: 'Allow', Action: '*', Resource: '*' }, { Ref: 'AWS::NoValue' })]);
      expect(ruleErrors(check(stack), IAM1)).toEqual([
        'Stack/P: the statement {"Fn::If":["IsProd",{"Effect":"Allow","Action":"*","Resource":"*"},{"Ref":"AWS::NoValue"}]} is not a literal object, so the statement cannot be checked',
      ]);
    });
  });
});

describe('BedrockWildcardPermissions (IAM2)', () => {
  test('Compliance', () => {
    const stack = policyStack(
      allow(['bedrock:InvokeModel'], ['*']),
      allow(['bedrock:*'], [APP_PROFILE, 'arn:aws:bedrock:us-east-1:111122223333:*']),
      allow(['s3:*'], ['*']),
      new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['bedrock:*'], resources: ['*'] }),
      new iam.PolicyStatement({ actions: ['bedrock:*'], notResources: ['arn:aws:bedrock:*::foundation-model/*'] }),
    );
    expect(findingIds(check(stack), IAM2)).toEqual([]);
  });

  test('Noncompliance', () => {
    const stack = rawPolicyStack([
      { Effect: 'Allow', Action: ['bedrock:*', 's3:GetObject'], Resource: '*' },
      { Effect: 'Allow', Action: '*', Resource: 'arn:*:bedrock:*:*:*' },
      { Effect: 'Allow', Action: 'Bedrock:*', Resource: ['arn:aws:bedrock:*'] },
      { Effect: 'Allow', NotAction: 's3:*', Resource: '*' },
      { Effect: 'Allow', Action: 'bedrock:*', NotResource: 'arn:aws:s3:::*' },
    ]);
    expect(findingsOf(check(stack), IAM2)).toEqual([
      { id: `${IAM2}[Action::*]`, paths: ['Stack/P'], severity: 'error' },
      { id: `${IAM2}[Action::bedrock:*]`, paths: ['Stack/P'], severity: 'error' },
      { id: `${IAM2}[Action::Bedrock:*]`, paths: ['Stack/P'], severity: 'error' },
      { id: `${IAM2}[NotAction::s3:*]`, paths: ['Stack/P'], severity: 'error' },
    ]);
  });

  test('Validation failure', () => {
    const stack = newStack();
    const param = new CfnParameter(stack, 'Resources');
    new iam.Policy(stack, 'P', { statements: [allow(['bedrock:*'], [param.valueAsString])] });
    expect(ruleErrors(check(stack), IAM2)).toEqual([
      'Stack/P/Resource: the resource <Resources> cannot be resolved at synth time, so the statement cannot be checked',
    ]);
  });
});

describe('BedrockInvokeOnAllApplicationProfiles (IAM3)', () => {
  test('Compliance: named profiles, tag-scoped wildcards, and broader wildcards left to IAM1/IAM2', () => {
    const stack = newStack();
    const profile = new bedrock.CfnApplicationInferenceProfile(stack, 'Profile', { inferenceProfileName: 'p' });
    new iam.Policy(stack, 'P', {
      statements: [
        allow(['bedrock:InvokeModel'], [profile.attrInferenceProfileArn, APP_PROFILE]),
        allow(['bedrock:InvokeModel'], ['arn:aws:bedrock:*:*:application-inference-profile/*'], { StringEquals: { 'aws:ResourceTag/team': 'search' } }),
        allow(['bedrock:InvokeModel'], ['*', 'arn:aws:bedrock:us-east-1:111122223333:*']),
        allow(['bedrock:GetInferenceProfile'], ['arn:aws:bedrock:*:*:application-inference-profile/*']),
      ],
    });
    const report = check(stack);
    expect(findingIds(report, IAM3)).toEqual([]);
    expect(ruleErrors(report, IAM3)).toEqual([]);
  });

  test('Noncompliance', () => {
    const stack = policyStack(
      allow(['bedrock:InvokeModel*'], ['arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/*']),
      allow(['bedrock:InvokeModel'], ['arn:aws:bedrock:*:*:application-inference-profile/team-?']),
      // A tag condition that allows absence does not scope the statement.
      allow(['bedrock:InvokeModel'], ['arn:aws:bedrock:*:*:application-inference-profile/x*'], { StringEqualsIfExists: { 'aws:ResourceTag/team': 'search' } }),
    );
    expect(findingsOf(check(stack), IAM3)).toEqual([
      { id: `${IAM3}[Resource::arn:aws:bedrock:*:*:application-inference-profile/team-?]`, paths: ['Stack/P/Resource'], severity: 'warning' },
      { id: `${IAM3}[Resource::arn:aws:bedrock:*:*:application-inference-profile/x*]`, paths: ['Stack/P/Resource'], severity: 'warning' },
      { id: `${IAM3}[Resource::arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/*]`, paths: ['Stack/P/Resource'], severity: 'warning' },
    ]);
  });

  test('Validation failure', () => {
    const stack = rawPolicyStack({ Effect: 'Allow', Action: [{ Ref: 'ActionParam' }], Resource: '*' });
    expect(ruleErrors(check(stack), IAM3)).toEqual([
      'Stack/P: an Action or NotAction is not a literal string, so the statement cannot be checked',
    ]);
  });
});

describe('BedrockMantleAllowed (IAM4)', () => {
  test('Compliance', () => {
    const stack = policyStack(
      allow(['bedrock:*'], ['*']),
      allow(['*'], ['arn:aws:s3:::bucket/*']),
      new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['bedrock-mantle:*'], resources: ['*'] }),
    );
    expect(findingIds(check(stack), IAM4)).toEqual([]);
  });

  test('Noncompliance', () => {
    const stack = rawPolicyStack([
      { Effect: 'Allow', Action: 'bedrock-mantle:*', Resource: '*' },
      { Effect: 'Allow', Action: ['bedrock-mantle:CreateInference', 'bedrock:InvokeModel'], Resource: 'arn:aws:bedrock-mantle:us-east-1:111122223333:project/*' },
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Allow', NotAction: 'bedrock:*', Resource: '*' },
    ]);
    expect(findingsOf(check(stack), IAM4)).toEqual([
      { id: `${IAM4}[Action::*]`, paths: ['Stack/P'], severity: 'error' },
      { id: `${IAM4}[Action::bedrock-mantle:*]`, paths: ['Stack/P'], severity: 'error' },
      { id: `${IAM4}[Action::bedrock-mantle:CreateInference]`, paths: ['Stack/P'], severity: 'error' },
      { id: `${IAM4}[NotAction::bedrock:*]`, paths: ['Stack/P'], severity: 'error' },
    ]);
  });

  test('Validation failure', () => {
    const stack = newStack();
    const param = new CfnParameter(stack, 'Target');
    new iam.Policy(stack, 'P', { statements: [allow(['bedrock-mantle:*'], [param.valueAsString])] });
    expect(ruleErrors(check(stack), IAM4)).toEqual([
      'Stack/P/Resource: the resource <Target> cannot be resolved at synth time, so the statement cannot be checked',
    ]);
  });
});

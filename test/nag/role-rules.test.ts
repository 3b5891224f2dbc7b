/**
 * IAM5 (streaming to non-interactive roles) and IAM6 (premium models for light-task roles): rules
 * over a role and every policy the app attaches to it.
 */
import { CfnParameter, Fn, Stack, Tags } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { check, findingIds, findingsOf, newStack, ruleErrors } from './utils';
import { BedrockGovernance, BedrockModel, InferenceRouting, ModelTier } from '../../src';
import { BedrockGovernanceChecks } from '../../src/nag';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const IAM5 = 'BedrockGovernance-IAM5';
const IAM6 = 'BedrockGovernance-IAM6';

function role(stack: Stack, id: string): iam.Role {
  return new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
}

function governedTeam(stack: Stack, models: BedrockModel[]) {
  return new BedrockGovernance(stack, 'Gov').addTeam('search', { costCenter: 'CC-1', environment: 'prod', models, routing: InferenceRouting.global() });
}

describe('BedrockStreamingNonInteractive (IAM5)', () => {
  test('Compliance: a tagged role granted without streaming; interactive and unmarked roles may stream', () => {
    const app = testApp();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const team = governedTeam(stack, [BedrockModel.CLAUDE_HAIKU_4_5]);
    const worker = role(stack, 'Worker');
    BedrockGovernanceChecks.markNonInteractive(worker);
    team.grantInvoke(worker, { streaming: false });
    const chat = role(stack, 'Chat');
    Tags.of(chat).add(BedrockGovernanceChecks.INTERACTIVE_TAG_KEY, 'true');
    team.grantInvoke(chat);
    team.grantInvoke(role(stack, 'Unmarked'));
    app.synth();
    const report = check(stack);
    expect(findingIds(report, IAM5)).toEqual([]);
    expect(ruleErrors(report, IAM5)).toEqual([]);
  });

  test('Noncompliance: through the role\'s default policy, an attached managed policy, an inline policy and a policy naming the role', () => {
    const app = testApp();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const team = governedTeam(stack, [BedrockModel.CLAUDE_HAIKU_4_5]);

    const tagged = role(stack, 'Tagged');
    Tags.of(tagged).add(BedrockGovernanceChecks.INTERACTIVE_TAG_KEY, 'FALSE');
    team.grantInvoke(tagged);
    const fn = new lambda.Function(stack, 'Batch', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    });
    BedrockGovernanceChecks.markNonInteractive(fn);
    team.grantInvoke(fn);

    const managed = role(stack, 'Managed');
    managed.addManagedPolicy(team.invokePolicy);
    const inline = new iam.CfnRole(stack, 'Inline', {
      assumeRolePolicyDocument: {},
      policies: [{ policyName: 'all', policyDocument: { Statement: [{ Effect: 'Allow', Action: 'bedrock:*', Resource: '*' }] } }],
    });
    const named = new iam.CfnRole(stack, 'Named', { assumeRolePolicyDocument: {}, roleName: 'named-worker' });
    new iam.CfnPolicy(stack, 'ByName', {
      policyName: 'by-name',
      roles: ['named-worker'],
      policyDocument: { Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModel*', Resource: 'arn:aws:bedrock:*:*:application-inference-profile/x' }] },
    });
    app.synth();

    const report = check(stack, { nonInteractiveRoles: ['Stack/Managed', stack.resolve(inline.logicalId), named.node.path] });
    expect(findingsOf(report, IAM5)).toEqual([{
      id: IAM5,
      paths: ['Stack/Batch/ServiceRole/Resource', 'Stack/Inline', 'Stack/Managed/Resource', 'Stack/Named', 'Stack/Tagged/Resource'],
      severity: 'warning',
    }]);
  });

  test('Validation failure: the marking tag is a token, or a granted resource cannot be resolved', () => {
    const stack = newStack();
    new iam.CfnRole(stack, 'Role', { assumeRolePolicyDocument: {}, tags: [{ key: BedrockGovernanceChecks.INTERACTIVE_TAG_KEY, value: Fn.importValue('Interactive') }] });
    expect(ruleErrors(check(stack), IAM5)).toEqual([
      "Stack/Role: the value of tag 'bedrock-governance:interactive' is not a literal string, so the rule cannot tell how the role is marked",
    ]);

    const other = newStack();
    const worker = role(other, 'Worker');
    worker.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModelWithResponseStream'], resources: [new CfnParameter(other, 'Target').valueAsString] }));
    expect(ruleErrors(check(other, { nonInteractiveRoles: ['Stack/Worker'] }), IAM5)).toEqual([
      'Stack/Worker/DefaultPolicy/Resource: the resource <Target> cannot be resolved at synth time, so the statement cannot be checked',
    ]);
  });
});

describe('BedrockPremiumModelLightTask (IAM6)', () => {
  test('Compliance: a light role on a light model, a premium model for an unmarked role', () => {
    const app = testApp();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const gov = new BedrockGovernance(stack, 'Gov');
    const light = gov.addTeam('triage', { costCenter: 'CC-1', environment: 'prod', models: [BedrockModel.NOVA_MICRO] });
    const deep = gov.addTeam('research', { costCenter: 'CC-2', environment: 'prod', models: [BedrockModel.CLAUDE_OPUS_4_5], routing: InferenceRouting.global() });
    const classifier = role(stack, 'Classifier');
    BedrockGovernanceChecks.markTaskTier(classifier, ModelTier.LIGHT);
    light.grantInvoke(classifier);
    deep.grantInvoke(role(stack, 'Agent'));
    app.synth();
    const report = check(stack);
    expect(findingIds(report, IAM6)).toEqual([]);
    expect(ruleErrors(report, IAM6)).toEqual([]);
  });

  test('Noncompliance: the library\'s profile and a plain L1 profile of a system profile, one finding per profile', () => {
    const app = testApp();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const team = governedTeam(stack, [BedrockModel.CLAUDE_HAIKU_4_5, BedrockModel.CLAUDE_OPUS_4_5]);
    const l1 = new bedrock.CfnApplicationInferenceProfile(stack, 'OpusEu', {
      inferenceProfileName: 'opus-eu',
      modelSource: { copyFrom: `arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:inference-profile/eu.${BedrockModel.CLAUDE_OPUS_4_5.modelId}` },
    });
    const classifier = role(stack, 'Classifier');
    BedrockGovernanceChecks.markTaskTier(classifier, ModelTier.LIGHT);
    team.grantInvoke(classifier);
    classifier.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [l1.attrInferenceProfileArn] }));
    const listed = role(stack, 'Listed');
    listed.addManagedPolicy(team.invokePolicy);
    app.synth();

    const report = check(stack, { lightTaskRoles: ['Stack/Listed'] });
    expect(findingsOf(report, IAM6)).toEqual([
      { id: `${IAM6}[Profile::Stack/Gov/search/claude-opus-4-5/Resource]`, paths: ['Stack/Classifier/Resource', 'Stack/Listed/Resource'], severity: 'warning' },
      { id: `${IAM6}[Profile::Stack/OpusEu]`, paths: ['Stack/Classifier/Resource'], severity: 'warning' },
    ]);
  });

  test('Noncompliance across stacks: the grant imports the profile ARN exported by another stack', () => {
    const app = testApp();
    const profiles = new Stack(app, 'Profiles', { env: ENV });
    const apps = new Stack(app, 'Apps', { env: ENV });
    const opus = new bedrock.CfnApplicationInferenceProfile(profiles, 'Opus', {
      inferenceProfileName: 'opus',
      modelSource: { copyFrom: `arn:aws:bedrock:us-east-1:111122223333:inference-profile/global.${BedrockModel.CLAUDE_OPUS_4_5.modelId}` },
    });
    const classifier = role(apps, 'Classifier');
    BedrockGovernanceChecks.markTaskTier(classifier, ModelTier.LIGHT);
    classifier.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [opus.attrInferenceProfileArn] }));
    app.synth();
    expect(apps.resolve((classifier.node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy).policyDocument).Statement[0].Resource)
      .toEqual({ 'Fn::ImportValue': expect.stringMatching(/^Profiles:ExportsOutputFnGetAttOpusInferenceProfileArn/) });
    expect(findingIds(check(apps), IAM6)).toEqual([`${IAM6}[Profile::Profiles/Opus]`]);
  });

  test('Validation failure: the profile\'s model cannot be read', () => {
    const stack = newStack();
    const profile = new bedrock.CfnApplicationInferenceProfile(stack, 'Profile', {
      inferenceProfileName: 'p',
      modelSource: { copyFrom: new CfnParameter(stack, 'Model').valueAsString },
    });
    const classifier = role(stack, 'Classifier');
    classifier.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [profile.attrInferenceProfileArn] }));
    expect(ruleErrors(check(stack, { lightTaskRoles: ['Stack/Classifier/Resource'] }), IAM6)).toEqual([
      'Stack/Profile: the model of ModelSource.CopyFrom <Model> cannot be read at synth time',
    ]);
  });
});

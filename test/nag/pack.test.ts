/**
 * The pack itself: its exact rules, its settings, registration as a validation plugin, narrow
 * acknowledgements, and the per-run app index.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { NagMessageLevel } from 'cdk-nag';
import { allIds, check, findingIds, newStack } from './utils';
import { BedrockGovernanceChecks } from '../../src/nag';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const TAGS = [{ key: 'team', value: 'search' }, { key: 'cost-center', value: 'CC-1' }, { key: 'environment', value: 'prod' }];

function loggingCall(stack: Stack): void {
  const call: cr.AwsSdkCall = {
    service: 'Bedrock',
    action: 'putModelInvocationLoggingConfiguration',
    parameters: { loggingConfig: { s3Config: { bucketName: 'logs' } } },
    physicalResourceId: cr.PhysicalResourceId.of('logging'),
  };
  new cr.AwsCustomResource(stack, 'Logging', {
    installLatestAwsSdk: false,
    onCreate: call,
    policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions: ['bedrock:PutModelInvocationLoggingConfiguration'], resources: ['*'] })]),
  });
}

describe('the rule list', () => {
  test('exact ids, names and levels', () => {
    expect(BedrockGovernanceChecks.allRules().map((r) => [r.ruleId, r.ruleName, r.level])).toEqual([
      ['BedrockGovernance-IAM1', 'BedrockDirectModelInvocation', NagMessageLevel.ERROR],
      ['BedrockGovernance-IAM2', 'BedrockWildcardPermissions', NagMessageLevel.ERROR],
      ['BedrockGovernance-IAM3', 'BedrockInvokeOnAllApplicationProfiles', NagMessageLevel.WARN],
      ['BedrockGovernance-IAM4', 'BedrockMantleAllowed', NagMessageLevel.ERROR],
      ['BedrockGovernance-IAM5', 'BedrockStreamingNonInteractive', NagMessageLevel.WARN],
      ['BedrockGovernance-IAM6', 'BedrockPremiumModelLightTask', NagMessageLevel.WARN],
      ['BedrockGovernance-TAG1', 'BedrockProfileCostTags', NagMessageLevel.ERROR],
      ['BedrockGovernance-LOG1', 'BedrockInvocationLoggingMissing', NagMessageLevel.ERROR],
      ['BedrockGovernance-BUD1', 'BedrockTeamWithoutBudget', NagMessageLevel.WARN],
      ['BedrockGovernance-BUD2', 'BudgetNotificationsWithSubscribers', NagMessageLevel.ERROR],
      ['BedrockGovernance-KB1', 'BedrockKnowledgeBaseOpenSearchServerless', NagMessageLevel.WARN],
    ]);
  });

  test('RULES.md lists exactly these rules, with their level, name, info and explanation', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', '..', 'RULES.md'), 'utf8');
    const rows = text.split('\n').filter((line) => line.startsWith('| BedrockGovernance-')).map((line) => line.split(' | ').map((c) => c.replace(/^\| | \|$/g, '')));
    expect(rows).toEqual(BedrockGovernanceChecks.allRules().map((r) => [
      r.ruleId, r.level === NagMessageLevel.ERROR ? 'Error' : 'Warning', r.ruleName, r.info, r.explanation,
    ]));
  });

  test('an instance runs all of them, or only the errors when warnings are off', () => {
    expect(new BedrockGovernanceChecks().rules).toEqual(BedrockGovernanceChecks.allRules());
    expect(new BedrockGovernanceChecks(undefined, { warnings: false }).rules.map((r) => r.ruleId)).toEqual([
      'BedrockGovernance-IAM1', 'BedrockGovernance-IAM2', 'BedrockGovernance-IAM4', 'BedrockGovernance-TAG1',
      'BedrockGovernance-LOG1', 'BedrockGovernance-BUD2',
    ]);
    const pack = new BedrockGovernanceChecks();
    expect([pack.name, pack.readPackName, BedrockGovernanceChecks.PACK_NAME]).toEqual(['BedrockGovernance', 'BedrockGovernance', 'BedrockGovernance']);
  });
});

describe('running the pack', () => {
  test('warnings off: warning rules are not applied', () => {
    const stack = newStack();
    new bedrock.CfnApplicationInferenceProfile(stack, 'Profile', { inferenceProfileName: 'p', tags: TAGS });
    new iam.Policy(stack, 'P', { statements: [new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['arn:aws:bedrock:*:*:application-inference-profile/*'] })] });
    expect(allIds(check(stack))).toEqual([
      'BedrockGovernance-BUD1', 'BedrockGovernance-IAM3[Resource::arn:aws:bedrock:*:*:application-inference-profile/*]', 'BedrockGovernance-LOG1',
    ]);
    expect(allIds(check(stack, { warnings: false }))).toEqual(['BedrockGovernance-LOG1']);
  });

  test('the app index is rebuilt on every run: a fix made between runs is seen', () => {
    const stack = newStack();
    new bedrock.CfnApplicationInferenceProfile(stack, 'Profile', { inferenceProfileName: 'p', tags: TAGS });
    const pack = new BedrockGovernanceChecks(undefined, { warnings: false });
    expect(pack.validateScope(stack).violations.map((v) => v.ruleName)).toEqual(['BedrockGovernance-LOG1']);
    loggingCall(stack);
    expect(pack.validateScope(stack)).toEqual({ success: true, violations: [] });
  });

  test('app-wide rules see the whole app when one stack is validated', () => {
    const app = testApp();
    const usage = new Stack(app, 'Usage', { env: ENV });
    new bedrock.CfnApplicationInferenceProfile(usage, 'Profile', { inferenceProfileName: 'p', tags: TAGS });
    loggingCall(new Stack(app, 'Shared', { env: ENV }));
    expect(findingIds(check(usage), 'BedrockGovernance-LOG1')).toEqual([]);
  });

  test('registered with Validations.of(app).addPlugins, findings fail the synthesis and reach the report', () => {
    const app = testApp();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['*'] }));
    Validations.of(app).addPlugins(new BedrockGovernanceChecks());
    expect(() => app.synth()).toThrow(/Acknowledge with 'BedrockGovernance::BedrockGovernance-IAM1\[Resource::\*\]'/);
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
    const rules = report.pluginReports.flatMap((p: any) => p.violations.map((v: any) => [p.pluginName, v.ruleName]));
    expect(rules).toEqual([
      ['BedrockGovernance', 'BedrockGovernance-IAM1[Resource::*]'],
      ['BedrockGovernance', 'BedrockGovernance-LOG1'],
    ]);
  });

  test('a clean app synthesizes with the pack registered', () => {
    const app = new App({ outdir: testApp().outdir, builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Stack', { env: ENV });
    new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    Validations.of(app).addPlugins(new BedrockGovernanceChecks());
    expect(() => app.synth()).not.toThrow();
  });
});

describe('acknowledging a finding narrowly', () => {
  function twoDirectGrants(): { stack: Stack; role: iam.Role } {
    const stack = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['*'] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModelWithResponseStream'], resources: ['arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0'] }));
    loggingCall(stack);
    return { stack, role };
  }

  test('one finding id on one role leaves the others', () => {
    const { stack, role } = twoDirectGrants();
    Validations.of(role).acknowledge({
      id: 'BedrockGovernance-IAM1[Resource::arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0]',
      reason: 'The evaluation harness measures the raw model; its calls are tagged by the harness account',
    });
    expect(allIds(check(stack))).toEqual(['BedrockGovernance-IAM1[Resource::*]']);
  });

  test('a finding id acknowledged on another construct does not apply', () => {
    const { stack } = twoDirectGrants();
    const other = new iam.Role(stack, 'Other', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    Validations.of(other).acknowledge({ id: 'BedrockGovernance-IAM1[Resource::*]', reason: 'Not this role' });
    expect(allIds(check(stack))).toEqual([
      'BedrockGovernance-IAM1[Resource::*]',
      'BedrockGovernance-IAM1[Resource::arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0]',
    ]);
  });

  test('the same id acknowledges the finding when the pack runs during synthesis', () => {
    const app = testApp();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['*'] }));
    loggingCall(stack);
    Validations.of(app).addPlugins(new BedrockGovernanceChecks());
    Validations.of(role).acknowledge({ id: 'BedrockGovernance-IAM1[Resource::*]', reason: 'Model benchmark role: measures every model directly, by design' });
    expect(() => app.synth()).not.toThrow();
  });
});

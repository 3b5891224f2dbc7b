import { Stack } from 'aws-cdk-lib';
import { BedrockGovernance, BedrockModel, CrossRegionGeo, InferenceRouting } from '../../src';
import { MemberAccountStage, MemberStackSet } from '../../src/organization';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const OU = 'ou-ab12-cdefgh34';
const TEAM = { costCenter: 'CC-1', environment: 'prod', models: [BedrockModel.CLAUDE_HAIKU_4_5, BedrockModel.CLAUDE_SONNET_4_5], routing: InferenceRouting.crossRegion(CrossRegionGeo.US) };

function member(app: ReturnType<typeof testApp>, id: string, teams: number): MemberAccountStage {
  const stage = new MemberAccountStage(app, id);
  const gov = new BedrockGovernance(stage.stack, 'Gov', { invocationLogging: { enabled: false }, activateCostAllocationTags: false, dashboard: false });
  for (let i = 0; i < teams; i++) {
    gov.addTeam(`team${i}`, TEAM);
  }
  return stage;
}

test('profiles of StackSet instances and of stacks bound to the same account and Region add up across the app', () => {
  const app = testApp();
  const management = new Stack(app, 'Management', { env: ENV });
  // a stack deployed with cdk deploy in member account 444455556666, us-east-1: 2 profiles
  const direct = new Stack(app, 'Direct', { env: { account: '444455556666', region: 'us-east-1' } });
  new BedrockGovernance(direct, 'Gov', { invocationLogging: { enabled: false }, dashboard: false }).addTeam('direct', TEAM);
  // two StackSets, 2 profiles each, in the same account: 6 in us-east-1, 4 in us-west-2
  new MemberStackSet(management, 'A', {
    memberStack: member(app, 'ShapeA', 1).stack,
    stackSetName: 'a',
    profileQuota: 5,
    deployments: [{ organizationalUnitIds: [OU], accounts: ['444455556666', '777788889999'], regions: ['us-east-1', 'us-west-2'] }],
  });
  new MemberStackSet(management, 'B', {
    memberStack: member(app, 'ShapeB', 1).stack,
    stackSetName: 'b',
    deployments: [{ organizationalUnitIds: [OU], accounts: ['444455556666'], regions: ['us-east-1', 'us-west-2'] }],
  });
  expect(() => app.synth()).toThrow(
    'Validation failed with the following errors:\n  [Management/A] Management/A: 6 application inference profiles in account 444455556666, Region us-east-1 (stacks and StackSet instances across the app) exceed the profile quota of 5. '
    + 'Ask AWS to raise the Bedrock application inference profile quota and set profileQuota to the new value, or spread the teams across Regions or accounts');
});

test('StackSets on an OU without an account filter count per account of the OU; within the quota, the synth passes', () => {
  const over = testApp();
  const management = new Stack(over, 'Management', { env: ENV });
  new MemberStackSet(management, 'A', {
    memberStack: member(over, 'ShapeA', 2).stack,
    profileQuota: 7,
    deployments: [{ organizationalUnitIds: [OU], regions: ['eu-west-1'] }],
  });
  new MemberStackSet(management, 'B', {
    memberStack: member(over, 'ShapeB', 2).stack,
    stackSetName: 'b',
    profileQuota: 7,
    deployments: [{ organizationalUnitIds: [OU], regions: ['eu-west-1'] }],
  });
  expect(() => over.synth()).toThrow(
    `Management/A: 8 application inference profiles in each account of ${OU}, Region eu-west-1 (stacks and StackSet instances across the app) exceed the profile quota of 7.`);

  const within = testApp();
  const m2 = new Stack(within, 'Management', { env: ENV });
  new MemberStackSet(m2, 'A', {
    memberStack: member(within, 'ShapeA', 2).stack,
    profileQuota: 8,
    deployments: [{ organizationalUnitIds: [OU], regions: ['eu-west-1'] }],
  });
  new MemberStackSet(m2, 'B', {
    memberStack: member(within, 'ShapeB', 2).stack,
    stackSetName: 'b',
    profileQuota: 8,
    deployments: [{ organizationalUnitIds: [OU], regions: ['eu-west-1'] }],
  });
  expect(() => within.synth()).not.toThrow();
});

test('profileQuota must be a positive whole number', () => {
  const app = testApp();
  const management = new Stack(app, 'Management', { env: ENV });
  expect(() => new MemberStackSet(management, 'A', {
    memberStack: member(app, 'ShapeA', 0).stack,
    profileQuota: 0,
    deployments: [{ organizationalUnitIds: [OU], regions: ['eu-west-1'] }],
  })).toThrow('Management/A: invalid profileQuota 0: the quota is a positive whole number. Pass the quota shown in Service Quotas (default 1000)');
});

test('two StackSets (or a stack and a StackSet) applying the invocation logging setting in one account and Region fail the synth', () => {
  const app = testApp();
  const management = new Stack(app, 'Management', { env: ENV });
  const logged = (id: string) => {
    const stage = new MemberAccountStage(app, id);
    new BedrockGovernance(stage.stack, 'Gov', { invocationLogging: { inlineHandler: true }, activateCostAllocationTags: false, dashboard: false });
    return stage.stack;
  };
  new MemberStackSet(management, 'A', {
    memberStack: logged('ShapeA'),
    stackSetName: 'a',
    deployments: [{ organizationalUnitIds: [OU], accounts: ['444455556666', '777788889999'], regions: ['us-east-1'] }],
  });
  new MemberStackSet(management, 'B', {
    memberStack: logged('ShapeB'),
    stackSetName: 'b',
    deployments: [{ organizationalUnitIds: [OU], accounts: ['777788889999'], regions: ['us-east-1', 'us-west-2'] }],
  });
  const direct = new Stack(app, 'Direct', { env: { account: '777788889999', region: 'us-west-2' } });
  new BedrockGovernance(direct, 'Gov', { dashboard: false });
  const fix = 'Keep InvocationLogging in one of them (invocationLogging: { enabled: false } in the others), or deploy the StackSets to different accounts or Regions';
  expect(() => app.synth()).toThrow(
    'Validation failed with the following errors:\n'
    + `  [Management/A] Management/A: 2 stacks or StackSet instances apply the model invocation logging setting in account 777788889999, Region us-east-1, and each overwrites the others. ${fix}\n`
    + `  [Management/A] Management/A: 2 stacks or StackSet instances apply the model invocation logging setting in account 777788889999, Region us-west-2, and each overwrites the others. ${fix}`);
});

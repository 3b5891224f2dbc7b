import { CfnParameter, Stack, Stage } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { BedrockGovernance, BedrockModel, CrossRegionGeo, InferenceRouting } from '../../src';
import { MemberAccountStage, MemberStackSet, StackSetStackSynthesizer } from '../../src/organization';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const OU = 'ou-ab12-cdefgh34';
const ACCOUNTS = ['444455556666', '777788889999', '123456789012'];
const REGIONS = ['us-east-1', 'us-west-2'];

/** A member stage with a facade that needs no asset (invocation logging off, no waste audit). */
function memberApp() {
  const app = testApp();
  const management = new Stack(app, 'Management', { env: ENV });
  const member = new MemberAccountStage(app, 'Members');
  const gov = new BedrockGovernance(member.stack, 'Gov', {
    invocationLogging: { enabled: false },
    activateCostAllocationTags: false,
    dashboard: false,
  });
  return { app, management, member, gov };
}

function addTeam(gov: BedrockGovernance, name: string) {
  return gov.addTeam(name, { costCenter: 'CC-1', environment: 'prod', models: [BedrockModel.CLAUDE_HAIKU_4_5], routing: InferenceRouting.crossRegion(CrossRegionGeo.US) });
}

function stackSetOf(template: Template): any {
  const sets = template.findResources('AWS::CloudFormation::StackSet');
  expect(Object.keys(sets)).toHaveLength(1);
  return Object.values<any>(sets)[0].Properties;
}

test('a service-managed StackSet with automatic deployment, retained stacks and one instance group per deployment', () => {
  const { management, member, gov } = memberApp();
  addTeam(gov, 'search');
  new MemberStackSet(management, 'Members', {
    memberStack: member.stack,
    deployments: [{ organizationalUnitIds: [OU], accounts: ACCOUNTS, regions: REGIONS }],
  });
  const template = Template.fromStack(management);
  template.hasResourceProperties('AWS::CloudFormation::StackSet', {
    StackSetName: 'bedrock-governance-members',
    PermissionModel: 'SERVICE_MANAGED',
    CallAs: 'SELF',
    AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: true },
    Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
    ManagedExecution: { Active: true },
    StackInstancesGroup: [{
      DeploymentTargets: { OrganizationalUnitIds: [OU], Accounts: ACCOUNTS, AccountFilterType: 'INTERSECTION' },
      Regions: REGIONS,
    }],
    TemplateBody: Match.anyValue(),
    TemplateURL: Match.absent(),
  });
});

test('teams added to the member stack after the StackSet is created are in its template; no bootstrap rule, no asset', () => {
  const { management, member, gov } = memberApp();
  addTeam(gov, 'search');
  new MemberStackSet(management, 'Members', { memberStack: member.stack, deployments: [{ organizationalUnitIds: [OU], regions: REGIONS }] });
  addTeam(gov, 'support'); // after the StackSet
  const body = JSON.parse(stackSetOf(Template.fromStack(management)).TemplateBody);
  const profiles = Object.values<any>(body.Resources).filter((r) => r.Type === 'AWS::Bedrock::ApplicationInferenceProfile');
  expect(profiles.map((p) => p.Properties.Tags.find((t: any) => t.Key === 'team').Value).sort()).toEqual(['search', 'support']);
  expect(body.Parameters?.BootstrapVersion).toBeUndefined();
  expect(body.Rules).toBeUndefined();
  // the body is exactly the member stage's synthesized template
  expect(body).toEqual(Stage.of(member.stack)!.synth().getStackArtifact(member.stack.artifactId).template);
});

test('parameters and per-deployment overrides are passed; unknown and missing parameters fail at synth', () => {
  const { app, management, member, gov } = memberApp();
  addTeam(gov, 'search');
  new CfnParameter(member.stack, 'CostCenter', { type: 'String' });
  new MemberStackSet(management, 'Members', {
    memberStack: member.stack,
    parameters: { CostCenter: 'CC-1' },
    deployments: [{ organizationalUnitIds: [OU], regions: ['eu-west-1'], parameterOverrides: { CostCenter: 'CC-2' } }],
  });
  const props = stackSetOf(Template.fromStack(management));
  expect(props.Parameters).toEqual([{ ParameterKey: 'CostCenter', ParameterValue: 'CC-1' }]);
  expect(props.StackInstancesGroup[0].ParameterOverrides).toEqual([{ ParameterKey: 'CostCenter', ParameterValue: 'CC-2' }]);

  const other = memberApp();
  new CfnParameter(other.member.stack, 'CostCenter', { type: 'String' });
  addTeam(other.gov, 'search');
  new MemberStackSet(other.management, 'Members', {
    memberStack: other.member.stack,
    parameters: { CostCentre: 'CC-1' },
    deployments: [{ organizationalUnitIds: [OU], regions: ['eu-west-1'] }],
  });
  expect(() => other.app.synth()).toThrow(
    "Management/Members: invalid parameters 'CostCentre': the member template has no such parameter (it has: CostCenter). Use the logical id of a CfnParameter of the member stack");
  expect(() => other.app.synth()).toThrow(
    "Management/Members: invalid parameters 'CostCenter': the member template parameter has no default and no value for every deployment. Give CostCenter a default, a value in parameters, or a value in every deployment's parameterOverrides");
  expect(app).toBeDefined();
});

test('a member stack that needs a file asset fails at synth, naming the asset', () => {
  const { app, management, member, gov } = memberApp();
  addTeam(gov, 'search');
  const asset = new s3assets.Asset(member.stack, 'Handler', { path: __filename });
  new MemberStackSet(management, 'Members', { memberStack: member.stack, deployments: [{ organizationalUnitIds: [OU], regions: REGIONS }] });
  expect(() => app.synth()).toThrow(
    `Management/Members: the member stack Members/Member needs CDK assets, which a StackSet cannot deploy (they live in one account's bootstrap bucket): Members/Member/Handler (asset ${asset.assetHash}). `
    + 'Remove the constructs that need them from the member stack (e.g. turn off invocationLogging or the waste audit there), or put them in a stack deployed with cdk deploy');
});

test('the facade\'s invocation logging (an AwsCustomResource) is reported as an asset', () => {
  const app = testApp();
  const management = new Stack(app, 'Management', { env: ENV });
  const member = new MemberAccountStage(app, 'Members');
  new BedrockGovernance(member.stack, 'Gov', { activateCostAllocationTags: false, dashboard: false });
  new MemberStackSet(management, 'Members', { memberStack: member.stack, deployments: [{ organizationalUnitIds: [OU], regions: REGIONS }] });
  expect(() => app.synth()).toThrow(/Management\/Members: the member stack Members\/Member needs CDK assets, which a StackSet cannot deploy .*: Members\/Member\/AWS679f53fac002430cb0da5b7982bd2287\/Code \(asset [0-9a-f]{64}\)\. Remove/);
});

test('over 51,200 bytes inline fails with the fix; templateUrl takes the template from S3 instead', () => {
  const big = memberApp();
  for (let i = 0; i < 40; i++) {
    addTeam(big.gov, `team${i}`);
  }
  new MemberStackSet(big.management, 'Members', { memberStack: big.member.stack, deployments: [{ organizationalUnitIds: [OU], regions: REGIONS }] });
  expect(() => big.app.synth()).toThrow(new RegExp(
    '^Validation failed with the following errors:\\n  \\[Management/Members\\] Management/Members: invalid templateUrl undefined: the member template Members/Member is \\d+ bytes, '
    + 'over the 51200 bytes CloudFormation takes inline \\(TemplateBody\\)\\. Upload MembersMember701907A5\\.template\\.json \\(in the member stage\'s assembly\\) to S3 and pass its URL as templateUrl'));

  const url = memberApp();
  for (let i = 0; i < 40; i++) {
    addTeam(url.gov, `team${i}`);
  }
  new MemberStackSet(url.management, 'Members', {
    memberStack: url.member.stack,
    templateUrl: 'https://example-bucket.s3.amazonaws.com/members.template.json',
    deployments: [{ organizationalUnitIds: [OU], regions: REGIONS }],
  });
  const props = stackSetOf(Template.fromStack(url.management));
  expect(props.TemplateURL).toBe('https://example-bucket.s3.amazonaws.com/members.template.json');
  expect(props.TemplateBody).toBeUndefined();
});

test('bad member stacks and targets are refused with the prop, value and fix', () => {
  const { app, management, member } = memberApp();
  const plain = new Stack(app, 'Plain');
  expect(() => new MemberStackSet(management, 'A', { memberStack: plain, deployments: [{ organizationalUnitIds: [OU], regions: REGIONS }] })).toThrow(
    "Management/A: invalid memberStack 'Plain': a StackSet template must not depend on CDK bootstrap resources, and this stack does not use a StackSetStackSynthesizer. Use the stack of a MemberAccountStage, or create the stack with `synthesizer: new StackSetStackSynthesizer()`");
  const bound = new Stack(new Stage(app, 'Bound'), 'S', { env: ENV, synthesizer: new StackSetStackSynthesizer() });
  expect(() => new MemberStackSet(management, 'B', { memberStack: bound, deployments: [{ organizationalUnitIds: [OU], regions: REGIONS }] })).toThrow(
    "Management/B: invalid memberStack 'Bound/S': the stack is bound to account 111122223333, Region us-east-1, but a StackSet deploys the same template to many. Create the member stack without env");
  const sameStage = new Stack(app, 'Same', { synthesizer: new StackSetStackSynthesizer() });
  expect(() => new MemberStackSet(management, 'C', { memberStack: sameStage, deployments: [{ organizationalUnitIds: [OU], regions: REGIONS }] })).toThrow(
    "Management/C: invalid memberStack 'Same': the member stack must be in a stage of its own (nested in the app), or it would also be deployed as a stack of this app. Use the stack of a MemberAccountStage");
  const ok = { memberStack: member.stack };
  expect(() => new MemberStackSet(management, 'D', { ...ok, deployments: [] })).toThrow(
    'Management/D: invalid deployments []: a StackSet needs at least one deployment. Give the organizational units and Regions to deploy to');
  expect(() => new MemberStackSet(management, 'E', { ...ok, deployments: [{ organizationalUnitIds: ['ou-1'], regions: REGIONS }] })).toThrow(
    "Management/E: invalid deployments[0].organizationalUnitIds 'ou-1': not an organizational unit id (ou-xxxx-xxxxxxxx) or a root id (r-xxxx). Pass the id shown by `aws organizations list-organizational-units-for-parent` or `list-roots`");
  expect(() => new MemberStackSet(management, 'F', { ...ok, deployments: [{ organizationalUnitIds: [OU], regions: ['US East'] }] })).toThrow(
    "Management/F: invalid deployments[0].regions 'US East': not a Region name. Use a name such as 'us-east-1'");
  expect(() => new MemberStackSet(management, 'G', { ...ok, deployments: [{ organizationalUnitIds: [OU], regions: REGIONS, accounts: ['1234'] }] })).toThrow(
    "Management/G: invalid deployments[0].accounts '1234': an account id is 12 digits. Pass the id shown by `aws organizations list-accounts`");
  expect(() => new MemberStackSet(management, 'H', { ...ok, stackSetName: '1-bad', deployments: [{ organizationalUnitIds: [OU], regions: REGIONS }] })).toThrow(
    "Management/H: invalid stackSetName '1-bad': a StackSet name is 1-128 characters: a letter, then letters, digits and hyphens. Pick a name such as 'bedrock-governance-members'");
});

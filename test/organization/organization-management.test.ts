import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BedrockGovernance, BedrockModel, CrossRegionGeo, InferenceRouting } from '../../src';
import { MemberAccountStage, MemberStackSet, OrganizationManagement } from '../../src/organization';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const OU = 'ou-ab12-cdefgh34';

test('the guard as an SCP on the OUs, FOCUS 1.2 and CUR 2.0 exports, tag activation with principal forms', () => {
  const app = testApp();
  const stack = new Stack(app, 'Management', { env: ENV });
  const org = new OrganizationManagement(stack, 'Org', {
    guardTargetIds: [OU, 'ou-ab12-zyxwvu98'],
    guard: { exemptRoles: [iam.Role.fromRoleArn(stack, 'BreakGlass', 'arn:aws:iam::444455556666:role/break-glass')] },
  });
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::Organizations::Policy', {
    Name: 'bedrock-direct-invocation-guard',
    Type: 'SERVICE_CONTROL_POLICY',
    TargetIds: [OU, 'ou-ab12-zyxwvu98'],
  });
  const scp = Object.values<any>(template.findResources('AWS::Organizations::Policy'))[0].Properties.Content;
  expect(scp.Statement.every((s: any) => s.Effect === 'Deny')).toBe(true);
  expect(scp.Statement[0].Condition.ArnNotLike).toEqual({ 'aws:PrincipalArn': ['arn:aws:iam::444455556666:role/break-glass'] });
  template.resourceCountIs('AWS::BCMDataExports::Export', 2);
  template.hasResourceProperties('AWS::BCMDataExports::Export', {
    Export: Match.objectLike({ DataQuery: Match.objectLike({ QueryStatement: Match.stringLikeRegexp('FROM FOCUS_1_2') }) }),
  });
  template.hasResourceProperties('Custom::CostAllocationTagActivation', {
    TagKeys: ['team', 'cost-center', 'environment', 'iamPrincipal/team', 'iamPrincipal/cost-center', 'iamPrincipal/environment'],
  });
  expect(org.chargeback).toBeUndefined();
  expect(org.anomalyDetection).toBeUndefined();
});

test('optional chargeback, attribution and an organization-wide anomaly monitor; no tag activation on request', () => {
  const app = testApp();
  const stack = new Stack(app, 'Management', { env: ENV });
  new OrganizationManagement(stack, 'Org', {
    guardTargetIds: [OU],
    activateCostAllocationTags: false,
    chargeback: {},
    attribution: {},
    anomalyEmails: ['finops@example.com'],
    anomalyThresholdUsd: 250,
  });
  const template = Template.fromStack(stack);
  template.resourceCountIs('Custom::CostAllocationTagActivation', 0);
  template.resourceCountIs('AWS::Athena::WorkGroup', 2);
  template.hasResourceProperties('AWS::CE::AnomalyMonitor', { MonitorType: 'DIMENSIONAL', MonitorDimension: 'SERVICE' });
  template.hasResourceProperties('AWS::CE::AnomalySubscription', {
    Frequency: 'DAILY',
    Subscribers: [{ Type: 'EMAIL', Address: 'finops@example.com' }],
    ThresholdExpression: Match.stringLikeRegexp('"250"'),
  });
});

test('an anomaly threshold without emails, and no SCP target, are refused', () => {
  const app = testApp();
  const stack = new Stack(app, 'Management', { env: ENV });
  expect(() => new OrganizationManagement(stack, 'A', { guardTargetIds: [OU], anomalyThresholdUsd: 50 })).toThrow(
    'Management/A: invalid anomalyThresholdUsd 50: there is no anomaly monitor to apply it to. Set anomalyEmails too');
  expect(() => new OrganizationManagement(stack, 'B', { guardTargetIds: [] })).toThrow(
    'Management/B/GuardPolicy: invalid targetIds []: a service control policy needs at least one target. Pass the root, OU or account ids to attach it to');
});

test('organization-wide team budgets filter on the team tag of a member team, with no reference to the member stage', () => {
  const app = testApp();
  const stack = new Stack(app, 'Management', { env: ENV });
  const member = new MemberAccountStage(app, 'Members');
  const gov = new BedrockGovernance(member.stack, 'Gov', { invocationLogging: { inlineHandler: true }, activateCostAllocationTags: false, dashboard: false });
  const search = gov.addTeam('search', {
    costCenter: 'CC-1', environment: 'prod', models: [BedrockModel.CLAUDE_HAIKU_4_5], routing: InferenceRouting.crossRegion(CrossRegionGeo.US),
  });
  const org = new OrganizationManagement(stack, 'Org', { guardTargetIds: [OU] });
  org.addTeamBudget(search, { monthlyLimitUsd: 20000, emails: ['finops@example.com'] });
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::Budgets::Budget', {
    Budget: Match.objectLike({
      BudgetLimit: { Amount: 20000, Unit: 'USD' },
      FilterExpression: { Tags: { Key: 'team', Values: ['search'], MatchOptions: ['EQUALS'] } },
    }),
  });
  expect(JSON.stringify(template.toJSON())).not.toMatch(/Members|ImportValue/);
  expect(() => org.addTeamBudget(search, { monthlyLimitUsd: 1, emails: ['a@example.com'] })).toThrow(
    "Management/Org: invalid team 'search': a budget for a team of that name was already added (Management/Org/Budget-search). Add one budget per team name: it covers the team in every account");
});

describe('team budgets and anomaly monitors per team in the management account', () => {
  const ACCOUNTS = ['444455556666', '777788889999'];

  function setup() {
    const app = testApp();
    const stack = new Stack(app, 'Management', { env: ENV });
    const member = new MemberAccountStage(app, 'Members');
    const gov = new BedrockGovernance(member.stack, 'Gov', { invocationLogging: { inlineHandler: true }, activateCostAllocationTags: false, dashboard: false });
    const search = gov.addTeam('search', {
      costCenter: 'CC-1', environment: 'prod', models: [BedrockModel.CLAUDE_HAIKU_4_5], routing: InferenceRouting.crossRegion(CrossRegionGeo.US),
    });
    const org = new OrganizationManagement(stack, 'Org', { guardTargetIds: [OU] });
    return { app, stack, member, search, org };
  }

  test('a StackSet that names its accounts adds LINKED_ACCOUNT to the tag filter (each account once)', () => {
    const { stack, member, search, org } = setup();
    const stackSet = new MemberStackSet(stack, 'Product', {
      memberStack: member.stack,
      deployments: [
        { organizationalUnitIds: [OU], regions: ['us-east-1'], accounts: ACCOUNTS },
        { organizationalUnitIds: [OU], regions: ['us-west-2'], accounts: [ACCOUNTS[1]] },
      ],
    });
    const budget = org.addTeamBudget(search, { monthlyLimitUsd: 20000, emails: ['finops@example.com'], memberStackSet: stackSet });
    expect(budget.linkedAccounts).toEqual(ACCOUNTS);
    Template.fromStack(stack).hasResourceProperties('AWS::Budgets::Budget', {
      Budget: Match.objectLike({
        FilterExpression: {
          And: [
            { Tags: { Key: 'team', Values: ['search'], MatchOptions: ['EQUALS'] } },
            { Dimensions: { Key: 'LINKED_ACCOUNT', Values: ACCOUNTS, MatchOptions: ['EQUALS'] } },
          ],
        },
        Metrics: ['UnblendedCost'],
      }),
    });
  });

  test('a StackSet with an OU-wide deployment leaves the tag filter alone; linkedAccounts wins', () => {
    const { stack, member, search, org } = setup();
    const stackSet = new MemberStackSet(stack, 'Product', {
      memberStack: member.stack,
      deployments: [
        { organizationalUnitIds: [OU], regions: ['us-east-1'], accounts: ACCOUNTS },
        { organizationalUnitIds: ['ou-ab12-zyxwvu98'], regions: ['us-east-1'] },
      ],
    });
    const budget = org.addTeamBudget(search, { monthlyLimitUsd: 100, emails: ['finops@example.com'], memberStackSet: stackSet });
    expect(budget.linkedAccounts).toEqual([]);
    expect(Template.fromStack(stack).findResources('AWS::Budgets::Budget')).toEqual({
      [stack.getLogicalId(budget.resource)]: expect.objectContaining({
        Properties: expect.objectContaining({
          Budget: expect.objectContaining({ FilterExpression: { Tags: { Key: 'team', Values: ['search'], MatchOptions: ['EQUALS'] } } }),
        }),
      }),
    });
    const other = new OrganizationManagement(stack, 'Org2', { guardTargetIds: [OU], activateCostAllocationTags: false });
    const explicit = other.addTeamBudget(search, { monthlyLimitUsd: 100, emails: ['finops@example.com'], memberStackSet: stackSet, linkedAccounts: ['123456789012'] });
    expect(explicit.linkedAccounts).toEqual(['123456789012']);
  });

  test('a StackSet that does not deploy the team is refused with the paths', () => {
    const { app, stack, search, org } = setup();
    const otherStage = new MemberAccountStage(app, 'Research');
    const stackSet = new MemberStackSet(stack, 'Research', {
      memberStack: otherStage.stack, deployments: [{ organizationalUnitIds: [OU], regions: ['us-east-1'], accounts: ACCOUNTS }],
    });
    expect(() => org.addTeamBudget(search, { monthlyLimitUsd: 1, emails: ['a@example.com'], memberStackSet: stackSet })).toThrow(
      "Management/Org: invalid memberStackSet 'Management/Research': the StackSet deploys Research/Member, and team 'search' is in Members/Member. Pass the StackSet whose member stack holds the team");
  });

  test('a CUSTOM anomaly monitor per team tag with its subscription, one per team name', () => {
    const { stack, search, org } = setup();
    const detection = org.addTeamAnomalyMonitor(search, { emails: ['finops@example.com'], thresholdUsd: 75 });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CE::AnomalyMonitor', {
      MonitorType: 'CUSTOM',
      MonitorSpecification: '{"Tags":{"Key":"team","Values":["search"]}}',
    });
    template.hasResourceProperties('AWS::CE::AnomalySubscription', {
      Frequency: 'DAILY',
      Subscribers: [{ Type: 'EMAIL', Address: 'finops@example.com' }],
      ThresholdExpression: Match.stringLikeRegexp('"75"'),
    });
    expect(detection.node.path).toBe('Management/Org/Anomalies-search');
    expect(() => org.addTeamAnomalyMonitor(search, { emails: ['a@example.com'] })).toThrow(
      "Management/Org: invalid team 'search': an anomaly monitor for a team of that name was already added (Management/Org/Anomalies-search). Add one monitor per team name: it covers the team in every account");
  });
});

/**
 * BudgetEnforcement: the template, and what the "team stopped" policy does once AWS Budgets has
 * attached it, decided by the IAM simulator (Strict mode) on the resolved policies.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { only, twoTeams } from './budgets-fixtures';
import { BedrockModel, Team } from '../../src';
import { BudgetActionApproval, BudgetEnforcement, BudgetThresholdType, GovernanceAlertTopic, TeamBudget } from '../../src/budgets';
import { ENV, cleanupOutdirs, defaultAttributes, resolveIntrinsics, testApp } from '../helpers/cfn';
import { Decision, RolePolicies, policiesOfRole, simulate } from '../helpers/iam';

afterAll(cleanupOutdirs);

const HAIKU = BedrockModel.CLAUDE_HAIKU_4_5.modelId;
const LITE = BedrockModel.NOVA_LITE.modelId;
const fm = (region: string, id: string) => `arn:aws:bedrock:${region}::foundation-model/${id}`;

describe('BudgetEnforcement template', () => {
  test('an APPLY_IAM_POLICY action at 100% ACTUAL that attaches the stop policy to the roles by name, subscribers with Type', () => {
    const { stack, alpha } = twoTeams();
    const alerts = new GovernanceAlertTopic(stack, 'Alerts');
    const budget = new TeamBudget(stack, 'Budget', { team: alpha, monthlyLimitUsd: 5000, topic: alerts.topic, emails: ['finops@example.com'] });
    const role = new iam.Role(stack, 'Api', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const enforcement = new BudgetEnforcement(stack, 'Stop', { budget, roles: [role] });
    const template = Template.fromStack(stack);
    const id = (c: any) => stack.getLogicalId(c);
    const action = only(template, 'AWS::Budgets::BudgetsAction').resource;
    expect(action.Properties).toEqual({
      BudgetName: { Ref: id(budget.resource) },
      ActionType: 'APPLY_IAM_POLICY',
      NotificationType: 'ACTUAL',
      ActionThreshold: { Type: 'PERCENTAGE', Value: 100 },
      ApprovalModel: 'AUTOMATIC',
      ExecutionRoleArn: { 'Fn::GetAtt': [id(enforcement.executionRole.node.defaultChild as iam.CfnRole), 'Arn'] },
      Definition: {
        IamActionDefinition: {
          PolicyArn: { Ref: id(enforcement.stopPolicy.node.defaultChild as iam.CfnManagedPolicy) },
          Roles: [{ Ref: id(role.node.defaultChild as iam.CfnRole) }],
        },
      },
      Subscribers: [
        { Type: 'SNS', Address: { Ref: id(alerts.topic.node.defaultChild as sns.CfnTopic) } },
        { Type: 'EMAIL', Address: 'finops@example.com' },
      ],
    });
    expect(JSON.stringify(action)).not.toContain('SubscriptionType');
    expect(stack.resolve(enforcement.actionId)).toEqual({ 'Fn::GetAtt': [id(enforcement.resource), 'ActionId'] });
  });

  test('the stop policy denies invoking through the team profiles, and the models reached through them', () => {
    const { stack, alpha } = twoTeams();
    const budget = new TeamBudget(stack, 'Budget', { team: alpha, monthlyLimitUsd: 100, emails: ['a@example.com'] });
    const role = new iam.Role(stack, 'Api', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const enforcement = new BudgetEnforcement(stack, 'Stop', { budget, roles: [role] });
    const profileArns = alpha.profiles.map((p) => ({ 'Fn::GetAtt': [stack.getLogicalId(p.resource), 'InferenceProfileArn'] }));
    const invoke = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];
    const policy = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(enforcement.stopPolicy.node.defaultChild as iam.CfnManagedPolicy)];
    expect(policy.Properties).toEqual({
      Description: 'Team alpha stopped: denies invoking Bedrock through its application inference profiles (attached by an AWS Budgets action)',
      Path: '/',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'DenyTheTeamProfiles', Effect: 'Deny', Action: invoke, Resource: profileArns },
          {
            Sid: 'DenyModelsThroughTheTeamProfiles',
            Effect: 'Deny',
            Action: invoke,
            Resource: [
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:*::foundation-model/*']] },
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:*:*:inference-profile/*']] },
            ],
            Condition: { ArnEquals: { 'bedrock:InferenceProfileArn': profileArns } },
          },
        ],
      },
    });
    // detached: nothing references it but the action
    expect(policy.Properties.Roles).toBeUndefined();
  });

  test('the execution role is trusted by budgets.amazonaws.com and may attach and detach only that policy on only those principals', () => {
    const { stack, alpha } = twoTeams();
    const budget = new TeamBudget(stack, 'Budget', { team: alpha, monthlyLimitUsd: 100, emails: ['a@example.com'] });
    const role = new iam.Role(stack, 'Api', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const group = new iam.Group(stack, 'Analysts');
    const user = iam.User.fromUserName(stack, 'Legacy', 'legacy-batch');
    const enforcement = new BudgetEnforcement(stack, 'Stop', {
      budget, roles: [role], groups: [group], users: [user], approval: BudgetActionApproval.MANUAL, threshold: 90,
    });
    const template = Template.fromStack(stack).toJSON();
    const execution = template.Resources[stack.getLogicalId(enforcement.executionRole.node.defaultChild as iam.CfnRole)];
    const policyArn = { Ref: stack.getLogicalId(enforcement.stopPolicy.node.defaultChild as iam.CfnManagedPolicy) };
    const condition = { ArnEquals: { 'iam:PolicyARN': policyArn } };
    expect(execution.Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { Service: 'budgets.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': '111122223333' },
          ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':budgets::111122223333:*']] } },
        },
      }],
    });
    expect(execution.Properties.ManagedPolicyArns).toBeUndefined();
    expect(execution.Properties.Policies).toEqual([{
      PolicyName: 'AttachTheStopPolicyOnly',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'AttachTheStopPolicyToTheRoles', Effect: 'Allow', Action: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'], Resource: { 'Fn::GetAtt': [stack.getLogicalId(role.node.defaultChild as iam.CfnRole), 'Arn'] }, Condition: condition },
          { Sid: 'AttachTheStopPolicyToTheGroups', Effect: 'Allow', Action: ['iam:AttachGroupPolicy', 'iam:DetachGroupPolicy'], Resource: { 'Fn::GetAtt': [stack.getLogicalId(group.node.defaultChild as iam.CfnGroup), 'Arn'] }, Condition: condition },
          {
            Sid: 'AttachTheStopPolicyToTheUsers',
            Effect: 'Allow',
            Action: ['iam:AttachUserPolicy', 'iam:DetachUserPolicy'],
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:user/legacy-batch']] },
            Condition: condition,
          },
        ],
      },
    }]);
    const action = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::Budgets::BudgetsAction');
    expect(action.Properties.ApprovalModel).toBe('MANUAL');
    expect(action.Properties.ActionThreshold).toEqual({ Type: 'PERCENTAGE', Value: 90 });
    expect(action.Properties.Definition.IamActionDefinition).toEqual({
      PolicyArn: policyArn,
      Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }],
      Groups: [{ Ref: stack.getLogicalId(group.node.defaultChild as iam.CfnGroup) }],
      Users: ['legacy-batch'],
    });
  });

  test('subscribers: the budget\'s by default, or the ones given', () => {
    const { stack, alpha } = twoTeams();
    const budget = new TeamBudget(stack, 'Budget', { team: alpha, monthlyLimitUsd: 100, emails: ['a@example.com', 'b@example.com'] });
    const role = iam.Role.fromRoleName(stack, 'Imported', 'search-api');
    new BudgetEnforcement(stack, 'Default', { budget, roles: [role] });
    new BudgetEnforcement(stack, 'Own', { budget, roles: [role], emails: ['oncall@example.com'], threshold: 4000, thresholdType: BudgetThresholdType.ABSOLUTE_VALUE });
    const actions = Object.values<any>(Template.fromStack(stack).findResources('AWS::Budgets::BudgetsAction'));
    expect(actions.map((a) => a.Properties.Subscribers)).toEqual([
      [{ Type: 'EMAIL', Address: 'a@example.com' }, { Type: 'EMAIL', Address: 'b@example.com' }],
      [{ Type: 'EMAIL', Address: 'oncall@example.com' }],
    ]);
    expect(actions.map((a) => a.Properties.Definition.IamActionDefinition.Roles)).toEqual([['search-api'], ['search-api']]);
    expect(actions[1].Properties.ActionThreshold).toEqual({ Type: 'ABSOLUTE_VALUE', Value: 4000 });
  });
});

describe('BudgetEnforcement validation', () => {
  const setup = () => {
    const stack = new Stack(testApp(), 'S', { env: ENV });
    const team = new Team(stack, 'T', { teamName: 'search', costCenter: 'CC', environment: 'prod', models: [BedrockModel.NOVA_MICRO] });
    const budget = new TeamBudget(stack, 'Budget', { team, monthlyLimitUsd: 100, emails: ['a@example.com'] });
    const role = new iam.Role(stack, 'Api', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    return { stack, budget, role };
  };

  test('a role given by ARN where a name is needed is rejected with the conversion to use', () => {
    const { stack, budget } = setup();
    const byArn = iam.Role.fromRoleName(stack, 'ByArn', 'arn:aws:iam::111122223333:role/service/search-api');
    expect(() => new BudgetEnforcement(stack, 'Stop', { budget, roles: [byArn] }))
      .toThrow("S/Stop: invalid roles[0].roleName 'arn:aws:iam::111122223333:role/service/search-api': AWS Budgets actions attach the policy to roles by name, and this is an ARN. "
        + "Import the role with iam.Role.fromRoleArn(this, 'Id', 'arn:aws:iam::111122223333:role/service/search-api') (its roleName is then 'search-api')");
    // the suggested import works
    const fixed = iam.Role.fromRoleArn(stack, 'Fixed', 'arn:aws:iam::111122223333:role/service/search-api');
    new BudgetEnforcement(stack, 'Ok', { budget, roles: [fixed] });
    const action = Object.values<any>(Template.fromStack(stack).findResources('AWS::Budgets::BudgetsAction'))[0];
    expect(action.Properties.Definition.IamActionDefinition.Roles).toEqual(['search-api']);
  });

  test('no principal, the same role twice', () => {
    const { stack, budget, role } = setup();
    expect(() => new BudgetEnforcement(stack, 'None', { budget }))
      .toThrow("S/None: no principal to stop: pass the roles (or groups or users) that invoke team 'search' models, e.g. roles: [apiRole]");
    expect(() => new BudgetEnforcement(stack, 'Twice', { budget, roles: [role, role] }))
      .toThrow("S/Twice: invalid roles[1] '(the role of roles[0])': the role is already roles[0]. List each role once");
  });

  test.each([0, -10, 1001])('threshold %p', (threshold) => {
    const { stack, budget, role } = setup();
    expect(() => new BudgetEnforcement(stack, 'Stop', { budget, roles: [role], threshold }))
      .toThrow(`S/Stop: invalid threshold ${threshold}: percentage thresholds must be greater than 0 and at most 1000. Pass e.g. 80 for 80% of the budget`);
  });

  test('subscribers: more than 10 emails, or none', () => {
    const { stack, budget, role } = setup();
    const emails = Array.from({ length: 11 }, (_, i) => `u${i}@example.com`);
    expect(() => new BudgetEnforcement(stack, 'Many', { budget, roles: [role], emails }))
      .toThrow(`S/Many: invalid emails ${JSON.stringify(emails)}: 11 email subscribers, but AWS takes at most 10 per notification (plus one SNS topic). Subscribe the extra addresses to an SNS topic and pass the topic instead`);
    expect(() => new BudgetEnforcement(stack, 'Nobody', { budget, roles: [role], emails: [] }))
      .toThrow('S/Nobody: a budget action needs at least one subscriber. Pass topic or emails');
  });
});

describe('the stop policy, evaluated by the IAM simulator before and after AWS Budgets attaches it', () => {
  let roleA: RolePolicies;
  let roleB: RolePolicies;
  let stop: { name: string; policy: any };
  let execution: RolePolicies;
  let profileA: string;
  let profileA2: string;
  let profileB: string;
  let stopPolicyArn: string;
  let roleAArn: string;
  let roleBArn: string;

  beforeAll(() => {
    const { stack, alpha, bravo } = twoTeams();
    const mk = (id: string) => new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const a = mk('RoleA');
    const b = mk('RoleB');
    alpha.grantInvoke(a);
    bravo.grantInvoke(b);
    const budget = new TeamBudget(stack, 'Budget', { team: alpha, monthlyLimitUsd: 100, emails: ['a@example.com'] });
    const enforcement = new BudgetEnforcement(stack, 'Stop', { budget, roles: [a] });
    const template = Template.fromStack(stack).toJSON();
    const attrs = defaultAttributes();
    const logical = (c: any) => stack.getLogicalId(c);
    const profileArn = (c: any) => attrs(logical(c), { Type: 'AWS::Bedrock::ApplicationInferenceProfile' }, 'InferenceProfileArn');
    profileA = profileArn(alpha.profiles[0].resource);
    profileA2 = profileArn(alpha.profiles[1].resource);
    profileB = profileArn(bravo.profiles[0].resource);
    roleA = policiesOfRole(template, logical(a.node.defaultChild));
    roleB = policiesOfRole(template, logical(b.node.defaultChild));
    const stopId = logical(enforcement.stopPolicy.node.defaultChild);
    stop = { name: 'TeamStopped', policy: resolveIntrinsics(template.Resources[stopId].Properties.PolicyDocument, template) };
    stopPolicyArn = attrs(stopId, template.Resources[stopId], 'PolicyArn');
    execution = policiesOfRole(template, logical(enforcement.executionRole.node.defaultChild));
    roleAArn = `arn:aws:iam::111122223333:role/${logical(a.node.defaultChild)}`;
    roleBArn = `arn:aws:iam::111122223333:role/${logical(b.node.defaultChild)}`;
  });

  /** The role's policies with the stop policy attached, as AWS Budgets' AttachRolePolicy would leave them. */
  const attached = (role: RolePolicies): RolePolicies => ({ ...role, identityPolicies: [...role.identityPolicies, stop] });

  type Row = [string, () => RolePolicies, string, () => string, () => string | undefined, Decision];
  const ROWS: Row[] = [
    ['before: A invokes its Haiku profile', () => roleA, 'bedrock:InvokeModel', () => profileA, () => undefined, 'Allowed'],
    ['after: A invokes its Haiku profile', () => attached(roleA), 'bedrock:InvokeModel', () => profileA, () => undefined, 'ExplicitlyDenied'],
    ['before: A streams through its Sonnet profile', () => roleA, 'bedrock:InvokeModelWithResponseStream', () => profileA2, () => undefined, 'Allowed'],
    ['after: A streams through its Sonnet profile', () => attached(roleA), 'bedrock:InvokeModelWithResponseStream', () => profileA2, () => undefined, 'ExplicitlyDenied'],
    ['before: A reaches Haiku in us-west-2 through its profile', () => roleA, 'bedrock:InvokeModel', () => fm('us-west-2', HAIKU), () => profileA, 'Allowed'],
    ['after: A reaches Haiku in us-west-2 through its profile', () => attached(roleA), 'bedrock:InvokeModel', () => fm('us-west-2', HAIKU), () => profileA, 'ExplicitlyDenied'],
    ['after: A may still read its profile', () => attached(roleA), 'bedrock:GetInferenceProfile', () => profileA, () => undefined, 'Allowed'],
    ['before: B invokes its profile', () => roleB, 'bedrock:InvokeModel', () => profileB, () => undefined, 'Allowed'],
    ['after (A stopped): B invokes its profile', () => roleB, 'bedrock:InvokeModel', () => profileB, () => undefined, 'Allowed'],
    ['after (A stopped): B reaches Nova Lite through its profile', () => roleB, 'bedrock:InvokeModel', () => fm('us-east-1', LITE), () => profileB, 'Allowed'],
    ['A\'s stop policy on B\'s role leaves B\'s profile alone', () => attached(roleB), 'bedrock:InvokeModel', () => profileB, () => undefined, 'Allowed'],
    ['A\'s stop policy on B\'s role leaves B\'s model path alone', () => attached(roleB), 'bedrock:InvokeModelWithResponseStream', () => fm('us-east-1', LITE), () => profileB, 'Allowed'],
  ];

  test.each(ROWS)('%s', async (_name, role, action, resource, profileArn, expected) => {
    const arn = profileArn();
    const result = await simulate(role(), { action, resource: resource(), context: arn === undefined ? {} : { 'bedrock:InferenceProfileArn': arn } });
    expect(result.ignoredContextKeys).toEqual([]);
    expect(result.decision).toBe(expected);
  });

  type ExecRow = [string, string, () => string, () => string, Decision];
  const EXEC_ROWS: ExecRow[] = [
    ['attach the stop policy to A\'s role', 'iam:AttachRolePolicy', () => roleAArn, () => stopPolicyArn, 'Allowed'],
    ['detach the stop policy from A\'s role', 'iam:DetachRolePolicy', () => roleAArn, () => stopPolicyArn, 'Allowed'],
    ['attach AdministratorAccess to A\'s role', 'iam:AttachRolePolicy', () => roleAArn, () => 'arn:aws:iam::aws:policy/AdministratorAccess', 'ImplicitlyDenied'],
    ['attach the stop policy to B\'s role', 'iam:AttachRolePolicy', () => roleBArn, () => stopPolicyArn, 'ImplicitlyDenied'],
    ['attach the stop policy to a user', 'iam:AttachUserPolicy', () => 'arn:aws:iam::111122223333:user/someone', () => stopPolicyArn, 'ImplicitlyDenied'],
  ];

  test.each(EXEC_ROWS)('execution role: %s', async (_name, action, resource, policyArn, expected) => {
    const result = await simulate(execution, { action, resource: resource(), context: { 'iam:PolicyARN': policyArn() } });
    expect(result.ignoredContextKeys).toEqual([]);
    expect(result.decision).toBe(expected);
  });
});

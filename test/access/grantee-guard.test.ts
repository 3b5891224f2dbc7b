import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AttributionTamperAlerts, BedrockGovernance, BedrockModel, CrossRegionGeo, InferenceRouting, TeamInferenceProfile } from '../../src';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const TEAM_TAGS = [
  { Key: 'cost-center', Value: 'CC-1' },
  { Key: 'environment', Value: 'prod' },
  { Key: 'team', Value: 'search' },
];

function govApp(props: ConstructorParameters<typeof BedrockGovernance>[2] = {}) {
  const app = testApp();
  const stack = new Stack(app, 'S', { env: ENV });
  const gov = new BedrockGovernance(stack, 'Gov', { invocationLogging: { enabled: false }, dashboard: false, activateCostAllocationTags: false, ...props });
  const team = gov.addTeam('search', { costCenter: 'CC-1', environment: 'prod', models: [BedrockModel.NOVA_LITE] });
  return { app, stack, gov, team };
}

const guardPolicy = (t: Template) => Object.values<any>(t.findResources('AWS::IAM::ManagedPolicy', {
  Properties: { Description: Match.stringLikeRegexp('^Deny Bedrock') },
}))[0];

describe('every grantee is guarded and carries its team\'s cost tags', () => {
  test('team.grantInvoke and profile.grantInvoke: the guard is attached and the role gets the team\'s cost tags', () => {
    const { stack, gov, team } = govApp();
    const a = new iam.Role(stack, 'A', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const b = new iam.Role(stack, 'B', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    team.grantInvoke(a);
    team.profile(BedrockModel.NOVA_LITE).grantInvoke(b);
    const t = Template.fromStack(stack);
    const ref = (r: iam.Role) => ({ Ref: stack.getLogicalId(r.node.defaultChild as iam.CfnRole) });
    expect(guardPolicy(t).Properties.Roles).toEqual([ref(a), ref(b)]);
    for (const role of [a, b]) {
      expect(t.toJSON().Resources[stack.getLogicalId(role.node.defaultChild as iam.CfnRole)].Properties.Tags).toEqual(TEAM_TAGS);
    }
    expect(gov.guard.isAttachedTo(a)).toBe(true);
    expect(gov.guard.isAttachedTo(b)).toBe(true);
  });

  test('an IAM user gets the guard and the tags; a group gets the guard and a warning about tags', () => {
    const { stack, team } = govApp();
    const user = new iam.User(stack, 'U');
    const group = new iam.Group(stack, 'G');
    team.grantInvoke(user);
    team.grantInvoke(group);
    const t = Template.fromStack(stack);
    expect(guardPolicy(t).Properties.Users).toEqual([{ Ref: stack.getLogicalId(user.node.defaultChild as iam.CfnUser) }]);
    expect(guardPolicy(t).Properties.Groups).toEqual([{ Ref: stack.getLogicalId(group.node.defaultChild as iam.CfnGroup) }]);
    t.hasResourceProperties('AWS::IAM::User', { Tags: TEAM_TAGS });
    Annotations.fromStack(stack).hasWarning('/S/Gov/search', 'The grantee S/G (group) cannot be given team \'search\'\'s cost tags from here: tag each user of the group with team=search (and the other cost tags) so that principal cost attribution and requireTeamMatch work [ack: cdk-bedrock-governance:granteeNotTagged]');
  });

  test('an imported mutable role is guarded (by name) and warned about tags; an immutable one and a service principal are warned about', () => {
    const { stack, team } = govApp();
    team.grantInvoke(iam.Role.fromRoleArn(stack, 'Mutable', 'arn:aws:iam::111122223333:role/app'));
    team.grantInvoke(iam.Role.fromRoleArn(stack, 'Immutable', 'arn:aws:iam::111122223333:role/fixed', { mutable: false }));
    team.grantInvoke(new iam.ServicePrincipal('lambda.amazonaws.com'));
    const t = Template.fromStack(stack);
    expect(guardPolicy(t).Properties.Roles).toEqual(['app']);
    const warnings = Annotations.fromStack(stack).findWarning('/S/Gov/search', Match.anyValue()).map((w) => w.entry.data);
    expect(warnings).toEqual([
      'The grantee S/Mutable (imported role) cannot be given team \'search\'\'s cost tags from here: tag it with team=search (and the other cost tags) so that principal cost attribution and requireTeamMatch work [ack: cdk-bedrock-governance:granteeNotTagged]',
      'The grantee S/Immutable is an immutable imported role, so the direct-invocation guard cannot be attached to it: attach S/Gov/Guard\'s policy yourself, use the guard as its permissions boundary, or apply the guard as a service control policy [ack: cdk-bedrock-governance:granteeNotGuarded]',
      'The grantee ServicePrincipal(lambda.amazonaws.com) is not an IAM role, user or group, so the direct-invocation guard cannot be attached to it: grant a role instead, or apply the guard as a service control policy [ack: cdk-bedrock-governance:granteeNotGuarded]',
    ]);
  });

  test('a role granted by two teams keeps the first team\'s tags, with a warning', () => {
    const { stack, gov, team } = govApp();
    const other = gov.addTeam('ads', { costCenter: 'CC-2', environment: 'prod', models: [BedrockModel.NOVA_MICRO] });
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    team.grantInvoke(role);
    other.grantInvoke(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { Tags: TEAM_TAGS });
    Annotations.fromStack(stack).hasWarning('/S/Gov/ads', 'The grantee S/R is granted by teams \'search\' and \'ads\'; it keeps the principal tags of \'search\', so its spend is attributed to \'search\' and, with requireTeamMatch, it can use only that team\'s profiles. Give each team its own role [ack: cdk-bedrock-governance:granteeOfTwoTeams]');
  });

  test('team.invokePolicy carries the guard\'s deny statements and the governance path; attachGuardToGrantees: false leaves grantees and the policy unguarded but tagged', () => {
    const guarded = govApp();
    const t = Template.fromStack(guarded.stack);
    const invoke = (tpl: Template) => Object.values<any>(tpl.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('^Invoke') } }))[0];
    const denies = invoke(t).Properties.PolicyDocument.Statement.filter((s: any) => s.Effect === 'Deny');
    // the same statements without Sids and without the deployer's exemption (the deployer holds no invokePolicy),
    // each folded into the first earlier one that differs from it only in its actions (the unconditional
    // `Resource: "*"` ones: profile deletion, the opt-in actions, boundary removal)
    const withoutDeployer = (st: any) => {
      const { Sid, Condition, ...rest } = st;
      const { ArnNotLike, ...others } = Condition ?? {};
      const { 'aws:PrincipalArn': deployer, ...otherArns } = ArnNotLike ?? {};
      const kept = Object.keys(otherArns).length > 0 ? { ...others, ArnNotLike: otherArns } : others;
      return Object.keys(kept).length > 0 ? { ...rest, Condition: kept } : rest;
    };
    const folded: any[] = [];
    for (const st of guardPolicy(t).Properties.PolicyDocument.Statement.map(withoutDeployer)) {
      const { Action, ...shape } = st;
      const earlier = folded.find(({ Action: _, ...other }) => JSON.stringify(other) === JSON.stringify(shape));
      if (earlier) {
        earlier.Action = [earlier.Action, Action].flat();
      } else {
        folded.push({ ...st });
      }
    }
    expect(folded.filter((st) => [st.Action].flat().includes('bedrock:DeleteInferenceProfile'))[0].Action)
      .toEqual(expect.arrayContaining(['bedrock:DeleteInferenceProfile', 'bedrock-mantle:*', 'iam:DeleteRolePermissionsBoundary']));
    expect(denies).toEqual(folded);
    expect(invoke(t).Properties.Path).toBe('/bedrock-governance/');

    const open = govApp({ attachGuardToGrantees: false });
    const role = new iam.Role(open.stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    open.team.grantInvoke(role);
    const o = Template.fromStack(open.stack);
    expect(guardPolicy(o).Properties.Roles).toBeUndefined();
    expect(invoke(o).Properties.PolicyDocument.Statement.filter((s: any) => s.Effect === 'Deny')).toEqual([]);
    o.hasResourceProperties('AWS::IAM::Role', { Tags: TEAM_TAGS });
  });
});

test('a team too large for the guard\'s statements in its invokePolicy (6,144 characters) gets a warning instead', () => {
  const { stack, gov } = govApp();
  const big = gov.addTeam('big', {
    costCenter: 'CC-3',
    environment: 'prod',
    models: [
      BedrockModel.CLAUDE_HAIKU_4_5, BedrockModel.CLAUDE_SONNET_4_5, BedrockModel.CLAUDE_OPUS_4_5,
      BedrockModel.NOVA_LITE, BedrockModel.NOVA_MICRO, BedrockModel.NOVA_PRO,
    ],
    routing: InferenceRouting.crossRegion(CrossRegionGeo.US),
  });
  const statements = stack.resolve((big.invokePolicy.node.defaultChild as iam.CfnManagedPolicy).policyDocument).Statement;
  expect(statements.filter((s: any) => s.Effect === 'Deny')).toEqual([]);
  Annotations.fromStack(stack).hasWarning('/S/Gov/big', 'The invokePolicy of team \'big\' has no room for the guard\'s deny statements (IAM managed policies hold at most 6,144 characters), so a principal that holds it is not guarded by it: '
    + 'attach the guard\'s policy (gov.guard.policy) to such principals as well, or give them the guard as permissions boundary or service control policy [ack: cdk-bedrock-governance:invokePolicyNotGuarded]');
});

describe('imports and environments', () => {
  test('an imported profile ARN with * or ? is rejected, naming the prop', () => {
    const stack = new Stack(testApp(), 'S', { env: ENV });
    for (const [id, arn] of [['Star', 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/*'], ['Mark', 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc?']]) {
      expect(() => TeamInferenceProfile.fromInferenceProfileAttributes(stack, id, { inferenceProfileArn: arn, model: BedrockModel.NOVA_LITE }))
        .toThrow(`S/${id}: invalid inferenceProfileArn '${arn}': the grants compare it with ArnEquals, which honours * and ? as wildcards, so the grant would match other profiles too. Pass the exact ARN of one application inference profile`);
    }
  });

  test('the SCP form synthesizes from a management-account stack while teams with batch grants live in a member account', () => {
    const app = testApp();
    const member = new Stack(app, 'Member', { env: ENV });
    const management = new Stack(app, 'Management', { env: { account: '999999999999', region: 'us-east-1' } });
    const gov = new BedrockGovernance(member, 'Gov', { invocationLogging: { enabled: false }, dashboard: false, activateCostAllocationTags: false });
    const team = gov.addTeam('search', { costCenter: 'CC-1', environment: 'prod', models: [BedrockModel.NOVA_LITE] });
    const submitter = new iam.Role(member, 'Submitter', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    team.grantBatchInference(submitter, {
      inputBucket: s3.Bucket.fromBucketName(member, 'In', 'in-bucket'),
      outputBucket: s3.Bucket.fromBucketName(member, 'Out', 'out-bucket'),
    });
    gov.guard.toServiceControlPolicy(management, 'Scp', { targetIds: ['111122223333'] });
    expect(() => app.synth()).not.toThrow();
    Template.fromStack(management).hasResourceProperties('AWS::Organizations::Policy', {
      Content: { Statement: Match.arrayWith([{ Effect: 'Deny', Action: 'bedrock:CreateModelInvocationJob', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalTag/bedrock-governance:batch-inference': 'true' } } }]) },
    });
  });

  test('the SCP with defaults is 2,918 characters', () => {
    const stack = new Stack(testApp(), 'S', { env: ENV });
    const gov = new BedrockGovernance(stack, 'Gov', { invocationLogging: { enabled: false }, dashboard: false, activateCostAllocationTags: false });
    const scp = gov.guard.toServiceControlPolicy(stack, 'Scp', { targetIds: ['r-ab12'] });
    expect(JSON.stringify(stack.resolve(scp.content)).length).toBe(2918);
  });
});

describe('AttributionTamperAlerts', () => {
  const MESSAGE = {
    InputPathsMap: {
      'detail-eventName': '$.detail.eventName',
      'detail-userIdentity-arn': '$.detail.userIdentity.arn',
      'account': '$.account',
      'region': '$.region',
      'time': '$.time',
      'detail-requestParameters': '$.detail.requestParameters',
      'detail-errorCode': '$.detail.errorCode',
    },
  };

  test('rules on the Bedrock and IAM events that change attribution, to the topic, with principal and request in the message', () => {
    const stack = new Stack(testApp(), 'S', { env: ENV });
    const topic = new sns.Topic(stack, 'T');
    new AttributionTamperAlerts(stack, 'Alerts', { topic });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.bedrock'],
        'detail-type': ['AWS API Call via CloudTrail'],
        'detail': {
          eventSource: ['bedrock.amazonaws.com'],
          eventName: ['CreateInferenceProfile', 'TagResource', 'UntagResource', 'DeleteInferenceProfile', 'PutModelInvocationLoggingConfiguration', 'DeleteModelInvocationLoggingConfiguration'],
        },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^T') }, InputTransformer: Match.objectLike(MESSAGE) })],
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.iam'],
        'detail-type': ['AWS API Call via CloudTrail'],
        'detail': {
          $or: [
            {
              eventName: ['DetachRolePolicy', 'DetachUserPolicy', 'DetachGroupPolicy', 'DeletePolicy', 'CreatePolicyVersion', 'SetDefaultPolicyVersion', 'DeletePolicyVersion'],
              requestParameters: { policyArn: [{ wildcard: '*:policy/bedrock-governance/*' }] },
            },
            { eventName: ['DeleteRolePermissionsBoundary', 'DeleteUserPermissionsBoundary'] },
          ],
        },
      },
    });
    const rule = Object.values<any>(t.findResources('AWS::Events::Rule'))[0];
    expect(rule.Properties.Targets[0].InputTransformer.InputTemplate).toBe(
      '{"alert":"Bedrock cost attribution changed","event":<detail-eventName>,"principal":<detail-userIdentity-arn>,"account":<account>,"region":<region>,"time":<time>,"request":<detail-requestParameters>,"errorCode":<detail-errorCode>}');
    t.resourceCountIs('AWS::Events::Rule', 2);
  });

  test('watchIam: false leaves out the IAM rule', () => {
    const stack = new Stack(testApp(), 'S', { env: ENV });
    new AttributionTamperAlerts(stack, 'Alerts', { topic: new sns.Topic(stack, 'T'), watchIam: false });
    Template.fromStack(stack).resourceCountIs('AWS::Events::Rule', 1);
  });

  test('the facade watches attribution once it has an alert topic (its key lets EventBridge in); tamperAlerts: false turns it off', () => {
    const { app, stack, gov } = govApp({ alertEmails: ['finops@example.com'] });
    expect(gov.tamperAlerts).toBeDefined();
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Events::Rule', 2);
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Sid: 'AllowEventBridgeToUseTheKey',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          Resource: '*',
          Condition: {
            StringEquals: { 'aws:SourceAccount': '111122223333' },
            ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:us-east-1:111122223333:rule/*']] } },
          },
        }]),
      },
    });
    void app;

    // a governed app with alerts: AwsSolutionsChecks and the library's own pack find nothing
    const full = testApp();
    const fullStack = new Stack(full, 'F', { env: ENV });
    const fullGov = new BedrockGovernance(fullStack, 'Gov', { alertEmails: ['finops@example.com'] });
    fullGov.addTeam('search', { costCenter: 'CC-1', environment: 'prod', models: [BedrockModel.NOVA_LITE], monthlyBudgetUsd: 100 });
    expect(fullGov.tamperAlerts).toBeDefined();
    expect(new AwsSolutionsChecks().validateScope(full).violations).toEqual([]);
    expect(fullGov.checks().validateScope(full).violations).toEqual([]);

    expect(govApp().gov.tamperAlerts).toBeUndefined();
    const late = govApp({ tamperAlerts: false, alertEmails: ['finops@example.com'] });
    expect(late.gov.tamperAlerts).toBeUndefined();
    const withBudget = govApp();
    withBudget.gov.addTeam('ads', { costCenter: 'CC-2', environment: 'prod', models: [BedrockModel.NOVA_MICRO], monthlyBudgetUsd: 100 });
    expect(withBudget.gov.tamperAlerts).toBeDefined();
  });
});

import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BedrockGovernance, BedrockModel, CrossRegionGeo, InferenceRouting } from '../../src';
import { ACCOUNT, ENV, cleanupOutdirs, defaultAttributes, testApp } from '../helpers/cfn';
import { policiesOfRole, simulate } from '../helpers/iam';

afterAll(cleanupOutdirs);

const HAIKU = BedrockModel.CLAUDE_HAIKU_4_5.modelId;
const JOB = `arn:aws:bedrock:us-east-1:${ACCOUNT}:model-invocation-job/abc123`;

function batchApp() {
  const app = testApp();
  const stack = new Stack(app, 'S', { env: ENV });
  const gov = new BedrockGovernance(stack, 'Gov');
  const team = gov.addTeam('alpha', {
    costCenter: 'CC-1', environment: 'prod', models: [BedrockModel.CLAUDE_HAIKU_4_5], routing: InferenceRouting.crossRegion(CrossRegionGeo.US),
  });
  const input = new s3.Bucket(stack, 'Input', { enforceSSL: true, serverAccessLogsPrefix: 'logs/' });
  const output = new s3.Bucket(stack, 'Output', { enforceSSL: true, serverAccessLogsPrefix: 'logs/' });
  const submitter = new iam.Role(stack, 'Submitter', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  team.grantInvoke(submitter);
  const serviceRole = team.grantBatchInference(submitter, { inputBucket: input, outputBucket: output });
  const other = new iam.Role(stack, 'Other', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  team.grantInvoke(other);
  return { app, stack, gov, team, submitter, serviceRole, other, input, output };
}

describe('batch inference grants', () => {
  test('the service role: trusted by Bedrock for this account\'s jobs, S3 scoped to the two buckets, invoke only through the team profile', () => {
    const { stack, team, serviceRole, input, output } = batchApp();
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'bedrock.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': '111122223333' },
            ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:us-east-1:111122223333:model-invocation-job/*']] } },
          },
        }],
      },
    });
    const policy = stack.resolve((serviceRole.role.node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy).policyDocument);
    const id = (b: s3.Bucket) => stack.getLogicalId(b.node.defaultChild as s3.CfnBucket);
    expect(policy.Statement.slice(0, 3)).toEqual([
      { Sid: 'ReadBatchInput', Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(input), 'Arn'] }, '/*']] } },
      { Sid: 'WriteBatchOutput', Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(output), 'Arn'] }, '/*']] } },
      { Sid: 'ListBatchBuckets', Effect: 'Allow', Action: 's3:ListBucket', Resource: [{ 'Fn::GetAtt': [id(input), 'Arn'] }, { 'Fn::GetAtt': [id(output), 'Arn'] }] },
    ]);
    expect(JSON.stringify(policy.Statement.slice(3))).not.toContain('InvokeModelWithResponseStream');
    const profileArn = { 'Fn::GetAtt': [stack.getLogicalId(team.profiles[0].resource), 'InferenceProfileArn'] };
    expect(policy.Statement.slice(3)).toEqual([
      { Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:GetInferenceProfile'], Resource: profileArn },
      {
        Effect: 'Allow',
        Action: 'bedrock:InvokeModel',
        Resource: [
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:bedrock:*::foundation-model/${HAIKU}`]] },
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:bedrock:us-east-1:111122223333:inference-profile/us.${HAIKU}`]] },
        ],
        Condition: { ArnEquals: { 'bedrock:InferenceProfileArn': profileArn } },
      },
    ]);
  });

  test('the guard exempts exactly the batch grantee from its batch deny, by a principal tag', () => {
    const { stack, submitter, other } = batchApp();
    const template = Template.fromStack(stack);
    const guard = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('^Deny') } }))[0];
    const batch = guard.Properties.PolicyDocument.Statement.find((s: any) => s.Sid === 'DenyBatchInference');
    expect(batch.Condition).toEqual({ StringNotEquals: { 'aws:PrincipalTag/bedrock-governance:batch-inference': 'true' } });
    const tagsOf = (r: iam.IRole) => template.toJSON().Resources[stack.getLogicalId(r.node.defaultChild as iam.CfnRole)].Properties.Tags ?? [];
    expect(tagsOf(submitter)).toContainEqual({ Key: 'bedrock-governance:batch-inference', Value: 'true' });
    expect(tagsOf(other)).not.toContainEqual({ Key: 'bedrock-governance:batch-inference', Value: 'true' });
  });

  test('evaluated by the IAM simulator: tagged jobs on the team\'s model only, pass only the service role', async () => {
    const { stack, submitter, other, serviceRole } = batchApp();
    const template = Template.fromStack(stack).toJSON();
    const attrs = defaultAttributes();
    const roleId = (r: iam.IRole) => stack.getLogicalId(r.node.defaultChild as iam.CfnRole);
    const arnOf = (r: iam.IRole) => attrs(roleId(r), template.Resources[roleId(r)], 'Arn');
    const sub = policiesOfRole(template, roleId(submitter));
    const oth = policiesOfRole(template, roleId(other));
    const principalTags = (r: iam.IRole) => Object.fromEntries((template.Resources[roleId(r)].Properties.Tags ?? [])
      .map((t: any) => [`aws:PrincipalTag/${t.Key}`, t.Value]));
    const decide = async (p: any, principal: iam.IRole, action: string, resource: string, context: Record<string, string> = {}) => {
      const r = await simulate(p, { action, resource, context: { 'aws:PrincipalArn': arnOf(principal), ...principalTags(principal), ...context } });
      expect(r.ignoredContextKeys).toEqual([]);
      return r.decision;
    };
    const create = 'bedrock:CreateModelInvocationJob';
    expect(await decide(sub, submitter, create, JOB, { 'aws:RequestTag/team': 'alpha' })).toBe('Allowed');
    expect(await decide(sub, submitter, create, JOB, { 'aws:RequestTag/team': 'bravo' })).toBe('ImplicitlyDenied');
    expect(await decide(sub, submitter, create, JOB)).toBe('ImplicitlyDenied');
    expect(await decide(sub, submitter, create, `arn:aws:bedrock:us-west-2::foundation-model/${HAIKU}`)).toBe('Allowed');
    expect(await decide(sub, submitter, create, `arn:aws:bedrock:us-east-1::foundation-model/${BedrockModel.CLAUDE_OPUS_4_5.modelId}`)).toBe('ImplicitlyDenied');
    expect(await decide(sub, submitter, 'bedrock:StopModelInvocationJob', JOB)).toBe('Allowed');
    expect(await decide(sub, submitter, 'iam:PassRole', arnOf(serviceRole.role), { 'iam:PassedToService': 'bedrock.amazonaws.com' })).toBe('Allowed');
    expect(await decide(sub, submitter, 'iam:PassRole', arnOf(serviceRole.role), { 'iam:PassedToService': 'lambda.amazonaws.com' })).toBe('ImplicitlyDenied');
    expect(await decide(sub, submitter, 'iam:PassRole', arnOf(other), { 'iam:PassedToService': 'bedrock.amazonaws.com' })).toBe('ImplicitlyDenied');
    // a team role without the batch grant is denied by the guard, even with the tag
    expect(await decide(oth, other, create, JOB, { 'aws:RequestTag/team': 'alpha' })).toBe('ExplicitlyDenied');
  });

  test('the same buckets reuse one service role; AwsSolutionsChecks pass with the team\'s acknowledgements', () => {
    const { app, stack, team, submitter, serviceRole, input, output } = batchApp();
    const again = team.grantBatchInference(new iam.Role(stack, 'Second', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }), { inputBucket: input, outputBucket: output });
    expect(again).toBe(serviceRole);
    team.acknowledgeGrantWildcards(submitter);
    team.acknowledgeGrantWildcards(stack.node.findChild('Second'));
    team.acknowledgeGrantWildcards(stack.node.findChild('Other'));
    const violations = new AwsSolutionsChecks().validateScope(app).violations;
    expect(violations).toEqual([]);
  });
});

describe('non-interactive teams', () => {
  test('grants and the invoke policy do not stream; profiles and grantee roles are tagged; streaming: true is refused', () => {
    const stack = new Stack(testApp(), 'S', { env: ENV });
    const team = new BedrockGovernance(stack, 'Gov').addTeam('etl', {
      costCenter: 'CC-9', environment: 'prod', models: [BedrockModel.NOVA_MICRO], interactive: false,
    });
    const role = new iam.Role(stack, 'Worker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    team.grantInvoke(role);
    const t = Template.fromStack(stack);
    expect(JSON.stringify(t.findResources('AWS::IAM::Policy'))).not.toContain('InvokeModelWithResponseStream');
    // the invoke policy allows no streaming (it carries the guard's deny statements, which name streaming too)
    const invokePolicy = Object.values<any>(t.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('^Invoke') } }))[0];
    expect(JSON.stringify(invokePolicy.Properties.PolicyDocument.Statement.filter((st: any) => st.Effect === 'Allow'))).not.toContain('InvokeModelWithResponseStream');
    t.hasResourceProperties('AWS::Bedrock::ApplicationInferenceProfile', { Tags: Match.arrayWith([{ Key: 'bedrock-governance:interactive', Value: 'false' }]) });
    t.hasResourceProperties('AWS::IAM::Role', { Tags: Match.arrayWith([{ Key: 'bedrock-governance:interactive', Value: 'false' }]) });
    expect(() => team.grantInvoke(role, { streaming: true }))
      .toThrow("S/Gov/etl: invalid streaming true for team 'etl': the team is non-interactive (interactive: false), so its grants do not stream. Remove streaming: true, or make the team interactive");
  });

  test('a grantee that is not a role in the app gets a warning instead of a tag', () => {
    const stack = new Stack(testApp(), 'S', { env: ENV });
    const team = new BedrockGovernance(stack, 'Gov').addTeam('etl', { costCenter: 'CC-9', environment: 'prod', models: [BedrockModel.NOVA_MICRO], interactive: false });
    team.grantInvoke(new iam.User(stack, 'U'));
    Annotations.fromStack(stack).hasWarning('/S/Gov/etl', Match.stringLikeRegexp("Team 'etl' is non-interactive, but the grantee is not a role"));
  });

  test('caching.expectedHitRatio is validated', () => {
    const stack = new Stack(testApp(), 'S', { env: ENV });
    expect(() => new BedrockGovernance(stack, 'Gov').addTeam('x', { costCenter: 'C', environment: 'e', models: [BedrockModel.NOVA_MICRO], caching: { expectedHitRatio: 0 } }))
      .toThrow('S/Gov/x: invalid caching.expectedHitRatio 0: the expected cache hit ratio is a fraction in (0, 1]. Pass e.g. 0.8 when 80% of input tokens should come from the cache');
  });
});

import { Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BedrockGovernance, BedrockModel, CrossRegionGeo, InferenceRouting, ModelTier, Team } from '../../src';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const BASE = { costCenter: 'CC-1042', environment: 'prod' };

function newStack(): Stack {
  return new Stack(testApp(), 'S', { env: ENV });
}

describe('Team', () => {
  test('one tagged profile per model, named <prefix><team>-<model>', () => {
    const stack = newStack();
    const team = new Team(stack, 'Search', {
      ...BASE,
      teamName: 'search',
      models: [BedrockModel.CLAUDE_HAIKU_4_5, BedrockModel.CLAUDE_SONNET_4_5],
      routing: InferenceRouting.crossRegion(CrossRegionGeo.US),
      profileNamePrefix: 'prod-',
      extraTags: { project: 'alpha' },
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Bedrock::ApplicationInferenceProfile', 2);
    for (const [name, short] of [['prod-search-claude-haiku-4-5', 'claude-haiku-4-5'], ['prod-search-claude-sonnet-4-5', 'claude-sonnet-4-5']]) {
      template.hasResourceProperties('AWS::Bedrock::ApplicationInferenceProfile', {
        InferenceProfileName: name,
        Description: `search ${short} cross-Region us`,
        Tags: [
          { Key: 'cost-center', Value: 'CC-1042' },
          { Key: 'environment', Value: 'prod' },
          { Key: 'project', Value: 'alpha' },
          { Key: 'team', Value: 'search' },
        ],
      });
    }
    expect(team.profiles.map((p) => p.node.id)).toEqual(['claude-haiku-4-5', 'claude-sonnet-4-5']);
    expect(team.profile(BedrockModel.CLAUDE_SONNET_4_5)).toBe(team.profiles[1]);
    // a re-priced model is the same model
    const repriced = BedrockModel.CLAUDE_HAIKU_4_5.withPricing({ inputUsdPerMillionTokens: 0.8, outputUsdPerMillionTokens: 4 });
    expect(team.profile(repriced)).toBe(team.profiles[0]);
  });

  test('invokePolicy holds the profile statement and one conditioned model statement per profile', () => {
    const stack = newStack();
    const team = new Team(stack, 'Support', { ...BASE, teamName: 'support', models: [BedrockModel.NOVA_MICRO, BedrockModel.NOVA_LITE] });
    const micro = stack.getLogicalId(team.profiles[0].resource);
    const lite = stack.getLogicalId(team.profiles[1].resource);
    const arn = (id: string) => ({ 'Fn::GetAtt': [id, 'InferenceProfileArn'] });
    const model = (id: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:bedrock:us-east-1::foundation-model/${id}`]] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: 'Invoke Bedrock models only through the application inference profiles of team support',
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:GetInferenceProfile'], Resource: [arn(micro), arn(lite)] },
          { Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], Resource: model('amazon.nova-micro-v1:0'), Condition: { ArnEquals: { 'bedrock:InferenceProfileArn': arn(micro) } } },
          { Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], Resource: model('amazon.nova-lite-v1:0'), Condition: { ArnEquals: { 'bedrock:InferenceProfileArn': arn(lite) } } },
        ],
      },
    });
  });

  test('grantInvoke covers every profile of the team; streaming off drops the stream action', () => {
    const stack = newStack();
    const team = new Team(stack, 'Support', { ...BASE, teamName: 'support', models: [BedrockModel.NOVA_MICRO, BedrockModel.NOVA_LITE] });
    const role = new iam.Role(stack, 'Worker', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    team.grantInvoke(role, { streaming: false });
    const policy = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0];
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements).toHaveLength(3);
    expect(statements.map((s: any) => s.Action)).toEqual([
      ['bedrock:InvokeModel', 'bedrock:GetInferenceProfile'],
      'bedrock:InvokeModel',
      'bedrock:InvokeModel',
    ]);
    expect(JSON.stringify(statements)).not.toContain('InvokeModelWithResponseStream');
  });

  test('the team passes AwsSolutionsChecks: its own IAM5 wildcard is acknowledged with a reason', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: ENV });
    const team = new Team(stack, 'Research', { ...BASE, teamName: 'research', models: [BedrockModel.CLAUDE_OPUS_4_5], routing: InferenceRouting.global() });
    // the attached invokePolicy carries the wildcard, acknowledged by the team itself
    team.grantInvoke(new iam.Role(stack, 'Holder', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
    // a non-streaming grant of an interactive team is inline: the wildcard is on the role's own policy
    const role = new iam.Role(stack, 'Agent', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    team.grantInvoke(role, { streaming: false });
    const before = new AwsSolutionsChecks().validateScope(app);
    // only the user's role is flagged, for exactly the routing wildcard
    expect(before.violations.map((v) => [v.ruleName, v.violatingResources.map((r) => r.constructPath)])).toEqual([
      ['AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/anthropic.claude-opus-4-5-20251101-v1:0]', ['S/Agent/DefaultPolicy/Resource']],
    ]);
    team.acknowledgeGrantWildcards(role);
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
    const acks = role.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
    expect(JSON.stringify(acks)).toContain('bedrock:InferenceProfileArn is the team');
  });

  test('in-Region teams cause no wildcard finding', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: ENV });
    const team = new Team(stack, 'Support', { ...BASE, teamName: 'support', models: [BedrockModel.NOVA_PRO] });
    team.grantInvoke(new iam.Role(stack, 'Worker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  });
});

describe('Team validation', () => {
  const make = (props: any) => new Team(newStack(), 'T', { ...BASE, models: [BedrockModel.NOVA_MICRO], teamName: 'search', ...props });

  test.each([
    ['search team', "S/T: invalid teamName 'search team': team names may contain only letters and digits, with single '-' or '_' between them. Use e.g. 'search-team'"],
    ['-search', "S/T: invalid teamName '-search': team names may contain only letters and digits, with single '-' or '_' between them. Use e.g. 'search'"],
    ['a.b', "S/T: invalid teamName 'a.b': team names may contain only letters and digits, with single '-' or '_' between them. Use e.g. 'a-b'"],
    ['', "S/T: invalid teamName '': team names may contain only letters and digits, with single '-' or '_' between them. Use e.g. 'my-team'"],
  ])('team name %j', (teamName, message) => {
    expect(() => make({ teamName })).toThrow(message);
  });

  test('team name too long for the profile name after prefixing', () => {
    const teamName = 'a'.repeat(40);
    // 62 characters fit
    expect(() => make({ teamName, profileNamePrefix: 'production-', models: [BedrockModel.NOVA_MICRO] })).not.toThrow();
    expect(() => make({ teamName: 'a'.repeat(50), profileNamePrefix: 'production-' }))
      .toThrow(`S/T: invalid teamName '${'a'.repeat(50)}': the profile name 'production-${'a'.repeat(50)}-nova-micro' would be 72 characters, over the limit of 64. Use a team name of at most 42 characters or a shorter profileNamePrefix`);
  });

  test('bad prefix', () => {
    expect(() => make({ profileNamePrefix: 'prod.' }))
      .toThrow("S/T: invalid profileNamePrefix 'prod.': the profile name 'prod.search-nova-micro' breaks the pattern ^([0-9a-zA-Z][ _-]?)+$ (no '.', ':' or doubled separators). Use letters and digits with single '-' or '_', e.g. 'prod-'");
  });

  test('no models, the same model twice, clashing short names', () => {
    expect(() => make({ models: [] })).toThrow('S/T: invalid models []: a team needs at least one model. Pass e.g. models: [BedrockModel.CLAUDE_HAIKU_4_5]');
    expect(() => make({ models: [BedrockModel.NOVA_MICRO, BedrockModel.NOVA_LITE, BedrockModel.NOVA_MICRO] }))
      .toThrow("S/T: invalid models[2] 'amazon.nova-micro-v1:0': the model is already models[0]. List each model once");
    const twin = BedrockModel.custom({ modelId: 'amazon.nova-micro-v2:0', provider: 'Amazon', tier: ModelTier.LIGHT, shortName: 'nova-micro', pricing: { inputUsdPerMillionTokens: 1, outputUsdPerMillionTokens: 1 }, pricesAsOf: '2026-11-01' });
    expect(() => make({ models: [BedrockModel.NOVA_MICRO, twin] }))
      .toThrow("S/T: invalid models[1].shortName 'nova-micro': 'amazon.nova-micro-v1:0' has the same short name, and short names name the profiles. Give one of the models another shortName");
  });

  test('profile(model) for a model the team lacks', () => {
    const team = make({ models: [BedrockModel.NOVA_MICRO, BedrockModel.NOVA_LITE] });
    expect(() => team.profile(BedrockModel.NOVA_PRO))
      .toThrow("S/T: team 'search' has no profile for model 'amazon.nova-pro-v1:0'; its models are: amazon.nova-micro-v1:0, amazon.nova-lite-v1:0. Add the model to the team's models, or ask for one of those");
  });

  test('a model that does not support the routing names the model index', () => {
    expect(() => make({ models: [BedrockModel.CLAUDE_HAIKU_4_5] }))
      .toThrow("S/T/claude-haiku-4-5: invalid routing 'in-Region': Claude Haiku 4.5 (anthropic.claude-haiku-4-5-20251001-v1:0) cannot be invoked on demand in a single Region");
  });
});

describe('BedrockGovernance', () => {
  test('addTeam: the team id is its name; shared tag keys, prefix and default routing flow down', () => {
    const stack = newStack();
    const gov = new BedrockGovernance(stack, 'Gov', {
      costTagKeys: { team: 'Team' },
      profileNamePrefix: 'dev-',
      defaultRouting: InferenceRouting.crossRegion(CrossRegionGeo.EU),
    });
    const search = gov.addTeam('search', { ...BASE, models: [BedrockModel.CLAUDE_HAIKU_4_5] });
    const ops = gov.addTeam('ops', { ...BASE, models: [BedrockModel.NOVA_MICRO], routing: InferenceRouting.inRegion(), profileNamePrefix: 'ops-' });
    expect(search.node.path).toBe('S/Gov/search');
    expect(gov.teams).toEqual([search, ops]);
    expect(gov.team('ops')).toBe(ops);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Bedrock::ApplicationInferenceProfile', {
      InferenceProfileName: 'dev-search-claude-haiku-4-5',
      ModelSource: { CopyFrom: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('inference-profile/eu\\.anthropic')])] } },
      Tags: Match.arrayWith([{ Key: 'Team', Value: 'search' }]),
    });
    template.hasResourceProperties('AWS::Bedrock::ApplicationInferenceProfile', { InferenceProfileName: 'ops-ops-nova-micro' });
  });

  test('duplicate team names and unknown teams', () => {
    const gov = new BedrockGovernance(newStack(), 'Gov');
    gov.addTeam('search', { ...BASE, models: [BedrockModel.NOVA_MICRO] });
    expect(() => gov.addTeam('search', { ...BASE, models: [BedrockModel.NOVA_LITE] }))
      .toThrow("S/Gov: invalid teamName 'search': a team of that name was already added (S/Gov/search). Give each team a unique name");
    expect(() => gov.team('ads')).toThrow("S/Gov: no team named 'ads'; the teams are: search. Call addTeam('ads', ...) first");
  });
});

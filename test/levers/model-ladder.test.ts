import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { chooseProfile, escalate, estimateCallUsd, parseLadderManifest } from '../../examples/ladder-router';
import { BedrockGovernance, BedrockModel, CrossRegionGeo, InferenceRouting, ModelTier } from '../../src';
import { ENV, cleanupOutdirs, defaultAttributes, resolveIntrinsics, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

function ladderApp() {
  const stack = new Stack(testApp(), 'S', { env: ENV });
  const gov = new BedrockGovernance(stack, 'Gov', { profileNamePrefix: 'prod-' });
  const team = gov.addTeam('search', {
    costCenter: 'CC-1',
    environment: 'prod',
    models: [BedrockModel.CLAUDE_HAIKU_4_5],
    routing: InferenceRouting.crossRegion(CrossRegionGeo.US),
    ladder: { light: BedrockModel.CLAUDE_HAIKU_4_5, standard: BedrockModel.CLAUDE_SONNET_4_5, premium: BedrockModel.CLAUDE_OPUS_4_5 },
  });
  return { stack, team };
}

describe('model ladder', () => {
  test('every tier gets a profile; the manifest is an SSM parameter with the documented schema', () => {
    const { stack, team } = ladderApp();
    expect(team.models.map((m) => m.modelId)).toEqual([
      BedrockModel.CLAUDE_HAIKU_4_5.modelId, BedrockModel.CLAUDE_SONNET_4_5.modelId, BedrockModel.CLAUDE_OPUS_4_5.modelId,
    ]);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Bedrock::ApplicationInferenceProfile', 3);
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/bedrock-governance/prod-search/model-ladder', Type: 'String' });
    const json = template.toJSON();
    const param = Object.values<any>(json.Resources).find((r) => r.Type === 'AWS::SSM::Parameter');
    const manifest = JSON.parse(resolveIntrinsics(param.Properties.Value, json, defaultAttributes()));
    const arn = (model: BedrockModel) => defaultAttributes()(stack.getLogicalId(team.profile(model).resource), { Type: 'AWS::Bedrock::ApplicationInferenceProfile' }, 'InferenceProfileArn');
    expect(manifest).toEqual({
      schemaVersion: 1,
      team: 'search',
      tiers: [
        {
          tier: 'LIGHT',
          profileArn: arn(BedrockModel.CLAUDE_HAIKU_4_5),
          modelId: 'anthropic.claude-haiku-4-5-20251001-v1:0',
          displayName: 'Claude Haiku 4.5',
          inputUsdPerMillionTokens: 1.1,
          outputUsdPerMillionTokens: 5.5,
          cacheReadUsdPerMillionTokens: 0.11,
          cacheWriteUsdPerMillionTokens: 1.375,
          minCachePrefixTokens: 4096,
          streaming: true,
          pricesAsOf: BedrockModel.CLAUDE_HAIKU_4_5.pricesAsOf,
        },
        {
          tier: 'STANDARD',
          profileArn: arn(BedrockModel.CLAUDE_SONNET_4_5),
          modelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
          displayName: 'Claude Sonnet 4.5',
          inputUsdPerMillionTokens: 3.3,
          outputUsdPerMillionTokens: 16.5,
          cacheReadUsdPerMillionTokens: 0.33,
          cacheWriteUsdPerMillionTokens: 4.125,
          minCachePrefixTokens: 1024,
          streaming: true,
          pricesAsOf: BedrockModel.CLAUDE_SONNET_4_5.pricesAsOf,
        },
        {
          tier: 'PREMIUM',
          profileArn: arn(BedrockModel.CLAUDE_OPUS_4_5),
          modelId: 'anthropic.claude-opus-4-5-20251101-v1:0',
          displayName: 'Claude Opus 4.5',
          inputUsdPerMillionTokens: 5.5,
          outputUsdPerMillionTokens: 27.5,
          cacheReadUsdPerMillionTokens: 0.55,
          cacheWriteUsdPerMillionTokens: 6.875,
          minCachePrefixTokens: 4096,
          streaming: true,
          pricesAsOf: BedrockModel.CLAUDE_OPUS_4_5.pricesAsOf,
        },
      ],
    });
  });

  test('grantReadLadder allows reading the manifest parameter only', () => {
    const { stack, team } = ladderApp();
    const role = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    team.grantReadLadder(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['ssm:DescribeParameters', 'ssm:GetParameters', 'ssm:GetParameter', 'ssm:GetParameterHistory'],
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1:111122223333:parameter', { Ref: Match.stringLikeRegexp('LadderManifest') }]] },
        })]),
      },
    });
  });

  test('the router picks the cheapest tier first and escalates on a failed quality check', () => {
    const { stack, team } = ladderApp();
    const json = Template.fromStack(stack).toJSON();
    const param = Object.values<any>(json.Resources).find((r) => r.Type === 'AWS::SSM::Parameter');
    const manifest = parseLadderManifest(resolveIntrinsics(param.Properties.Value, json, defaultAttributes()));
    const first = chooseProfile(manifest);
    expect(first.tier).toBe('LIGHT');
    expect(first.profileArn).toMatch(/application-inference-profile\//);
    expect(chooseProfile(manifest, { minimumTier: 'STANDARD' }).modelId).toBe(BedrockModel.CLAUDE_SONNET_4_5.modelId);
    const second = escalate(manifest, first)!;
    expect(second.tier).toBe('STANDARD');
    expect(escalate(manifest, escalate(manifest, second)!)).toBeUndefined();
    // 2,000 input (no cache) + 500 output on Haiku through a US profile: (2000 x 1.1 + 500 x 5.5) / 1e6
    expect(estimateCallUsd(first, 2000, 500)).toBeCloseTo(0.00495, 10);
    // 5,000 cached input tokens reach Haiku's 4,096 minimum
    expect(estimateCallUsd(first, 6000, 0, 5000)).toBeCloseTo((1000 * 1.1 + 5000 * 0.11) / 1e6, 12);
    expect(team.ladderTiers.map((t) => t.tier)).toEqual([ModelTier.LIGHT, ModelTier.STANDARD, ModelTier.PREMIUM]);
    expect(() => parseLadderManifest('{"schemaVersion":2,"team":"x","tiers":[]}')).toThrow('unsupported ladder manifest schemaVersion 2; this router reads version 1');
  });

  test('errors: a model in the wrong tier, an empty ladder, reading a ladder the team lacks', () => {
    const stack = new Stack(testApp(), 'S', { env: ENV });
    const gov = new BedrockGovernance(stack, 'Gov');
    const base = { costCenter: 'CC-1', environment: 'prod', models: [] as BedrockModel[], routing: InferenceRouting.global() };
    expect(() => gov.addTeam('a', { ...base, ladder: { light: BedrockModel.CLAUDE_OPUS_4_5 } }))
      .toThrow("S/Gov/a: invalid ladder.light 'anthropic.claude-opus-4-5-20251101-v1:0': the catalogue rates Claude Opus 4.5 PREMIUM, not LIGHT. Put it in ladder.premium, or pick a LIGHT model");
    expect(() => gov.addTeam('b', { ...base, ladder: {} }))
      .toThrow('S/Gov/b: invalid ladder {}: a ladder needs at least one tier. Pass e.g. ladder: { light: BedrockModel.CLAUDE_HAIKU_4_5, standard: BedrockModel.CLAUDE_SONNET_4_5 }');
    const c = gov.addTeam('c', { ...base, models: [BedrockModel.CLAUDE_HAIKU_4_5] });
    expect(c.ladderManifest).toBeUndefined();
    expect(() => c.grantReadLadder(new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() })))
      .toThrow("S/Gov/c: team 'c' has no ladder, so there is no manifest to read. Pass ladder: { light, standard, premium } to the team");
  });
});

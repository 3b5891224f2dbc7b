import { CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  BedrockModel,
  CacheTtl,
  CrossRegionGeo,
  InferenceRouting,
  ModelTier,
  TeamInferenceProfile,
} from '../../src';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';
import { evaluateMetricMath } from '../helpers/metric-math';

afterAll(cleanupOutdirs);

const COST_TAGS = { team: 'search', costCenter: 'CC-1042', environment: 'prod' };

function newStack(): Stack {
  return new Stack(testApp(), 'S', { env: ENV });
}

describe('TeamInferenceProfile resource', () => {
  test('in-Region: copies the foundation model in the stack Region and carries the cost tags', () => {
    const stack = newStack();
    new TeamInferenceProfile(stack, 'P', {
      inferenceProfileName: 'search-nova-lite',
      model: BedrockModel.NOVA_LITE,
      costTags: { ...COST_TAGS, extra: { 'project': 'alpha', 'data-class': 'internal' } },
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Bedrock::ApplicationInferenceProfile', 1);
    template.hasResourceProperties('AWS::Bedrock::ApplicationInferenceProfile', {
      InferenceProfileName: 'search-nova-lite',
      Description: 'search nova-lite in-Region',
      ModelSource: { CopyFrom: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0']] } },
      Tags: [
        { Key: 'cost-center', Value: 'CC-1042' },
        { Key: 'data-class', Value: 'internal' },
        { Key: 'environment', Value: 'prod' },
        { Key: 'project', Value: 'alpha' },
        { Key: 'team', Value: 'search' },
      ],
    });
  });

  test('cross-Region: copies the geo system profile with the stack account', () => {
    const stack = newStack();
    new TeamInferenceProfile(stack, 'P', {
      inferenceProfileName: 'search-haiku',
      model: BedrockModel.CLAUDE_HAIKU_4_5,
      routing: InferenceRouting.crossRegion(CrossRegionGeo.EU),
      description: 'Search team Haiku for ranking',
      costTags: COST_TAGS,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Bedrock::ApplicationInferenceProfile', {
      Description: 'Search team Haiku for ranking',
      ModelSource: { CopyFrom: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:us-east-1:111122223333:inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0']] } },
    });
  });

  test('global: copies the global system profile', () => {
    const stack = newStack();
    new TeamInferenceProfile(stack, 'P', {
      inferenceProfileName: 'research-opus',
      model: BedrockModel.CLAUDE_OPUS_4_5,
      routing: InferenceRouting.global(),
      costTags: COST_TAGS,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Bedrock::ApplicationInferenceProfile', {
      ModelSource: { CopyFrom: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:us-east-1:111122223333:inference-profile/global.anthropic.claude-opus-4-5-20251101-v1:0']] } },
    });
  });

  test('custom tag key names are used', () => {
    const stack = newStack();
    new TeamInferenceProfile(stack, 'P', {
      inferenceProfileName: 'x-nova-micro',
      model: BedrockModel.NOVA_MICRO,
      costTags: COST_TAGS,
      costTagKeys: { team: 'Team', costCenter: 'CostCenter', environment: 'Env' },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Bedrock::ApplicationInferenceProfile', {
      Tags: [{ Key: 'CostCenter', Value: 'CC-1042' }, { Key: 'Env', Value: 'prod' }, { Key: 'Team', Value: 'search' }],
    });
  });

  test('arn and id come from the resource attributes, not Ref', () => {
    const stack = newStack();
    const profile = new TeamInferenceProfile(stack, 'P', { inferenceProfileName: 'a-nova-micro', model: BedrockModel.NOVA_MICRO, costTags: COST_TAGS });
    expect(stack.resolve(profile.inferenceProfileArn)).toEqual({ 'Fn::GetAtt': ['P4E0919BE', 'InferenceProfileArn'] });
    expect(stack.resolve(profile.inferenceProfileId)).toEqual({ 'Fn::GetAtt': ['P4E0919BE', 'InferenceProfileId'] });
  });
});

describe('grantInvoke', () => {
  test('in-Region: exact statements, model only under the profile condition', () => {
    const stack = newStack();
    const profile = new TeamInferenceProfile(stack, 'P', { inferenceProfileName: 'a-nova-micro', model: BedrockModel.NOVA_MICRO, costTags: COST_TAGS });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const grant = profile.grantInvoke(role);
    expect(grant.success).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:GetInferenceProfile'],
            Resource: { 'Fn::GetAtt': ['P4E0919BE', 'InferenceProfileArn'] },
          },
          {
            Effect: 'Allow',
            Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0']] },
            Condition: { ArnEquals: { 'bedrock:InferenceProfileArn': { 'Fn::GetAtt': ['P4E0919BE', 'InferenceProfileArn'] } } },
          },
        ],
      },
    });
  });

  test('cross-Region without streaming: every Region of the model and the system profile, conditioned', () => {
    const stack = newStack();
    const profile = new TeamInferenceProfile(stack, 'P', {
      inferenceProfileName: 'a-haiku', model: BedrockModel.CLAUDE_HAIKU_4_5, routing: InferenceRouting.crossRegion(CrossRegionGeo.US), costTags: COST_TAGS,
    });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    profile.grantInvoke(role, { streaming: false });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['bedrock:InvokeModel', 'bedrock:GetInferenceProfile'],
            Resource: { 'Fn::GetAtt': ['P4E0919BE', 'InferenceProfileArn'] },
          },
          {
            Effect: 'Allow',
            Action: 'bedrock:InvokeModel',
            Resource: [
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0']] },
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0']] },
            ],
            Condition: { ArnEquals: { 'bedrock:InferenceProfileArn': { 'Fn::GetAtt': ['P4E0919BE', 'InferenceProfileArn'] } } },
          },
        ],
      },
    });
  });

  test('no statement allows a model without the profile condition', () => {
    const stack = newStack();
    const profile = new TeamInferenceProfile(stack, 'P', {
      inferenceProfileName: 'a-opus', model: BedrockModel.CLAUDE_OPUS_4_5, routing: InferenceRouting.global(), costTags: COST_TAGS,
    });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    profile.grantInvoke(role);
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    const statements = Object.values<any>(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
    for (const statement of statements) {
      const resources = JSON.stringify(statement.Resource);
      if (resources.includes('foundation-model') || resources.includes('inference-profile/global.')) {
        expect(statement.Condition).toEqual({ ArnEquals: { 'bedrock:InferenceProfileArn': { 'Fn::GetAtt': ['P4E0919BE', 'InferenceProfileArn'] } } });
      }
    }
    expect(statements).toHaveLength(2);
  });
});

describe('metrics', () => {
  test('metrics use AWS/Bedrock, the profile id as ModelId, the stack account and Region', () => {
    const stack = newStack();
    const profile = new TeamInferenceProfile(stack, 'P', { inferenceProfileName: 'a-nova-micro', model: BedrockModel.NOVA_MICRO, costTags: COST_TAGS });
    const cases: Array<[any, string, string]> = [
      [profile.metricInvocations(), 'Invocations', 'Sum'],
      [profile.metricInputTokens(), 'InputTokenCount', 'Sum'],
      [profile.metricOutputTokens(), 'OutputTokenCount', 'Sum'],
      [profile.metricCacheReadInputTokens(), 'CacheReadInputTokenCount', 'Sum'],
      [profile.metricCacheWriteInputTokens(), 'CacheWriteInputTokenCount', 'Sum'],
      [profile.metricInvocationThrottles(), 'InvocationThrottles', 'Sum'],
      [profile.metricInvocationClientErrors(), 'InvocationClientErrors', 'Sum'],
      [profile.metricInvocationServerErrors(), 'InvocationServerErrors', 'Sum'],
      [profile.metricInvocationLatency(), 'InvocationLatency', 'p90'],
    ];
    for (const [metric, name, statistic] of cases) {
      expect(metric.namespace).toBe('AWS/Bedrock');
      expect(metric.metricName).toBe(name);
      expect(metric.statistic).toBe(statistic);
      expect(metric.region).toBe('us-east-1');
      expect(metric.account).toBe('111122223333');
      expect(stack.resolve(metric.dimensions)).toEqual({ ModelId: { 'Fn::GetAtt': ['P4E0919BE', 'InferenceProfileId'] } });
    }
    expect(profile.metricInvocations({ period: Duration.minutes(1) }).period.toMinutes()).toBe(1);
  });

  test('estimated cost: catalogue prices with the regional premium, cache tokens included', () => {
    const stack = newStack();
    const profile = new TeamInferenceProfile(stack, 'P', {
      inferenceProfileName: 'a-sonnet', model: BedrockModel.CLAUDE_SONNET_4_5, routing: InferenceRouting.crossRegion(CrossRegionGeo.US), costTags: COST_TAGS,
    });
    const cost = profile.metricEstimatedCostUsd();
    expect(cost.expression).toBe(
      '(FILL(inputTokens, 0) * 3.3 + FILL(outputTokens, 0) * 16.5 + FILL(cacheReadTokens, 0) * 0.33 + FILL(cacheWriteTokens, 0) * 4.125) / 1000000');
    expect(Object.keys(cost.usingMetrics).sort()).toEqual(['cacheReadTokens', 'cacheWriteTokens', 'inputTokens', 'outputTokens']);
    expect(cost.period.toHours()).toBe(1);
    // 2M input, 500k output, 10M cache read, 1M cache write in an hour:
    // 2*3.3 + 0.5*16.5 + 10*0.33 + 1*4.125 = 6.6 + 8.25 + 3.3 + 4.125 = 22.275
    const usd = evaluateMetricMath(cost.expression, { inputTokens: 2e6, outputTokens: 5e5, cacheReadTokens: 1e7, cacheWriteTokens: 1e6 });
    expect(usd).toBeCloseTo(22.275, 9);
    // no cache data at all (caching unused) is not an error
    expect(evaluateMetricMath(cost.expression, { inputTokens: 1e6, outputTokens: 1e6 })).toBeCloseTo(19.8, 9);
  });

  test('estimated cost: global routing, 1-hour cache writes, custom period and label', () => {
    const stack = newStack();
    const profile = new TeamInferenceProfile(stack, 'P', {
      inferenceProfileName: 'a-haiku', model: BedrockModel.CLAUDE_HAIKU_4_5, routing: InferenceRouting.global(), costTags: COST_TAGS,
    });
    const cost = profile.metricEstimatedCostUsd({ cacheWriteTtl: CacheTtl.ONE_HOUR, period: Duration.days(1), label: 'Haiku USD/day' });
    expect(cost.expression).toBe(
      '(FILL(inputTokens, 0) * 1 + FILL(outputTokens, 0) * 5 + FILL(cacheReadTokens, 0) * 0.1 + FILL(cacheWriteTokens, 0) * 2) / 1000000');
    expect(cost.period.toDays()).toBe(1);
    expect(cost.label).toBe('Haiku USD/day');
  });
});

describe('fromInferenceProfileAttributes', () => {
  test('imports an existing profile; the id comes from the ARN and grants still condition the model', () => {
    const stack = newStack();
    const imported = TeamInferenceProfile.fromInferenceProfileAttributes(stack, 'Imported', {
      inferenceProfileArn: 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc123def456',
      model: BedrockModel.NOVA_PRO,
    });
    expect(imported.inferenceProfileId).toBe('abc123def456');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    imported.grantInvoke(role, { streaming: false });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Effect: 'Allow',
          Action: 'bedrock:InvokeModel',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0']] },
          Condition: { ArnEquals: { 'bedrock:InferenceProfileArn': 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc123def456' } },
        }]),
      },
    });
    expect(imported.metricInvocations().dimensions).toEqual({ ModelId: 'abc123def456' });
  });
});

describe('validation', () => {
  const base = { model: BedrockModel.NOVA_MICRO, costTags: COST_TAGS };

  test.each([
    ['has.dots', "S/P: invalid inferenceProfileName 'has.dots': profile names may contain only letters, digits, and single spaces, '_' or '-' between them (no '.' or ':'). Replace the other characters with '-'"],
    ['double--dash', "S/P: invalid inferenceProfileName 'double--dash': profile names may contain only letters, digits, and single spaces, '_' or '-' between them (no '.' or ':'). Replace the other characters with '-'"],
    ['x'.repeat(65), `S/P: invalid inferenceProfileName '${'x'.repeat(65)}': profile names must be 1-64 characters long (got 65). Use a shorter team name or profileNamePrefix`],
  ])('profile name %s', (name, message) => {
    expect(() => new TeamInferenceProfile(newStack(), 'P', { ...base, inferenceProfileName: name })).toThrow(message);
  });

  test('description with forbidden characters or too long', () => {
    expect(() => new TeamInferenceProfile(newStack(), 'P', { ...base, inferenceProfileName: 'ok', description: 'Search (prod)' }))
      .toThrow("S/P: invalid description 'Search (prod)': descriptions may contain only letters, digits, ':' and '.', with single spaces, '_' or '-' between them. Remove the other characters (commas, brackets, quotes) and double spaces");
    expect(() => new TeamInferenceProfile(newStack(), 'P', { ...base, inferenceProfileName: 'ok', description: 'a'.repeat(201) }))
      .toThrow(`S/P: invalid description '${'a'.repeat(201)}': descriptions must be 1-200 characters long (got 201). Shorten the description`);
  });

  test('routing the catalogue rules out', () => {
    expect(() => new TeamInferenceProfile(newStack(), 'P', { ...base, model: BedrockModel.CLAUDE_SONNET_4_5, inferenceProfileName: 'ok' }))
      .toThrow("S/P: invalid routing 'in-Region': Claude Sonnet 4.5 (anthropic.claude-sonnet-4-5-20250929-v1:0) cannot be invoked on demand in a single Region, only through a system inference profile. Pass routing: InferenceRouting.crossRegion(CrossRegionGeo.US) (or the geography your data may go to) or InferenceRouting.global() (in Python: InferenceRouting.global_())");
    expect(() => new TeamInferenceProfile(newStack(), 'P', { ...base, inferenceProfileName: 'ok', routing: InferenceRouting.global() }))
      .toThrow("S/P: invalid routing 'global': Amazon Nova Micro (amazon.nova-micro-v1:0) has no global inference profile. Pass routing: InferenceRouting.inRegion() or InferenceRouting.crossRegion(...)");
    const euOnly = BedrockModel.custom({
      modelId: 'mistral.pixtral-large-2502-v1:0',
      provider: 'Mistral',
      tier: ModelTier.STANDARD,
      pricing: { inputUsdPerMillionTokens: 2, outputUsdPerMillionTokens: 6 },
      pricesAsOf: '2026-11-01',
      crossRegionGeos: [CrossRegionGeo.EU],
    });
    expect(() => new TeamInferenceProfile(newStack(), 'P', { ...base, model: euOnly, inferenceProfileName: 'ok', routing: InferenceRouting.crossRegion(CrossRegionGeo.US) }))
      .toThrow("S/P: invalid routing 'cross-Region us': pixtral-large-2502-v1-0 (mistral.pixtral-large-2502-v1:0) has no 'us.' inference profile (known geographies: eu). Pass one of the known geographies or InferenceRouting.inRegion()");
  });

  const custom = (modelId: string, pricing: any = { inputUsdPerMillionTokens: 1, outputUsdPerMillionTokens: 2 }) =>
    BedrockModel.custom({ modelId, provider: 'X', tier: ModelTier.LIGHT, pricing, pricesAsOf: '2026-11-01' });

  test.each([
    ['us.anthropic.claude-3-haiku-20240307-v1:0', "S/P: invalid model.modelId 'us.anthropic.claude-3-haiku-20240307-v1:0': 'us.' is the prefix of a system inference profile, not part of a foundation model id. Pass the base model id 'anthropic.claude-3-haiku-20240307-v1:0' and choose the routing with InferenceRouting.crossRegion(...)"],
    ['global.anthropic.claude-opus-4-5-20251101-v1:0', "S/P: invalid model.modelId 'global.anthropic.claude-opus-4-5-20251101-v1:0': 'global.' is the prefix of a system inference profile, not part of a foundation model id. Pass the base model id 'anthropic.claude-opus-4-5-20251101-v1:0' and choose the routing with InferenceRouting.global() (in Python: InferenceRouting.global_())"],
    ['arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0', "S/P: invalid model.modelId 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0': not a Bedrock foundation model id (expected provider.model-name[:version], lower case, e.g. 'anthropic.claude-haiku-4-5-20251001-v1:0'; ARNs are not accepted). Use the model id shown by `aws bedrock list-foundation-models`"],
    ['Anthropic.Claude', "S/P: invalid model.modelId 'Anthropic.Claude': not a Bedrock foundation model id"],
    ['nodot', "S/P: invalid model.modelId 'nodot': not a Bedrock foundation model id"],
  ])('custom model id %s', (modelId, message) => {
    expect(() => new TeamInferenceProfile(newStack(), 'P', { ...base, model: custom(modelId), inferenceProfileName: 'ok' })).toThrow(message);
  });

  test.each([
    [{ inputUsdPerMillionTokens: -1, outputUsdPerMillionTokens: 2 }, "S/P: invalid model.pricing.inputUsdPerMillionTokens -1: prices must be finite numbers >= 0 (model 'acme.m-v1:0'). Pass the USD price per million tokens"],
    [{ inputUsdPerMillionTokens: 1, outputUsdPerMillionTokens: NaN }, "S/P: invalid model.pricing.outputUsdPerMillionTokens NaN: prices must be finite numbers >= 0 (model 'acme.m-v1:0'). Pass the USD price per million tokens"],
    [{ inputUsdPerMillionTokens: 1, outputUsdPerMillionTokens: 2, cacheReadUsdPerMillionTokens: Infinity }, 'S/P: invalid model.pricing.cacheReadUsdPerMillionTokens Infinity: prices must be finite numbers >= 0'],
    [{ inputUsdPerMillionTokens: 1, outputUsdPerMillionTokens: 2, batchDiscount: 1.5 }, "S/P: invalid model.pricing.batchDiscount 1.5: the batch discount is a fraction in [0, 1) (model 'acme.m-v1:0'). Pass e.g. 0.5 for 50% off"],
  ])('custom prices %j', (pricing, message) => {
    expect(() => new TeamInferenceProfile(newStack(), 'P', { ...base, model: custom('acme.m-v1:0', pricing), inferenceProfileName: 'ok' })).toThrow(message);
  });

  test('negotiated prices are validated too', () => {
    const bad = BedrockModel.NOVA_LITE.withPricing({ inputUsdPerMillionTokens: -0.01, outputUsdPerMillionTokens: 0.2 });
    expect(() => new TeamInferenceProfile(newStack(), 'P', { ...base, model: bad, inferenceProfileName: 'ok' }))
      .toThrow("S/P: invalid model.pricing.inputUsdPerMillionTokens -0.01: prices must be finite numbers >= 0 (model 'amazon.nova-lite-v1:0')");
  });

  test.each([
    [{ ...COST_TAGS, team: '' }, "S/P: invalid costTags.team '': cost allocation tag values must not be empty or blank, or the spend cannot be attributed. Give a non-empty value"],
    [{ ...COST_TAGS, costCenter: '   ' }, "S/P: invalid costTags.costCenter '   ': cost allocation tag values must not be empty or blank, or the spend cannot be attributed. Give a non-empty value"],
    [{ ...COST_TAGS, environment: 'prod#1' }, "S/P: invalid costTags.environment 'prod#1': tag values may contain only letters, digits, spaces and _ . : / = + - @. Remove the other characters"],
    [{ ...COST_TAGS, costCenter: 'c'.repeat(257) }, `S/P: invalid costTags.costCenter '${'c'.repeat(257)}': tag values must be at most 256 characters long (got 257). Use a shorter value`],
    [{ ...COST_TAGS, extra: { 'aws:team': 'x' } }, "S/P: invalid costTags.extra 'aws:team': the 'aws:' prefix is reserved for AWS. Choose a key without the 'aws:' prefix"],
    [{ ...COST_TAGS, extra: { team: 'other' } }, "S/P: invalid costTags.extra key 'team': it is one of the required cost tag keys. Set it through costTags.team, costCenter or environment instead"],
    [{ ...COST_TAGS, extra: { owner: 'a,b' } }, "S/P: invalid costTags.extra['owner'] 'a,b': tag values may contain only letters, digits, spaces and _ . : / = + - @. Remove the other characters"],
  ])('cost tags %j', (costTags, message) => {
    expect(() => new TeamInferenceProfile(newStack(), 'P', { ...base, costTags, inferenceProfileName: 'ok' })).toThrow(message);
  });

  test('tag keys given twice', () => {
    expect(() => new TeamInferenceProfile(newStack(), 'P', { ...base, inferenceProfileName: 'ok', costTagKeys: { team: 'owner', costCenter: 'owner' } }))
      .toThrow("S/P: invalid costTagKeys: the key 'owner' is used twice. Give team, costCenter and environment different key names");
  });

  test('unresolved tokens are passed through, not validated', () => {
    const stack = newStack();
    const cc = new CfnParameter(stack, 'CostCenter').valueAsString;
    const name = new CfnParameter(stack, 'Name').valueAsString;
    new TeamInferenceProfile(stack, 'P', { ...base, inferenceProfileName: name, costTags: { ...COST_TAGS, costCenter: cc } });
    Template.fromStack(stack).hasResourceProperties('AWS::Bedrock::ApplicationInferenceProfile', {
      InferenceProfileName: { Ref: 'Name' },
      Tags: Match.arrayWith([{ Key: 'cost-center', Value: { Ref: 'CostCenter' } }]),
    });
  });
});

describe('metricCacheSavingsUsd', () => {
  test('the playbook example: a day of cached document QA on Sonnet 4.5 saves $53.31, write premium included', () => {
    const stack = newStack();
    const profile = new TeamInferenceProfile(stack, 'P', {
      inferenceProfileName: 'qa-sonnet', model: BedrockModel.CLAUDE_SONNET_4_5, routing: InferenceRouting.global(), costTags: COST_TAGS,
    });
    const saving = profile.metricCacheSavingsUsd({ period: Duration.days(1) });
    expect(saving.expression).toBe('(FILL(cacheReadTokens, 0) * 2.7 - FILL(cacheWriteTokens, 0) * 0.75) / 1000000');
    expect(Object.keys(saving.usingMetrics).sort()).toEqual(['cacheReadTokens', 'cacheWriteTokens']);
    // 990 reads and 10 writes of 20,000 tokens: 19.8M x $2.70/M - 0.2M x $0.75/M = 53.46 - 0.15 = 53.31
    expect(evaluateMetricMath(saving.expression, { cacheReadTokens: 19.8e6, cacheWriteTokens: 0.2e6 })).toBeCloseTo(53.31, 9);
    // equals the difference of the estimated cost without and with caching
    const cost = profile.metricEstimatedCostUsd({ period: Duration.days(1) });
    const without = evaluateMetricMath(cost.expression, { inputTokens: 20e6 });
    const withCache = evaluateMetricMath(cost.expression, { cacheReadTokens: 19.8e6, cacheWriteTokens: 0.2e6 });
    expect(without - withCache).toBeCloseTo(53.31, 9);
  });
});

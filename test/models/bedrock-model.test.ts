import { BedrockModel, CacheTtl, CrossRegionGeo, InferenceRouting, ModelTier, RoutingKind } from '../../src';

describe('BedrockModel catalogue', () => {
  test.each([
    [BedrockModel.CLAUDE_HAIKU_4_5, 'anthropic.claude-haiku-4-5-20251001-v1:0', ModelTier.LIGHT, 1, 5, 0.1, 1.25, 2, 4096],
    [BedrockModel.CLAUDE_SONNET_4_5, 'anthropic.claude-sonnet-4-5-20250929-v1:0', ModelTier.STANDARD, 3, 15, 0.3, 3.75, 6, 1024],
    [BedrockModel.CLAUDE_OPUS_4_5, 'anthropic.claude-opus-4-5-20251101-v1:0', ModelTier.PREMIUM, 5, 25, 0.5, 6.25, 10, 4096],
  ])('%s has the documented id, tier and prices', (model, id, tier, input, output, read, write5m, write1h, minPrefix) => {
    expect(model.modelId).toBe(id);
    expect(model.provider).toBe('Anthropic');
    expect(model.tier).toBe(tier);
    expect(model.pricing).toEqual({
      inputUsdPerMillionTokens: input,
      outputUsdPerMillionTokens: output,
      cacheReadUsdPerMillionTokens: read,
      cacheWrite5mUsdPerMillionTokens: write5m,
      cacheWrite1hUsdPerMillionTokens: write1h,
      batchDiscount: 0.5,
      regionalPremium: 0.1,
    });
    expect(model.minCachePrefixTokens).toBe(minPrefix);
    expect(model.pricesAsOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(model.supportsInRegion).toBe(false);
  });

  test.each([
    [BedrockModel.NOVA_MICRO, 'amazon.nova-micro-v1:0', ModelTier.LIGHT, 0.035, 0.14],
    [BedrockModel.NOVA_LITE, 'amazon.nova-lite-v1:0', ModelTier.LIGHT, 0.06, 0.24],
    [BedrockModel.NOVA_PRO, 'amazon.nova-pro-v1:0', ModelTier.STANDARD, 0.8, 3.2],
  ])('%s has the documented id, tier and prices', (model, id, tier, input, output) => {
    expect(model.modelId).toBe(id);
    expect(model.provider).toBe('Amazon');
    expect(model.tier).toBe(tier);
    expect(model.pricing.inputUsdPerMillionTokens).toBe(input);
    expect(model.pricing.outputUsdPerMillionTokens).toBe(output);
    expect(model.minCachePrefixTokens).toBeUndefined();
    expect(model.supportsInRegion).toBe(true);
    expect(model.supportsGlobal).toBe(false);
  });

  test('the catalogue lists every constant once and fromModelId finds them', () => {
    const ids = BedrockModel.catalogue().map((m) => m.modelId);
    expect(new Set(ids).size).toBe(6);
    expect(BedrockModel.fromModelId('amazon.nova-pro-v1:0')).toBe(BedrockModel.NOVA_PRO);
    expect(BedrockModel.fromModelId('anthropic.claude-v2')).toBeUndefined();
  });

  test('withPricing keeps the identity and replaces the prices and date', () => {
    const negotiated = BedrockModel.CLAUDE_SONNET_4_5.withPricing({ inputUsdPerMillionTokens: 2.4, outputUsdPerMillionTokens: 12 }, '2026-10-01');
    expect(negotiated.modelId).toBe(BedrockModel.CLAUDE_SONNET_4_5.modelId);
    expect(negotiated.shortName).toBe('claude-sonnet-4-5');
    expect(negotiated.minCachePrefixTokens).toBe(1024);
    expect(negotiated.pricesAsOf).toBe('2026-10-01');
    expect(negotiated.pricing.inputUsdPerMillionTokens).toBe(2.4);
    // the catalogue constant is untouched
    expect(BedrockModel.CLAUDE_SONNET_4_5.pricing.inputUsdPerMillionTokens).toBe(3);
  });

  test('custom models derive a short name and default the capabilities', () => {
    const llama = BedrockModel.custom({
      modelId: 'meta.llama3-1-70b-instruct-v1:0',
      provider: 'Meta',
      tier: ModelTier.STANDARD,
      pricing: { inputUsdPerMillionTokens: 0.72, outputUsdPerMillionTokens: 0.72 },
      pricesAsOf: '2026-11-01',
    });
    expect(llama.shortName).toBe('llama3-1-70b-instruct-v1-0');
    expect(llama.displayName).toBe('llama3-1-70b-instruct-v1-0');
    expect(llama.supportsInRegion).toBe(true);
    expect(llama.supportsRouting(InferenceRouting.crossRegion(CrossRegionGeo.EU))).toBe(true);
    expect(llama.batchDiscount).toBe(0.5);
  });
});

describe('effectiveRates', () => {
  test('global routing has no premium; geo routing adds the regional premium', () => {
    expect(BedrockModel.CLAUDE_SONNET_4_5.effectiveRates(InferenceRouting.global())).toEqual({
      inputUsdPerMillionTokens: 3,
      outputUsdPerMillionTokens: 15,
      cacheReadUsdPerMillionTokens: 0.3,
      cacheWriteUsdPerMillionTokens: 3.75,
    });
    expect(BedrockModel.CLAUDE_HAIKU_4_5.effectiveRates(InferenceRouting.crossRegion(CrossRegionGeo.US), CacheTtl.ONE_HOUR)).toEqual({
      inputUsdPerMillionTokens: 1.1,
      outputUsdPerMillionTokens: 5.5,
      cacheReadUsdPerMillionTokens: 0.11,
      cacheWriteUsdPerMillionTokens: 2.2,
    });
  });

  test('missing cache prices fall back to the input price', () => {
    expect(BedrockModel.NOVA_LITE.effectiveRates(InferenceRouting.inRegion())).toEqual({
      inputUsdPerMillionTokens: 0.06,
      outputUsdPerMillionTokens: 0.24,
      cacheReadUsdPerMillionTokens: 0.06,
      cacheWriteUsdPerMillionTokens: 0.06,
    });
  });
});

describe('InferenceRouting', () => {
  test('kinds, prefixes and system profile ids', () => {
    const model = BedrockModel.CLAUDE_HAIKU_4_5;
    expect(InferenceRouting.inRegion().kind).toBe(RoutingKind.IN_REGION);
    expect(InferenceRouting.inRegion().systemProfileId(model)).toBeUndefined();
    expect(InferenceRouting.crossRegion(CrossRegionGeo.EU).systemProfileId(model)).toBe('eu.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(InferenceRouting.crossRegion(CrossRegionGeo.US_GOV).systemProfilePrefix).toBe('us-gov');
    expect(InferenceRouting.global().systemProfileId(model)).toBe('global.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(InferenceRouting.global().describe()).toBe('global');
    expect(InferenceRouting.crossRegion(CrossRegionGeo.APAC).describe()).toBe('cross-Region apac');
  });

  test('the catalogue rules out routings a model lacks', () => {
    expect(BedrockModel.CLAUDE_OPUS_4_5.supportsRouting(InferenceRouting.inRegion())).toBe(false);
    expect(BedrockModel.CLAUDE_OPUS_4_5.supportsRouting(InferenceRouting.global())).toBe(true);
    expect(BedrockModel.NOVA_PRO.supportsRouting(InferenceRouting.global())).toBe(false);
    const euOnly = BedrockModel.custom({
      modelId: 'mistral.pixtral-large-2502-v1:0',
      provider: 'Mistral',
      tier: ModelTier.STANDARD,
      pricing: { inputUsdPerMillionTokens: 2, outputUsdPerMillionTokens: 6 },
      pricesAsOf: '2026-11-01',
      crossRegionGeos: [CrossRegionGeo.EU],
    });
    expect(euOnly.supportsRouting(InferenceRouting.crossRegion(CrossRegionGeo.EU))).toBe(true);
    expect(euOnly.supportsRouting(InferenceRouting.crossRegion(CrossRegionGeo.US))).toBe(false);
  });
});

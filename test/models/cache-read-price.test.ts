import { BedrockModel } from '../../src/models';

describe('the catalogue says, for each model, whether a cache-read price is published', () => {
  test('Claude: published (0.1 x input), with the page it comes from', () => {
    for (const model of [BedrockModel.CLAUDE_HAIKU_4_5, BedrockModel.CLAUDE_SONNET_4_5, BedrockModel.CLAUDE_OPUS_4_5]) {
      expect(model.cacheReadPricePublished).toBe(true);
      expect(model.pricing.cacheReadUsdPerMillionTokens).toBeCloseTo(model.pricing.inputUsdPerMillionTokens / 10, 10);
      expect(model.cacheReadPriceSource).toMatch(/^Published: .*https:\/\/aws\.amazon\.com\/bedrock\/pricing\//);
    }
  });

  test('Nova: none published, none invented: cache reads cost the input price', () => {
    for (const model of [BedrockModel.NOVA_MICRO, BedrockModel.NOVA_LITE, BedrockModel.NOVA_PRO]) {
      expect(model.cacheReadPricePublished).toBe(false);
      expect(model.pricing.cacheReadUsdPerMillionTokens).toBeUndefined();
      expect(model.effectiveRates().cacheReadUsdPerMillionTokens).toBe(model.pricing.inputUsdPerMillionTokens);
      expect(model.cacheReadPriceSource).toMatch(/^Not published in this catalogue: .*UNVERIFIED.*None is invented/);
    }
  });

  test('every catalogue model states it; withPricing drops the source (the prices are the caller\'s)', () => {
    expect(BedrockModel.catalogue().filter((m) => m.cacheReadPriceSource === undefined)).toEqual([]);
    const negotiated = BedrockModel.NOVA_LITE.withPricing({
      inputUsdPerMillionTokens: 0.05, outputUsdPerMillionTokens: 0.2, cacheReadUsdPerMillionTokens: 0.0125,
    });
    expect(negotiated.cacheReadPricePublished).toBe(true);
    expect(negotiated.cacheReadPriceSource).toBeUndefined();
  });
});

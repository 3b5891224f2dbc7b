/**
 * Teams for the monitoring tests, built directly (no facade).
 */
import { Stack } from 'aws-cdk-lib';
import { BedrockModel, InferenceRouting, ModelTier, Team } from '../../src';
import { ENV, testApp } from '../helpers/cfn';

export function newStack(): Stack {
  return new Stack(testApp(), 'S', { env: ENV });
}

/** A custom in-Region model with distinct prices: input i, output 5i, cache read i/10, cache write 1.25i. */
export function customModel(i: number): BedrockModel {
  return BedrockModel.custom({
    modelId: `example.model-${i}-v1:0`,
    provider: 'Example',
    tier: ModelTier.STANDARD,
    shortName: `model-${i}`,
    displayName: `Model ${i}`,
    pricing: {
      inputUsdPerMillionTokens: i,
      outputUsdPerMillionTokens: 5 * i,
      cacheReadUsdPerMillionTokens: i / 10,
      cacheWrite5mUsdPerMillionTokens: 1.25 * i,
    },
    pricesAsOf: '2026-11-23',
    minCachePrefixTokens: 1024,
  });
}

/** A team with `count` custom models. */
export function teamWith(stack: Stack, name: string, count: number): Team {
  return new Team(stack, name, {
    teamName: name,
    costCenter: 'CC-1',
    environment: 'prod',
    models: Array.from({ length: count }, (_, i) => customModel(i + 1)),
    routing: InferenceRouting.inRegion(),
  });
}

/** Claude Haiku and Sonnet 4.5 through the global endpoint (no regional premium). */
export function claudeTeam(stack: Stack, name = 'search'): Team {
  return new Team(stack, name, {
    teamName: name,
    costCenter: 'CC-1042',
    environment: 'prod',
    models: [BedrockModel.CLAUDE_HAIKU_4_5, BedrockModel.CLAUDE_SONNET_4_5],
    routing: InferenceRouting.global(),
  });
}

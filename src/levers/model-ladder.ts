import { BedrockModel } from '../models/bedrock-model';
import { CacheTtl } from '../models/pricing';

/**
 * The models of a team's ladder, one per tier. Application code tries the cheapest tier that meets its
 * quality bar first and escalates on a quality signal. Each model gets a team profile.
 */
export interface ModelLadder {
  /**
   * The LIGHT tier: classification, extraction, routing, short summaries.
   *
   * @default - no LIGHT tier
   */
  readonly light?: BedrockModel;

  /**
   * The STANDARD tier: contextual Q&A, generation, reasoning.
   *
   * @default - no STANDARD tier
   */
  readonly standard?: BedrockModel;

  /**
   * The PREMIUM tier: the hard problems that justify the price.
   *
   * @default - no PREMIUM tier
   */
  readonly premium?: BedrockModel;
}

/** A team's use of prompt caching, for its alarms, dashboard and estimates. */
export interface PromptCachingOptions {
  /**
   * The share of input tokens (0-1) the team expects to read from the cache:
   * cache reads / (cache reads + cache writes + uncached input). An alarm fires below it.
   */
  readonly expectedHitRatio: number;

  /**
   * The cache time-to-live the team writes with (decides the cache-write price).
   *
   * @default CacheTtl.FIVE_MINUTES
   */
  readonly cacheWriteTtl?: CacheTtl;
}

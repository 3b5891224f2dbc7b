/** How capable (and how expensive) a model is, for model laddering. */
export enum ModelTier {
  /** Cheapest tier: classification, extraction, routing, short summaries. */
  LIGHT = 'LIGHT',
  /** Middle tier: contextual Q&A, generation, business reasoning. */
  STANDARD = 'STANDARD',
  /** Most capable and most expensive tier: hard multi-step reasoning. */
  PREMIUM = 'PREMIUM',
}

/** Which prompt-cache time-to-live a cache write is priced at. */
export enum CacheTtl {
  /** The 5-minute cache (the default TTL). */
  FIVE_MINUTES = 'FIVE_MINUTES',
  /** The 1-hour cache. */
  ONE_HOUR = 'ONE_HOUR',
}

/**
 * On-demand list prices of a model, in USD per million tokens.
 */
export interface ModelPricing {
  /** Uncached input tokens, USD per million. */
  readonly inputUsdPerMillionTokens: number;

  /** Output tokens, USD per million. */
  readonly outputUsdPerMillionTokens: number;

  /**
   * Input tokens read from the prompt cache, USD per million.
   *
   * @default - the input price (no caching discount is assumed)
   */
  readonly cacheReadUsdPerMillionTokens?: number;

  /**
   * Input tokens written to the 5-minute prompt cache, USD per million.
   *
   * @default - the input price
   */
  readonly cacheWrite5mUsdPerMillionTokens?: number;

  /**
   * Input tokens written to the 1-hour prompt cache, USD per million.
   *
   * @default - the 5-minute cache-write price
   */
  readonly cacheWrite1hUsdPerMillionTokens?: number;

  /**
   * Discount of batch inference on the on-demand price, as a fraction (0.5 = 50% off).
   *
   * @default 0.5
   */
  readonly batchDiscount?: number;

  /**
   * Surcharge of in-Region and geographic cross-Region routing over global routing, as a fraction
   * (0.1 = 10% more). AWS prices the Claude 4.5 generation's regional and geo profiles about 10% above
   * the global endpoint; this is UNVERIFIED on the Bedrock pricing page, so check it for your account.
   *
   * @default 0
   */
  readonly regionalPremium?: number;
}

/**
 * Prices per million tokens after routing surcharges, all fields resolved.
 */
export interface EffectiveRates {
  /** Uncached input, USD per million tokens. */
  readonly inputUsdPerMillionTokens: number;
  /** Output, USD per million tokens. */
  readonly outputUsdPerMillionTokens: number;
  /** Cache read, USD per million tokens. */
  readonly cacheReadUsdPerMillionTokens: number;
  /** Cache write (at the chosen TTL), USD per million tokens. */
  readonly cacheWriteUsdPerMillionTokens: number;
}

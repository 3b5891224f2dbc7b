import { CrossRegionGeo, InferenceRouting, RoutingKind } from './routing';

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

/** Properties of a model in the catalogue. */
export interface BedrockModelProps {
  /** The foundation model id, e.g. `anthropic.claude-haiku-4-5-20251001-v1:0` (no geo prefix, not an ARN). */
  readonly modelId: string;

  /** The model provider, e.g. `Anthropic`. */
  readonly provider: string;

  /** The model's tier for laddering. */
  readonly tier: ModelTier;

  /** On-demand prices. */
  readonly pricing: ModelPricing;

  /**
   * The date the prices were taken, `YYYY-MM-DD`.
   */
  readonly pricesAsOf: string;

  /**
   * A short name used in profile names and construct ids: letters, digits and single `-` only.
   *
   * @default - derived from the model id (`anthropic.claude-x-v1:0` -> `claude-x-v1-0`)
   */
  readonly shortName?: string;

  /**
   * A display name for dashboards and reports.
   *
   * @default - the short name
   */
  readonly displayName?: string;

  /**
   * Smallest prompt prefix, in tokens, that the model caches.
   *
   * @default - unknown: the model is not known to support prompt caching
   */
  readonly minCachePrefixTokens?: number;

  /**
   * Whether the model can be invoked on demand in a single Region (copied from its foundation-model ARN).
   *
   * @default true
   */
  readonly supportsInRegion?: boolean;

  /**
   * Whether a `global.` system inference profile exists for the model.
   *
   * @default true
   */
  readonly supportsGlobal?: boolean;

  /**
   * The geographies that have a system cross-Region profile for the model.
   *
   * @default - unknown: every geography is accepted
   */
  readonly crossRegionGeos?: CrossRegionGeo[];
}

/** Date the built-in catalogue prices were checked. */
const CATALOGUE_PRICES_AS_OF = '2026-11-23';

/** Claude 4.5 generation: prices from Anthropic's list prices on the Bedrock global endpoint. */
const CLAUDE_REGIONAL_PREMIUM = 0.1;

/**
 * A foundation model and its prices: the single catalogue of model ids and prices in this library.
 *
 * Use the static constants, `BedrockModel.custom()` for any other model, and `withPricing()` for
 * negotiated prices.
 */
export class BedrockModel {
  /** Anthropic Claude Haiku 4.5: LIGHT, $1 / $5 per million input / output tokens. */
  public static readonly CLAUDE_HAIKU_4_5 = new BedrockModel({
    modelId: 'anthropic.claude-haiku-4-5-20251001-v1:0',
    provider: 'Anthropic',
    tier: ModelTier.LIGHT,
    shortName: 'claude-haiku-4-5',
    displayName: 'Claude Haiku 4.5',
    pricing: {
      inputUsdPerMillionTokens: 1,
      outputUsdPerMillionTokens: 5,
      cacheReadUsdPerMillionTokens: 0.1,
      cacheWrite5mUsdPerMillionTokens: 1.25,
      cacheWrite1hUsdPerMillionTokens: 2,
      batchDiscount: 0.5,
      regionalPremium: CLAUDE_REGIONAL_PREMIUM,
    },
    pricesAsOf: CATALOGUE_PRICES_AS_OF,
    minCachePrefixTokens: 4096,
    supportsInRegion: false,
    supportsGlobal: true,
  });

  /** Anthropic Claude Sonnet 4.5: STANDARD, $3 / $15 per million input / output tokens. */
  public static readonly CLAUDE_SONNET_4_5 = new BedrockModel({
    modelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
    provider: 'Anthropic',
    tier: ModelTier.STANDARD,
    shortName: 'claude-sonnet-4-5',
    displayName: 'Claude Sonnet 4.5',
    pricing: {
      inputUsdPerMillionTokens: 3,
      outputUsdPerMillionTokens: 15,
      cacheReadUsdPerMillionTokens: 0.3,
      cacheWrite5mUsdPerMillionTokens: 3.75,
      cacheWrite1hUsdPerMillionTokens: 6,
      batchDiscount: 0.5,
      regionalPremium: CLAUDE_REGIONAL_PREMIUM,
    },
    pricesAsOf: CATALOGUE_PRICES_AS_OF,
    minCachePrefixTokens: 1024,
    supportsInRegion: false,
    supportsGlobal: true,
  });

  /** Anthropic Claude Opus 4.5: PREMIUM, $5 / $25 per million input / output tokens. */
  public static readonly CLAUDE_OPUS_4_5 = new BedrockModel({
    modelId: 'anthropic.claude-opus-4-5-20251101-v1:0',
    provider: 'Anthropic',
    tier: ModelTier.PREMIUM,
    shortName: 'claude-opus-4-5',
    displayName: 'Claude Opus 4.5',
    pricing: {
      inputUsdPerMillionTokens: 5,
      outputUsdPerMillionTokens: 25,
      cacheReadUsdPerMillionTokens: 0.5,
      cacheWrite5mUsdPerMillionTokens: 6.25,
      cacheWrite1hUsdPerMillionTokens: 10,
      batchDiscount: 0.5,
      regionalPremium: CLAUDE_REGIONAL_PREMIUM,
    },
    pricesAsOf: CATALOGUE_PRICES_AS_OF,
    minCachePrefixTokens: 4096,
    supportsInRegion: false,
    supportsGlobal: true,
  });

  /** Amazon Nova Micro: LIGHT, $0.035 / $0.14 per million input / output tokens (UNVERIFIED prices). */
  public static readonly NOVA_MICRO = new BedrockModel({
    modelId: 'amazon.nova-micro-v1:0',
    provider: 'Amazon',
    tier: ModelTier.LIGHT,
    shortName: 'nova-micro',
    displayName: 'Amazon Nova Micro',
    pricing: { inputUsdPerMillionTokens: 0.035, outputUsdPerMillionTokens: 0.14, batchDiscount: 0.5 },
    pricesAsOf: CATALOGUE_PRICES_AS_OF,
    supportsGlobal: false,
  });

  /** Amazon Nova Lite: LIGHT, $0.06 / $0.24 per million input / output tokens (UNVERIFIED prices). */
  public static readonly NOVA_LITE = new BedrockModel({
    modelId: 'amazon.nova-lite-v1:0',
    provider: 'Amazon',
    tier: ModelTier.LIGHT,
    shortName: 'nova-lite',
    displayName: 'Amazon Nova Lite',
    pricing: { inputUsdPerMillionTokens: 0.06, outputUsdPerMillionTokens: 0.24, batchDiscount: 0.5 },
    pricesAsOf: CATALOGUE_PRICES_AS_OF,
    supportsGlobal: false,
  });

  /** Amazon Nova Pro: STANDARD, $0.80 / $3.20 per million input / output tokens (UNVERIFIED prices). */
  public static readonly NOVA_PRO = new BedrockModel({
    modelId: 'amazon.nova-pro-v1:0',
    provider: 'Amazon',
    tier: ModelTier.STANDARD,
    shortName: 'nova-pro',
    displayName: 'Amazon Nova Pro',
    pricing: { inputUsdPerMillionTokens: 0.8, outputUsdPerMillionTokens: 3.2, batchDiscount: 0.5 },
    pricesAsOf: CATALOGUE_PRICES_AS_OF,
    supportsGlobal: false,
  });

  /** Every model of the built-in catalogue. */
  public static catalogue(): BedrockModel[] {
    return [
      BedrockModel.CLAUDE_HAIKU_4_5,
      BedrockModel.CLAUDE_SONNET_4_5,
      BedrockModel.CLAUDE_OPUS_4_5,
      BedrockModel.NOVA_MICRO,
      BedrockModel.NOVA_LITE,
      BedrockModel.NOVA_PRO,
    ];
  }

  /**
   * Any other model. Its id and prices are checked when a construct uses it.
   */
  public static custom(props: BedrockModelProps): BedrockModel {
    return new BedrockModel(props);
  }

  /**
   * The catalogue model with this id.
   *
   * @returns undefined when the id is not in the built-in catalogue
   */
  public static fromModelId(modelId: string): BedrockModel | undefined {
    return BedrockModel.catalogue().find((m) => m.modelId === modelId);
  }

  /** The foundation model id, e.g. `anthropic.claude-haiku-4-5-20251001-v1:0`. */
  public readonly modelId: string;
  /** The provider, e.g. `Anthropic`. */
  public readonly provider: string;
  /** The tier for laddering. */
  public readonly tier: ModelTier;
  /** On-demand prices, USD per million tokens. */
  public readonly pricing: ModelPricing;
  /** The date the prices were taken, `YYYY-MM-DD`. */
  public readonly pricesAsOf: string;
  /** Short name used in profile names and construct ids. */
  public readonly shortName: string;
  /** Display name for dashboards and reports. */
  public readonly displayName: string;
  /**
   * Smallest cacheable prompt prefix, in tokens.
   *
   * @default - unknown
   */
  public readonly minCachePrefixTokens?: number;
  /** Whether the model can be invoked on demand in a single Region. */
  public readonly supportsInRegion: boolean;
  /** Whether a `global.` system profile exists. */
  public readonly supportsGlobal: boolean;
  /**
   * Geographies with a system cross-Region profile.
   *
   * @default - unknown: every geography is accepted
   */
  public readonly crossRegionGeos?: CrossRegionGeo[];

  private constructor(props: BedrockModelProps) {
    this.modelId = props.modelId;
    this.provider = props.provider;
    this.tier = props.tier;
    this.pricing = props.pricing;
    this.pricesAsOf = props.pricesAsOf;
    this.shortName = props.shortName ?? deriveShortName(props.modelId);
    this.displayName = props.displayName ?? this.shortName;
    this.minCachePrefixTokens = props.minCachePrefixTokens;
    this.supportsInRegion = props.supportsInRegion ?? true;
    this.supportsGlobal = props.supportsGlobal ?? true;
    this.crossRegionGeos = props.crossRegionGeos;
  }

  /**
   * The same model with other prices, e.g. a negotiated discount.
   *
   * @param pricing the prices to use
   * @param pricesAsOf the date of those prices, `YYYY-MM-DD` (default: this model's date)
   */
  public withPricing(pricing: ModelPricing, pricesAsOf?: string): BedrockModel {
    return new BedrockModel({
      modelId: this.modelId,
      provider: this.provider,
      tier: this.tier,
      pricing,
      pricesAsOf: pricesAsOf ?? this.pricesAsOf,
      shortName: this.shortName,
      displayName: this.displayName,
      minCachePrefixTokens: this.minCachePrefixTokens,
      supportsInRegion: this.supportsInRegion,
      supportsGlobal: this.supportsGlobal,
      crossRegionGeos: this.crossRegionGeos,
    });
  }

  /** Whether the catalogue says the model can be served with this routing. */
  public supportsRouting(routing: InferenceRouting): boolean {
    switch (routing.kind) {
      case RoutingKind.IN_REGION:
        return this.supportsInRegion;
      case RoutingKind.GLOBAL:
        return this.supportsGlobal;
      default:
        return this.crossRegionGeos === undefined || this.crossRegionGeos.includes(routing.geo!);
    }
  }

  /**
   * Prices per million tokens with every default filled in and the regional premium applied
   * for in-Region and geographic routing.
   *
   * @param routing how calls are routed (default: global, no premium)
   * @param cacheWriteTtl which cache-write price to use (default: 5 minutes)
   */
  public effectiveRates(routing?: InferenceRouting, cacheWriteTtl?: CacheTtl): EffectiveRates {
    const p = this.pricing;
    const premium = routing === undefined || routing.kind === RoutingKind.GLOBAL ? 0 : (p.regionalPremium ?? 0);
    const factor = 1 + premium;
    const write5m = p.cacheWrite5mUsdPerMillionTokens ?? p.inputUsdPerMillionTokens;
    const write = cacheWriteTtl === CacheTtl.ONE_HOUR ? (p.cacheWrite1hUsdPerMillionTokens ?? write5m) : write5m;
    return {
      inputUsdPerMillionTokens: roundRate(p.inputUsdPerMillionTokens * factor),
      outputUsdPerMillionTokens: roundRate(p.outputUsdPerMillionTokens * factor),
      cacheReadUsdPerMillionTokens: roundRate((p.cacheReadUsdPerMillionTokens ?? p.inputUsdPerMillionTokens) * factor),
      cacheWriteUsdPerMillionTokens: roundRate(write * factor),
    };
  }

  /** The batch discount as a fraction (0.5 when the pricing does not say). */
  public get batchDiscount(): number {
    return this.pricing.batchDiscount ?? 0.5;
  }
}

/** Round a per-million rate to 10 decimals so that 0.1 * 1.1 prints as 0.11. */
function roundRate(value: number): number {
  return Math.round(value * 1e10) / 1e10;
}

/** `anthropic.claude-x-v1:0` -> `claude-x-v1-0`. */
function deriveShortName(modelId: string): string {
  const withoutProvider = modelId.includes('.') ? modelId.slice(modelId.indexOf('.') + 1) : modelId;
  return withoutProvider.replace(/[^0-9a-zA-Z]+/g, '-').replace(/^-+|-+$/g, '');
}

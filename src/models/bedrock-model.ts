import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CacheTtl, EffectiveRates, ModelPricing, ModelTier } from './pricing';
import { CrossRegionGeo, RoutingKind } from './routing';

// BedrockModel and InferenceRouting refer to each other (a model supports routings, a routing names a
// model's system profile), so they live in one module: two modules would import each other.

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
   * Where the cache-read price (`pricing.cacheReadUsdPerMillionTokens`) was published, or why there is none.
   *
   * @default - none stated
   */
  readonly cacheReadPriceSource?: string;

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

/** Where the Claude cache-read prices of the catalogue come from. */
const CLAUDE_CACHE_READ_SOURCE = 'Published: Anthropic list prices for Claude on Amazon Bedrock, prompt caching (cache read = 0.1 x input), '
  + 'https://aws.amazon.com/bedrock/pricing/ and https://docs.anthropic.com/en/docs/about-claude/pricing';

/** Why the Nova models of the catalogue have no cache-read price. */
const NOVA_CACHE_READ_SOURCE = 'Not published in this catalogue: no Amazon Nova cache-read price was verified (UNVERIFIED on '
  + 'https://aws.amazon.com/bedrock/pricing/). None is invented: cache reads are priced at the input price; give your price with withPricing()';

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
    cacheReadPriceSource: CLAUDE_CACHE_READ_SOURCE,
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
    cacheReadPriceSource: CLAUDE_CACHE_READ_SOURCE,
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
    cacheReadPriceSource: CLAUDE_CACHE_READ_SOURCE,
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
    cacheReadPriceSource: NOVA_CACHE_READ_SOURCE,
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
    cacheReadPriceSource: NOVA_CACHE_READ_SOURCE,
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
    cacheReadPriceSource: NOVA_CACHE_READ_SOURCE,
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
  /**
   * Where the cache-read price was published, or why there is none.
   *
   * @default - none stated
   */
  public readonly cacheReadPriceSource?: string;
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
    this.cacheReadPriceSource = props.cacheReadPriceSource;
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

  /**
   * Whether a cache-read price is set (`pricing.cacheReadUsdPerMillionTokens`). When false, cache reads are priced at
   * the input price: no discount is assumed that nobody published.
   */
  public get cacheReadPricePublished(): boolean {
    return this.pricing.cacheReadUsdPerMillionTokens !== undefined;
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

/** Prefix of the system-defined global inference profiles. */
const GLOBAL_PREFIX = 'global';

/**
 * Where a team's application inference profile sends requests.
 *
 * The routing decides the profile's `ModelSource.CopyFrom` ARN and which model ARNs an
 * invoke grant must cover (AWS authorizes the profile and the foundation model in every
 * Region the profile routes to).
 */
export class InferenceRouting {
  /**
   * Serve the model in the stack's Region only. The profile copies the foundation-model ARN.
   * Not every model supports on-demand calls in a single Region (the Claude 4.5 generation does not).
   */
  public static inRegion(): InferenceRouting {
    return new InferenceRouting(RoutingKind.IN_REGION, undefined);
  }

  /**
   * Route within one geography through the system cross-Region profile `<geo>.<modelId>`.
   */
  public static crossRegion(geo: CrossRegionGeo): InferenceRouting {
    return new InferenceRouting(RoutingKind.CROSS_REGION, geo);
  }

  /**
   * Route to any commercial Region through the system profile `global.<modelId>`.
   * Requests then carry `aws:RequestedRegion = unspecified`.
   *
   * In Python this method is `InferenceRouting.global_()`: `global` is a Python keyword.
   */
  public static global(): InferenceRouting {
    return new InferenceRouting(RoutingKind.GLOBAL, undefined);
  }

  /** The kind of routing. */
  public readonly kind: RoutingKind;

  /**
   * The geography, for cross-Region routing.
   *
   * @default - undefined for in-Region and global routing
   */
  public readonly geo?: CrossRegionGeo;

  private constructor(kind: RoutingKind, geo: CrossRegionGeo | undefined) {
    this.kind = kind;
    this.geo = geo;
  }

  /**
   * The prefix of the system-defined profile this routing copies (`us`, `eu`, `global`, ...).
   *
   * @returns undefined for in-Region routing
   */
  public get systemProfilePrefix(): string | undefined {
    switch (this.kind) {
      case RoutingKind.CROSS_REGION:
        return this.geo;
      case RoutingKind.GLOBAL:
        return GLOBAL_PREFIX;
      default:
        return undefined;
    }
  }

  /**
   * The id of the system-defined inference profile for a model, e.g. `us.anthropic.claude-haiku-4-5-20251001-v1:0`.
   *
   * @returns undefined for in-Region routing
   */
  public systemProfileId(model: BedrockModel): string | undefined {
    const prefix = this.systemProfilePrefix;
    return prefix === undefined ? undefined : `${prefix}.${model.modelId}`;
  }

  /** A short human description, e.g. `cross-Region us`. */
  public describe(): string {
    switch (this.kind) {
      case RoutingKind.CROSS_REGION:
        return `cross-Region ${this.geo}`;
      case RoutingKind.GLOBAL:
        return 'global';
      default:
        return 'in-Region';
    }
  }

  /**
   * The ARN the application profile copies: the foundation model for in-Region routing,
   * otherwise the system profile in the stack's Region and account.
   *
   * @internal
   */
  public _copyFromArn(scope: IConstruct, model: BedrockModel): string {
    const stack = Stack.of(scope);
    const systemId = this.systemProfileId(model);
    if (systemId === undefined) {
      return `arn:${stack.partition}:bedrock:${stack.region}::foundation-model/${model.modelId}`;
    }
    return `arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:inference-profile/${systemId}`;
  }

  /**
   * The model ARNs an invoke through the profile is authorized against, besides the profile itself.
   * In-Region: the foundation model in the stack's Region. Cross-Region and global: the foundation
   * model in every Region (`*` also matches the empty Region of global routing) and the system profile.
   *
   * @internal
   */
  public _modelResourceArns(scope: IConstruct, model: BedrockModel): string[] {
    const stack = Stack.of(scope);
    const systemId = this.systemProfileId(model);
    if (systemId === undefined) {
      return [`arn:${stack.partition}:bedrock:${stack.region}::foundation-model/${model.modelId}`];
    }
    return [
      `arn:${stack.partition}:bedrock:*::foundation-model/${model.modelId}`,
      `arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:inference-profile/${systemId}`,
    ];
  }
}

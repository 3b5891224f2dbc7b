import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import type { BedrockModel } from './bedrock-model';

/**
 * A geography of system-defined cross-Region inference profiles.
 *
 * The system profile id is `<geo>.<modelId>`, e.g. `us.anthropic.claude-haiku-4-5-20251001-v1:0`.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html
 */
export enum CrossRegionGeo {
  /** United States Regions (`us.` profiles). */
  US = 'us',
  /** European Union Regions (`eu.` profiles). */
  EU = 'eu',
  /** Asia Pacific Regions (`apac.` profiles). */
  APAC = 'apac',
  /** Japan Regions (`jp.` profiles). */
  JP = 'jp',
  /** Australia Regions (`au.` profiles). */
  AU = 'au',
  /** AWS GovCloud (US) Regions (`us-gov.` profiles). */
  US_GOV = 'us-gov',
}

/** How an application inference profile routes requests. */
export enum RoutingKind {
  /** The profile copies a foundation model and serves it in the stack's Region only. */
  IN_REGION = 'IN_REGION',
  /** The profile copies a geographic system cross-Region profile (`us.`, `eu.`, ...). */
  CROSS_REGION = 'CROSS_REGION',
  /** The profile copies the global system profile (`global.`): any commercial Region. */
  GLOBAL = 'GLOBAL',
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

import { Arn, ArnFormat, Duration, IResource, Resource, Token } from 'aws-cdk-lib';
import { CfnApplicationInferenceProfile } from 'aws-cdk-lib/aws-bedrock';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { grantInvokeThroughProfiles } from './grants';
import { BedrockModel, InferenceRouting } from '../models/bedrock-model';
import { BedrockMetricNames } from '../models/metric-names';
import { CacheTtl } from '../models/pricing';
import { cacheSavingsExpression, estimatedCostExpression } from './private/cost-expression';
import { invalidProp } from '../private/errors';
import { validateModel, validateRouting } from '../private/model-validation';
import { costTagsToTagList } from './private/tags';
import {
  PROFILE_DESCRIPTION_MAX_LENGTH,
  PROFILE_DESCRIPTION_PATTERN,
  PROFILE_NAME_MAX_LENGTH,
  PROFILE_NAME_PATTERN,
  isUnresolved,
} from '../private/validate';
import { CostTagKeys, CostTags } from '../tags/cost-tags';

/** Options of an invoke grant. */
export interface InvokeGrantOptions {
  /**
   * Also allow `bedrock:InvokeModelWithResponseStream` (ConverseStream, InvokeModelWithResponseStream).
   * Turn it off for non-interactive workloads.
   *
   * @default true
   */
  readonly streaming?: boolean;
}

/** Options of the estimated-cost metric. */
export interface EstimatedCostMetricOptions {
  /**
   * The period the cost is summed over.
   *
   * @default Duration.hours(1)
   */
  readonly period?: Duration;

  /**
   * Which cache-write price applies.
   *
   * @default CacheTtl.FIVE_MINUTES
   */
  readonly cacheWriteTtl?: CacheTtl;

  /**
   * Label of the metric.
   *
   * @default - '<profile name> estimated cost (USD)'
   */
  readonly label?: string;
}

/**
 * A team's application inference profile: the only door to a model.
 */
export interface ITeamInferenceProfile extends IResource {
  /**
   * The ARN of the application inference profile.
   *
   * @attribute
   */
  readonly inferenceProfileArn: string;

  /**
   * The id of the application inference profile (the last part of its ARN). CloudWatch reports
   * profile calls under `ModelId` = this id.
   *
   * @attribute
   */
  readonly inferenceProfileId: string;

  /** The model the profile serves. */
  readonly model: BedrockModel;

  /** How the profile routes requests. */
  readonly routing: InferenceRouting;

  /**
   * Allow the grantee to invoke the model through this profile, and only through it.
   *
   * Adds: Allow `bedrock:InvokeModel` (+ `bedrock:InvokeModelWithResponseStream` when streaming) and
   * `bedrock:GetInferenceProfile` on the profile ARN; Allow the same invoke actions on the model ARNs
   * the routing reaches, only when `bedrock:InferenceProfileArn` equals this profile's ARN.
   */
  grantInvoke(grantee: iam.IGrantable, options?: InvokeGrantOptions): iam.Grant;

  /** A metric of this profile in `AWS/Bedrock`, dimension `ModelId` = the profile id. */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Successful invocations (sum). */
  metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Uncached input tokens (sum). */
  metricInputTokens(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Output tokens (sum). */
  metricOutputTokens(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Input tokens read from the prompt cache (sum). */
  metricCacheReadInputTokens(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Input tokens written to the prompt cache (sum). */
  metricCacheWriteInputTokens(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Throttled invocations (sum). */
  metricInvocationThrottles(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Invocations that failed with a client error (sum). */
  metricInvocationClientErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Invocations that failed with a server error (sum). */
  metricInvocationServerErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Invocation latency in milliseconds (p90 by default). */
  metricInvocationLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Estimated on-demand cost in USD per period: uncached input, output, cache-read and cache-write
   * tokens times the catalogue prices (with the routing's regional premium), divided by one million.
   * Missing cache data counts as zero.
   */
  metricEstimatedCostUsd(options?: EstimatedCostMetricOptions): cloudwatch.MathExpression;

  /**
   * What prompt caching saved in USD per period: cache-read tokens priced at the input price minus what they
   * cost, minus the premium of cache writes over the input price (catalogue prices with the routing's
   * regional premium). Negative when writes are not read back enough.
   */
  metricCacheSavingsUsd(options?: EstimatedCostMetricOptions): cloudwatch.MathExpression;
}

/** Attributes to import an existing application inference profile. */
export interface TeamInferenceProfileAttributes {
  /** The profile's ARN. */
  readonly inferenceProfileArn: string;

  /** The model the profile serves (prices metrics and decides which model ARNs grants cover). */
  readonly model: BedrockModel;

  /**
   * How the profile routes requests.
   *
   * @default InferenceRouting.inRegion()
   */
  readonly routing?: InferenceRouting;

  /**
   * The profile's id.
   *
   * @default - the last part of the ARN
   */
  readonly inferenceProfileId?: string;
}

/** Properties of a `TeamInferenceProfile`. */
export interface TeamInferenceProfileProps {
  /**
   * The profile name: 1-64 letters, digits, and single spaces, `_` or `-` between them.
   * Changing it replaces the profile (new ARN).
   */
  readonly inferenceProfileName: string;

  /** The model the profile serves. Changing it replaces the profile (new ARN). */
  readonly model: BedrockModel;

  /**
   * How the profile routes requests. Changing it replaces the profile (new ARN).
   *
   * @default InferenceRouting.inRegion()
   */
  readonly routing?: InferenceRouting;

  /**
   * A description: 1-200 letters, digits, `:` and `.`, with single spaces, `_` or `-` between them.
   *
   * @default - '<team> <model short name> <routing>'
   */
  readonly description?: string;

  /** The cost allocation tags every profile must carry. */
  readonly costTags: CostTags;

  /**
   * The tag key names.
   *
   * @default - `team`, `cost-center`, `environment`
   */
  readonly costTagKeys?: CostTagKeys;
}

abstract class TeamInferenceProfileBase extends Resource implements ITeamInferenceProfile {
  public abstract readonly inferenceProfileArn: string;
  public abstract readonly inferenceProfileId: string;
  public abstract readonly model: BedrockModel;
  public abstract readonly routing: InferenceRouting;

  /**
   * Called with every grantee of `grantInvoke()` (the facade attaches its guard and the team's principal
   * tags this way).
   *
   * @internal
   */
  public readonly _grantListeners: Array<(grantee: iam.IGrantable) => void> = [];

  public grantInvoke(grantee: iam.IGrantable, options: InvokeGrantOptions = {}): iam.Grant {
    const grant = grantInvokeThroughProfiles(this, grantee, [this], options.streaming ?? true);
    for (const listener of this._grantListeners) {
      listener(grantee);
    }
    return grant;
  }

  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: BedrockMetricNames.NAMESPACE,
      metricName,
      dimensionsMap: { [BedrockMetricNames.MODEL_ID_DIMENSION]: this.inferenceProfileId },
      statistic: cloudwatch.Stats.SUM,
      period: Duration.minutes(5),
      region: this.stack.region,
      account: this.stack.account,
      ...props,
    });
  }

  public metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(BedrockMetricNames.INVOCATIONS, props);
  }

  public metricInputTokens(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(BedrockMetricNames.INPUT_TOKEN_COUNT, props);
  }

  public metricOutputTokens(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(BedrockMetricNames.OUTPUT_TOKEN_COUNT, props);
  }

  public metricCacheReadInputTokens(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(BedrockMetricNames.CACHE_READ_INPUT_TOKEN_COUNT, props);
  }

  public metricCacheWriteInputTokens(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(BedrockMetricNames.CACHE_WRITE_INPUT_TOKEN_COUNT, props);
  }

  public metricInvocationThrottles(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(BedrockMetricNames.INVOCATION_THROTTLES, props);
  }

  public metricInvocationClientErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(BedrockMetricNames.INVOCATION_CLIENT_ERRORS, props);
  }

  public metricInvocationServerErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(BedrockMetricNames.INVOCATION_SERVER_ERRORS, props);
  }

  public metricInvocationLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(BedrockMetricNames.INVOCATION_LATENCY, { statistic: cloudwatch.Stats.p(90), ...props });
  }

  public metricEstimatedCostUsd(options: EstimatedCostMetricOptions = {}): cloudwatch.MathExpression {
    const period = options.period ?? Duration.hours(1);
    const rates = this.model.effectiveRates(this.routing, options.cacheWriteTtl);
    const sum = { period, statistic: cloudwatch.Stats.SUM };
    return new cloudwatch.MathExpression({
      expression: estimatedCostExpression(rates.inputUsdPerMillionTokens, rates.outputUsdPerMillionTokens,
        rates.cacheReadUsdPerMillionTokens, rates.cacheWriteUsdPerMillionTokens),
      usingMetrics: {
        inputTokens: this.metricInputTokens(sum),
        outputTokens: this.metricOutputTokens(sum),
        cacheReadTokens: this.metricCacheReadInputTokens(sum),
        cacheWriteTokens: this.metricCacheWriteInputTokens(sum),
      },
      period,
      label: options.label ?? `${this.model.displayName} estimated cost (USD)`,
    });
  }
  public metricCacheSavingsUsd(options: EstimatedCostMetricOptions = {}): cloudwatch.MathExpression {
    const period = options.period ?? Duration.hours(1);
    const rates = this.model.effectiveRates(this.routing, options.cacheWriteTtl);
    const sum = { period, statistic: cloudwatch.Stats.SUM };
    return new cloudwatch.MathExpression({
      expression: cacheSavingsExpression(rates.inputUsdPerMillionTokens, rates.cacheReadUsdPerMillionTokens, rates.cacheWriteUsdPerMillionTokens),
      usingMetrics: {
        cacheReadTokens: this.metricCacheReadInputTokens(sum),
        cacheWriteTokens: this.metricCacheWriteInputTokens(sum),
      },
      period,
      label: options.label ?? `${this.model.displayName} prompt-cache saving (USD)`,
    });
  }

}

/**
 * An application inference profile with required cost allocation tags (L2 over
 * `AWS::Bedrock::ApplicationInferenceProfile`).
 *
 * Every property but the tags forces replacement: renaming the profile, changing its model or its
 * routing creates a new profile with a new ARN, so IAM conditions, alarms and metric history move too.
 * Add a new profile beside the old one to change a model deliberately.
 *
 * @resource AWS::Bedrock::ApplicationInferenceProfile
 */
export class TeamInferenceProfile extends TeamInferenceProfileBase {
  /** Import an existing application inference profile. */
  public static fromInferenceProfileAttributes(scope: Construct, id: string, attrs: TeamInferenceProfileAttributes): ITeamInferenceProfile {
    class Import extends TeamInferenceProfileBase {
      public readonly inferenceProfileArn = attrs.inferenceProfileArn;
      public readonly inferenceProfileId = attrs.inferenceProfileId
        ?? Arn.split(attrs.inferenceProfileArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
      public readonly model = attrs.model;
      public readonly routing = attrs.routing ?? InferenceRouting.inRegion();
    }
    const imported = new Import(scope, id, { environmentFromArn: attrs.inferenceProfileArn });
    if (!Token.isUnresolved(attrs.inferenceProfileArn) && /[*?]/.test(attrs.inferenceProfileArn)) {
      throw invalidProp(imported, 'inferenceProfileArn', attrs.inferenceProfileArn,
        'the grants compare it with ArnEquals, which honours * and ? as wildcards, so the grant would match other profiles too',
        'Pass the exact ARN of one application inference profile');
    }
    return imported;
  }

  /** @attribute */
  public readonly inferenceProfileArn: string;
  /** @attribute */
  public readonly inferenceProfileId: string;
  /** The profile's name. */
  public readonly inferenceProfileName: string;
  public readonly model: BedrockModel;
  public readonly routing: InferenceRouting;
  /** The cost allocation tags on the profile. */
  public readonly costTags: CostTags;
  /** The underlying L1 resource. */
  public readonly resource: CfnApplicationInferenceProfile;

  constructor(scope: Construct, id: string, props: TeamInferenceProfileProps) {
    super(scope, id, { physicalName: props.inferenceProfileName });
    this.model = props.model;
    this.routing = props.routing ?? InferenceRouting.inRegion();
    this.costTags = props.costTags;
    this.inferenceProfileName = props.inferenceProfileName;

    validateProfileName(this, props.inferenceProfileName);
    validateModel(this, 'model', props.model);
    validateRouting(this, 'routing', props.model, this.routing);
    const tags = costTagsToTagList(this, props.costTags, props.costTagKeys);
    const description = props.description ?? `${props.costTags.team} ${props.model.shortName} ${this.routing.describe()}`;
    validateDescription(this, description);

    this.resource = new CfnApplicationInferenceProfile(this, 'Resource', {
      inferenceProfileName: props.inferenceProfileName,
      description,
      modelSource: { copyFrom: this.routing._copyFromArn(this, props.model) },
      tags,
    });
    this.inferenceProfileArn = this.resource.attrInferenceProfileArn;
    this.inferenceProfileId = this.resource.attrInferenceProfileId;
  }
}

function validateProfileName(scope: Construct, name: string): void {
  if (isUnresolved(name)) {
    return;
  }
  if (name.length < 1 || name.length > PROFILE_NAME_MAX_LENGTH) {
    throw invalidProp(scope, 'inferenceProfileName', name,
      `profile names must be 1-${PROFILE_NAME_MAX_LENGTH} characters long (got ${name.length})`,
      'Use a shorter team name or profileNamePrefix');
  }
  if (!PROFILE_NAME_PATTERN.test(name)) {
    throw invalidProp(scope, 'inferenceProfileName', name,
      'profile names may contain only letters, digits, and single spaces, \'_\' or \'-\' between them (no \'.\' or \':\')',
      'Replace the other characters with \'-\'');
  }
}

function validateDescription(scope: Construct, description: string): void {
  if (Token.isUnresolved(description)) {
    return;
  }
  if (description.length < 1 || description.length > PROFILE_DESCRIPTION_MAX_LENGTH) {
    throw invalidProp(scope, 'description', description,
      `descriptions must be 1-${PROFILE_DESCRIPTION_MAX_LENGTH} characters long (got ${description.length})`, 'Shorten the description');
  }
  if (!PROFILE_DESCRIPTION_PATTERN.test(description)) {
    throw invalidProp(scope, 'description', description,
      'descriptions may contain only letters, digits, \':\' and \'.\', with single spaces, \'_\' or \'-\' between them',
      'Remove the other characters (commas, brackets, quotes) and double spaces');
  }
}

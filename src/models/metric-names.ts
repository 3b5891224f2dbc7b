/**
 * The CloudWatch metric names and dimensions Amazon Bedrock publishes (namespace `AWS/Bedrock`).
 * The one place in this library that spells them.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/monitoring.html
 */
export class BedrockMetricNames {
  /** The CloudWatch namespace. */
  public static readonly NAMESPACE = 'AWS/Bedrock';
  /**
   * Namespace of the runtime metrics Bedrock publishes for knowledge bases (`Invocations` and errors per
   * knowledge-base operation). Its dimension names are not documented (UNVERIFIED): the waste audit finds a
   * knowledge base's series with a CloudWatch SEARCH on its id.
   */
  public static readonly KNOWLEDGE_BASES_NAMESPACE = 'AWS/Bedrock/KnowledgeBases';
  /** The dimension that carries the model id, or the application profile id for profile calls. */
  public static readonly MODEL_ID_DIMENSION = 'ModelId';

  /** Successful requests (throttled requests are not counted). */
  public static readonly INVOCATIONS = 'Invocations';
  /** Latency of invocations, milliseconds. */
  public static readonly INVOCATION_LATENCY = 'InvocationLatency';
  /** Requests that failed with a client error. */
  public static readonly INVOCATION_CLIENT_ERRORS = 'InvocationClientErrors';
  /** Requests that failed with a server error. */
  public static readonly INVOCATION_SERVER_ERRORS = 'InvocationServerErrors';
  /** Requests that were throttled. */
  public static readonly INVOCATION_THROTTLES = 'InvocationThrottles';
  /** Uncached input tokens. */
  public static readonly INPUT_TOKEN_COUNT = 'InputTokenCount';
  /** Output tokens. */
  public static readonly OUTPUT_TOKEN_COUNT = 'OutputTokenCount';
  /** Input tokens read from the prompt cache (no data when nothing is cached). */
  public static readonly CACHE_READ_INPUT_TOKEN_COUNT = 'CacheReadInputTokenCount';
  /** Input tokens written to the prompt cache (no data when nothing is cached). */
  public static readonly CACHE_WRITE_INPUT_TOKEN_COUNT = 'CacheWriteInputTokenCount';
  /** Time to the first token of a streamed response, milliseconds. */
  public static readonly TIME_TO_FIRST_TOKEN = 'TimeToFirstToken';
  /** Estimated tokens-per-minute quota usage. */
  public static readonly ESTIMATED_TPM_QUOTA_USAGE = 'EstimatedTPMQuotaUsage';
  /** Invocations of legacy models. */
  public static readonly LEGACY_MODEL_INVOCATIONS = 'LegacyModelInvocations';

  /** Invocation-log records that failed to reach CloudWatch Logs (no ModelId dimension). */
  public static readonly LOGS_CLOUDWATCH_DELIVERY_FAILURE = 'ModelInvocationLogsCloudWatchDeliveryFailure';
  /** Invocation-log records that failed to reach S3 (no ModelId dimension). */
  public static readonly LOGS_S3_DELIVERY_FAILURE = 'ModelInvocationLogsS3DeliveryFailure';
  /** Large request/response bodies that failed to reach S3 (no ModelId dimension). */
  public static readonly LARGE_DATA_S3_DELIVERY_FAILURE = 'ModelInvocationLargeDataS3DeliveryFailure';

  private constructor() {}
}

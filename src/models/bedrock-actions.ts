/**
 * The IAM actions, resource patterns and condition keys of Bedrock that governance is about: the one
 * list this library's grants, guard and nag rules are built from.
 *
 * There are no `bedrock:Converse*` actions: Converse is authorized as `bedrock:InvokeModel`, ConverseStream
 * as `bedrock:InvokeModelWithResponseStream`, and StartAsyncInvoke as `bedrock:InvokeModel` on an
 * `async-invoke` resource.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonbedrock.html
 */
export class BedrockActions {
  /** Synchronous and asynchronous invocation (InvokeModel, Converse, StartAsyncInvoke). */
  public static readonly INVOKE_MODEL = 'bedrock:InvokeModel';
  /** Streaming invocation (InvokeModelWithResponseStream, ConverseStream). */
  public static readonly INVOKE_MODEL_WITH_RESPONSE_STREAM = 'bedrock:InvokeModelWithResponseStream';
  /** Every action that runs a model on demand. */
  public static readonly INVOKE_ACTIONS: string[] = [BedrockActions.INVOKE_MODEL, BedrockActions.INVOKE_MODEL_WITH_RESPONSE_STREAM];
  /** Reading an inference profile (SDKs and tools call it before invoking). */
  public static readonly INFERENCE_PROFILE_READ = 'bedrock:GetInferenceProfile';
  /** Creating a batch inference job (50% cheaper, but not run through a profile unless the job names one). */
  public static readonly CREATE_BATCH_JOB = 'bedrock:CreateModelInvocationJob';
  /** Reading, listing and stopping batch inference jobs. */
  public static readonly MANAGE_BATCH_JOBS: string[] = [
    'bedrock:GetModelInvocationJob',
    'bedrock:ListModelInvocationJobs',
    'bedrock:StopModelInvocationJob',
  ];
  /** Buying provisioned throughput (billed hourly whether used or not). */
  public static readonly CREATE_PROVISIONED_THROUGHPUT = 'bedrock:CreateProvisionedModelThroughput';
  /**
   * The separate `bedrock-mantle` namespace (OpenAI- and Anthropic-compatible endpoints). Its calls are
   * not captured by model invocation logging.
   */
  public static readonly MANTLE_ALL = 'bedrock-mantle:*';
  /** The condition key carrying the inference profile a request went through. */
  public static readonly INFERENCE_PROFILE_ARN_KEY = 'bedrock:InferenceProfileArn';
  /** Foundation models in every partition and Region (including the empty Region of global routing). */
  public static readonly ALL_FOUNDATION_MODELS = 'arn:*:bedrock:*::foundation-model/*';
  /** System-defined (cross-Region and global) inference profiles in every partition, Region and account. */
  public static readonly ALL_SYSTEM_INFERENCE_PROFILES = 'arn:*:bedrock:*:*:inference-profile/*';
  /** The value of `aws:RequestedRegion` on globally routed requests. */
  public static readonly GLOBAL_REQUESTED_REGION = 'unspecified';

  private constructor() {}
}

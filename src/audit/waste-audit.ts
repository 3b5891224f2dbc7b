import * as fs from 'fs';
import * as path from 'path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeControl } from '../private/control-tower';
import { GovernanceValidationError, invalidProp } from '../private/errors';
import { hardenedBucket, useBucketPolicyForAccessLogs } from '../private/hardened-bucket';
import { iam5ResourceFindingIds } from '../private/nag-ids';
import { isUnresolved } from '../private/validate';
import { resolveCostTagKeys } from '../tags/cost-tag-keys';
import { CostTagKeys } from '../tags/cost-tags';
import { INTERACTIVE_TAG_KEY } from '../tags/governance-tags';

/** Name of the asset folder of the handler (`assets/waste-audit/index.js`, written by `scripts/bundle-lambdas.ts`). */
const ASSET_NAME = 'waste-audit';
const MODEL_ID_PATTERN = /^[a-z0-9-]{1,63}\.[a-z0-9-]{1,100}(\.[a-z0-9-]{1,100})*(:[a-z0-9-]{1,63}){0,2}$/;
/** Prefixes of system inference profile ids (`us.`, `global.`...), which are not foundation-model ids. */
const SYSTEM_PROFILE_PREFIX = /^(us|eu|apac|jp|au|us-gov|global)\.[a-z0-9-]+\./;

/** Properties of `WasteAudit`. */
export interface WasteAuditProps {
  /**
   * When the audit runs.
   *
   * @default - weekly, Mondays at 06:00 UTC
   */
  readonly schedule?: events.Schedule;

  /**
   * How far back usage is read: whole days, 1 to 455 (CloudWatch keeps hourly data for 455 days).
   *
   * @default Duration.days(30)
   */
  readonly lookback?: Duration;

  /**
   * Provisioned throughput whose estimated utilisation is below this fraction is reported. No CloudWatch metric
   * states utilisation: it is estimated as the tokens per minute consumed over the window divided by the model
   * units times `modelUnitTokensPerMinute` of the model.
   *
   * @default 0.6
   */
  readonly utilizationThreshold?: number;

  /**
   * Tokens per minute (input, cache and output tokens together) that one model unit of provisioned throughput
   * serves, by foundation-model id, e.g. `{ 'anthropic.claude-sonnet-4-5-20250929-v1:0': 50_000 }`. AWS shows the
   * figure when you buy provisioned throughput but does not publish it for every model (UNVERIFIED): take it from
   * your purchase. Without it, only idle provisioned throughput is reported.
   *
   * @default - none: utilisation is not estimated
   */
  readonly modelUnitTokensPerMinute?: Record<string, number>;

  /**
   * The bucket the JSON and Markdown reports are written to.
   *
   * @default - a hardened bucket is created (public access blocked, TLS only, versioned, SSE-S3, access logs)
   */
  readonly reportBucket?: s3.IBucket;

  /**
   * Key prefix of the reports: `''` or ending with `/`. Each run writes `<prefix><time>/waste-audit.json` and
   * `.md`.
   *
   * @default 'waste-audit/'
   */
  readonly reportPrefix?: string;

  /**
   * The topic that receives a summary of each run.
   *
   * @default - no summary is sent
   */
  readonly topic?: sns.ITopic;

  /**
   * The cost tag key names; the team key labels findings with the team of the profile or throughput.
   *
   * @default - `team`, `cost-center`, `environment`
   */
  readonly costTagKeys?: CostTagKeys;

  /**
   * What happens to the report bucket the construct creates when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Where the created report bucket's S3 server access logs go.
   *
   * @default - a hardened access-log bucket is created beside the report bucket
   */
  readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * How long the function's logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A scheduled waste audit of Bedrock (weekly by default): a Lambda function lists the knowledge bases, provisioned
 * model throughputs and application inference profiles of the account in the stack's Region, reads their
 * CloudWatch usage over the lookback window, and reports idle knowledge bases, idle profiles, provisioned
 * throughput below the utilisation threshold (estimated: no metric states it) and streaming by non-interactive
 * teams, as JSON and Markdown in S3, with a summary to SNS.
 *
 * The function's code is bundled when this library is built (`assets/waste-audit/index.js`): nothing is bundled or
 * downloaded at synth or deploy time. Its role can only list and read: the Bedrock List calls, `ListTagsForResource`
 * on profiles and provisioned models, `cloudwatch:GetMetricData`, `s3:PutObject` under the report prefix and
 * `sns:Publish` on the topic.
 */
export class WasteAudit extends Construct {
  /** Where the bundled handler is: `<package root>/assets/waste-audit` (tests point it elsewhere). */
  private static assetDirectory = path.join(__dirname, '..', '..', 'assets', ASSET_NAME);

  /** The function that runs the audit. */
  public readonly function: lambda.Function;
  /** The function's role. */
  public readonly role: iam.Role;
  /** The bucket the reports go to. */
  public readonly reportBucket: s3.IBucket;
  /** The key prefix of the reports. */
  public readonly reportPrefix: string;
  /** The schedule rule. */
  public readonly rule: events.Rule;
  /** The function's log group. */
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WasteAuditProps = {}) {
    super(scope, id);
    useBucketPolicyForAccessLogs(this);
    const stack = Stack.of(this);
    const lookbackDays = validateLookback(this, props.lookback);
    const threshold = props.utilizationThreshold ?? 0.6;
    if (!isUnresolved(threshold) && !(Number.isFinite(threshold) && threshold > 0 && threshold <= 1)) {
      throw invalidProp(this, 'utilizationThreshold', threshold, 'the threshold is a fraction of capacity in (0, 1]', 'Pass e.g. 0.6 for 60%');
    }
    const perUnit = props.modelUnitTokensPerMinute ?? {};
    for (const [modelId, tokens] of Object.entries(perUnit)) {
      if (!isUnresolved(modelId) && (!MODEL_ID_PATTERN.test(modelId) || SYSTEM_PROFILE_PREFIX.test(modelId))) {
        throw invalidProp(this, 'modelUnitTokensPerMinute', modelId, 'keys are foundation-model ids (no geo prefix, not ARNs)', "Use e.g. 'anthropic.claude-sonnet-4-5-20250929-v1:0'");
      }
      if (!isUnresolved(tokens) && !(Number.isFinite(tokens) && tokens > 0)) {
        throw invalidProp(this, `modelUnitTokensPerMinute['${modelId}']`, tokens, 'tokens per minute per model unit must be a positive number', 'Pass the figure of your provisioned-throughput purchase');
      }
    }
    this.reportPrefix = props.reportPrefix ?? 'waste-audit/';
    validateReportPrefix(this, this.reportPrefix);

    const assetDir = WasteAudit.assetDirectory;
    if (!fs.existsSync(path.join(assetDir, 'index.js'))) {
      throw new GovernanceValidationError(this, `the bundled waste-audit function is missing (${path.join(assetDir, 'index.js')}). It is built with the library: run \`node_modules/.bin/tsx scripts/bundle-lambdas.ts\` in a checkout, or reinstall the package`);
    }

    this.reportBucket = props.reportBucket ?? hardenedBucket(this, 'ReportBucket', {
      removalPolicy: props.removalPolicy,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: 'waste-audit-report-bucket/',
      purpose: 'Waste-audit reports, written anew every week',
    });
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Bedrock waste audit: reads inventory and CloudWatch usage, writes reports (cdk-bedrock-governance)',
    });
    this.role.addToPolicy(new iam.PolicyStatement({
      sid: 'ListBedrockResourcesAndReadMetrics',
      actions: ['bedrock:ListInferenceProfiles', 'bedrock:ListProvisionedModelThroughputs', 'bedrock:ListKnowledgeBases', 'cloudwatch:GetMetricData'],
      resources: ['*'],
    }));
    const tagResources = this.tagResourceArns();
    this.role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadTeamTags', actions: ['bedrock:ListTagsForResource'], resources: tagResources }));
    const reportObjects = this.reportBucket.arnForObjects(`${this.reportPrefix}*`);
    this.role.addToPolicy(new iam.PolicyStatement({ sid: 'WriteReports', actions: ['s3:PutObject'], resources: [reportObjects] }));
    this.reportBucket.encryptionKey?.grant(this.role, 'kms:GenerateDataKey');
    props.topic?.grantPublish(this.role);
    this.logGroup.grantWrite(this.role);

    const keys = resolveCostTagKeys(props.costTagKeys);
    const environment: Record<string, string> = {
      ACCOUNT_ID: stack.account,
      REPORT_BUCKET: this.reportBucket.bucketName,
      REPORT_PREFIX: this.reportPrefix,
      REPORT_BUCKET_OWNER: this.reportBucket.env.account,
      LOOKBACK_DAYS: String(lookbackDays),
      UTILIZATION_THRESHOLD: String(threshold),
      MODEL_UNIT_TOKENS_PER_MINUTE: stack.toJsonString(perUnit),
      TEAM_TAG_KEY: keys.team,
      INTERACTIVE_TAG_KEY,
    };
    if (props.topic) {
      environment.TOPIC_ARN = props.topic.topicArn;
    }
    this.function = new lambda.Function(this, 'Function', {
      description: 'Bedrock waste audit: idle knowledge bases and profiles, underused provisioned throughput, streaming by non-interactive teams',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(assetDir),
      role: this.role,
      logGroup: this.logGroup,
      timeout: Duration.minutes(10),
      memorySize: 512,
      reservedConcurrentExecutions: 1,
      environment,
    });
    acknowledgeControl(this.function, 'lambda_inside_vpc_check',
      'Weekly audit that only calls AWS APIs (Bedrock, CloudWatch, S3, SNS) and reads no customer data; '
      + 'a VPC would add NAT or interface endpoints for those APIs and no protection (CT.LAMBDA.PR.3)');
    this.function.node.addDependency(this.role);
    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Runs the Bedrock waste audit',
      schedule: props.schedule ?? events.Schedule.cron({ weekDay: 'MON', hour: '6', minute: '0' }),
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 2, maxEventAge: Duration.hours(6) })],
    });

    for (const findingId of iam5ResourceFindingIds(this, ['*'])) {
      Validations.of(this.role).acknowledge({
        id: findingId,
        reason: 'bedrock:ListInferenceProfiles, ListProvisionedModelThroughputs and ListKnowledgeBases, and cloudwatch:GetMetricData, have no resource-level permissions (Service Authorization Reference): they can only be granted on *.',
      });
    }
    for (const findingId of iam5ResourceFindingIds(this, tagResources)) {
      Validations.of(this.role).acknowledge({
        id: findingId,
        reason: 'The audit reads the team tags of every application inference profile and provisioned model it lists in this account and Region, whose ids AWS generates; only ListTagsForResource is allowed on them.',
      });
    }
    if (props.topic?.masterKey) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason: "Publishing to the KMS-encrypted topic needs the topic key's GenerateDataKey* and Decrypt (granted by Topic.grantPublish, on that key only).",
      });
    }
    for (const findingId of iam5ResourceFindingIds(this, [reportObjects])) {
      Validations.of(this.role).acknowledge({
        id: findingId,
        reason: 'Each run writes new report objects named by the run time under the report prefix; only s3:PutObject is allowed, and only under that prefix.',
      });
    }
  }

  private tagResourceArns(): string[] {
    const stack = Stack.of(this);
    return ['application-inference-profile', 'provisioned-model'].map((resource) =>
      stack.formatArn({ service: 'bedrock', resource, resourceName: '*' }));
  }
}

function validateLookback(scope: IConstruct, lookback: Duration | undefined): number {
  if (lookback === undefined) {
    return 30;
  }
  let days: number;
  try {
    days = lookback.toDays({ integral: true });
  } catch {
    throw invalidProp(scope, 'lookback', lookback.toHumanString(), 'the lookback is a whole number of days', 'Pass e.g. Duration.days(30)');
  }
  if (days < 1 || days > 455) {
    throw invalidProp(scope, 'lookback', lookback.toHumanString(), 'the lookback is 1 to 455 days (CloudWatch keeps hourly data for 455 days)', 'Pass e.g. Duration.days(30)');
  }
  return days;
}

function validateReportPrefix(scope: IConstruct, prefix: string): void {
  if (isUnresolved(prefix) || prefix === '') {
    return;
  }
  if (prefix.startsWith('/') || !prefix.endsWith('/') || prefix.includes('//')) {
    const fixed = `${prefix.replace(/^\/+/, '').replace(/\/{2,}/g, '/').replace(/\/+$/, '')}/`;
    throw invalidProp(scope, 'reportPrefix', prefix, "the prefix is '' or a folder path ending with '/' (no leading '/', no '//')", `Use '${fixed === '/' ? 'waste-audit/' : fixed}'`);
  }
}

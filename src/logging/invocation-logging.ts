import { Annotations, ArnFormat, CustomResource, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { BedrockMetricNames } from '../models/metric-names';
import { GovernanceValidationError, invalidProp } from '../private/errors';
import { replicateToArchive, validateArchive } from './private/archive-replication';
import { LOGGING_HANDLER_SOURCE } from './private/logging-handler';
import { registerInvocationLogging } from './private/singleton';
import { acknowledgeControl, CONTROL_TOWER_REASONS, denyCreateGrantExceptForAwsServices } from '../private/control-tower';
import { iam5ResourceFindingIds } from '../private/nag-ids';

/** What happens to the account's model invocation logging setting when the construct is deleted. */
export enum InvocationLoggingOnDelete {
  /**
   * Leave the setting as it is: Bedrock keeps logging to the bucket (and log group). The created
   * buckets' policies and the CloudWatch role are then retained too, so the logging keeps working.
   * Turning audit logging off must be a deliberate act.
   */
  KEEP_LOGGING = 'KEEP_LOGGING',

  /** Call `DeleteModelInvocationLoggingConfiguration`: model invocation logging is turned off for the account and Region. */
  DISABLE_LOGGING = 'DISABLE_LOGGING',
}

/** Delivery of invocation logs to CloudWatch Logs. */
export interface InvocationLoggingCloudWatchOptions {
  /**
   * The log group Bedrock writes to. It must be in the same account and Region.
   *
   * @default - a log group is created, encrypted with `encryptionKey` (or the key the construct creates)
   */
  readonly logGroup?: logs.ILogGroup;

  /**
   * How long the created log group keeps events. Only for the created log group.
   *
   * @default logs.RetentionDays.THIRTEEN_MONTHS (400 days, the bucket's default retention)
   */
  readonly retention?: logs.RetentionDays;
}

/**
 * A central archive that a member account's invocation logs are replicated to (S3 replication across accounts):
 * the outputs of a `CentralInvocationLogArchive`.
 */
export interface InvocationLogArchiveDestination {
  /** ARN of the archive bucket, e.g. `arn:aws:s3:::bedrock-log-archive`. */
  readonly bucketArn: string;

  /** ARN of the archive's KMS key (the key ARN, not an alias): the replicas are encrypted with it. */
  readonly keyArn: string;

  /** The account that owns the archive bucket: the replicas are owned by it. */
  readonly account: string;
}

/** Properties of `InvocationLogging`. */
export interface InvocationLoggingProps {
  /**
   * A bucket you bring for the logs, in the same account and Region, with ACLs disabled
   * (object ownership `BucketOwnerEnforced`).
   *
   * When the bucket is defined in this CDK app, the statement that lets Bedrock write is added to its
   * policy. When it is imported (`Bucket.fromBucketName()` ...) that is not possible: add the statement
   * yourself (a synth warning prints it). Lifecycle, encryption and access logging are then yours.
   *
   * @default - a bucket is created: ACLs disabled, public access blocked, TLS enforced, versioned,
   * SSE-KMS with `encryptionKey` (or the key the construct creates) and an S3 Bucket Key, lifecycle per
   * `retention`, server access logs on
   */
  readonly bucket?: s3.IBucket;

  /**
   * A customer-managed KMS key for the logs: the created bucket (SSE-KMS with an S3 Bucket Key) and the
   * created log group are encrypted with it, and the key policy gets a statement letting
   * `bedrock.amazonaws.com` call `kms:GenerateDataKey` for this account's Bedrock resources in this
   * Region (and one letting CloudWatch Logs use it for the created log group). An imported key's policy
   * cannot be changed: a synth warning prints the statements to add.
   *
   * @default - when the construct creates the bucket or the log group, it creates a key for them too
   * (rotation on, the same removal policy, `kms:CreateGrant` denied except for AWS services); with your
   * own bucket and log group, none
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * A prefix for the log objects, without a leading or trailing `/` (e.g. `bedrock`). Bedrock writes to
   * `<keyPrefix>/AWSLogs/<account>/BedrockModelInvocationLogs/<region>/YYYY/MM/DD/HH/`.
   *
   * @default - no prefix: `AWSLogs/<account>/BedrockModelInvocationLogs/...`
   */
  readonly keyPrefix?: string;

  /**
   * How long the created bucket keeps log objects (whole days). Objects move to S3 Standard-IA after
   * 30 days (if retention is at least 60 days) and to S3 Glacier Instant Retrieval after 90 days (if
   * retention is at least 180 days); both stay readable by Athena without a restore. S3 does not move
   * objects under 128 KB, so most small log files stay in S3 Standard. Noncurrent versions expire 30
   * days after they become noncurrent; incomplete multipart uploads are aborted after 7 days. The
   * created access-log bucket uses the same retention. Only for the created bucket.
   *
   * @default Duration.days(400)
   */
  readonly retention?: Duration;

  /**
   * Where the created bucket's S3 server access logs go (under `bedrock-invocation-logs/`), e.g. your
   * organization's access-log bucket. It must be in the same Region, use SSE-S3, and not require ACLs.
   * Only for the created bucket.
   *
   * Delivery is granted by a bucket policy statement for `logging.s3.amazonaws.com` (never by the
   * `LogDeliveryWrite` ACL, whatever the app's feature flags): added here when the bucket is defined in
   * this app, printed in a synth warning for you to add when it is imported.
   *
   * @default - a dedicated access-log bucket is created (public access blocked, TLS enforced,
   * versioned, SSE-S3, ACLs disabled, same retention)
   */
  readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * What happens to the created buckets and log group when they are removed from the stack or the stack is deleted.
   * `RemovalPolicy.DESTROY` requires `onDelete: InvocationLoggingOnDelete.DISABLE_LOGGING`, otherwise
   * Bedrock would keep logging to a bucket that no longer exists (and whose name anyone could take).
   *
   * @default RemovalPolicy.RETAIN (audit data is never lost by a stack delete)
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Also deliver the logs to CloudWatch Logs. Bedrock assumes a role (created here) to write them;
   * bodies larger than 100 KB, or binary data, go to the bucket instead (`largeDataDeliveryS3Config`,
   * same bucket and prefix).
   *
   * @default - S3 only
   */
  readonly cloudWatch?: InvocationLoggingCloudWatchOptions;

  /**
   * Log the text of requests and responses.
   *
   * @default true
   */
  readonly textData?: boolean;

  /**
   * Log images in requests and responses. Images can be large and may contain personal data.
   *
   * @default false
   */
  readonly imageData?: boolean;

  /**
   * Log the embeddings returned by embedding models (large, and rarely needed for audit or chargeback).
   *
   * @default false
   */
  readonly embeddingData?: boolean;

  /**
   * Log videos in requests and responses (large). Always sent explicitly: every version of the AWS SDK
   * the provider function may run with passes it through.
   *
   * @default false
   */
  readonly videoData?: boolean;

  /**
   * Log audio in requests and responses. The newest of the flags: it is sent only when `true` (when
   * left out, Bedrock's default applies), and a Lambda runtime whose bundled AWS SDK predates the field
   * drops it without an error. After deploying, check with
   * `aws bedrock get-model-invocation-logging-configuration`.
   *
   * @default false
   */
  readonly audioData?: boolean;

  /**
   * What happens to the account's logging setting when this construct (or its stack) is deleted.
   *
   * @default InvocationLoggingOnDelete.KEEP_LOGGING
   */
  readonly onDelete?: InvocationLoggingOnDelete;

  /**
   * An SNS topic the delivery-failure alarms notify.
   *
   * @default - the alarms have no action
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Apply the setting with a Lambda function whose code is inline in the template (no CDK file asset) instead of
   * CDK's `AwsCustomResource` (whose code is a file asset). Needed where the template is deployed by a
   * CloudFormation StackSet (e.g. the member stack of a `MemberStackSet`). The function uses the Bedrock client of
   * the AWS SDK bundled in the Lambda Node.js runtime.
   *
   * @default false
   */
  readonly inlineHandler?: boolean;

  /**
   * Replicate the log files to a central archive bucket in another account (e.g. the organization's log-archive
   * account): a replication role (path `/bedrock-governance/log-archive/`, least privilege) and a replication rule
   * on the created bucket for the logs prefix, selecting the SSE-KMS objects, encrypting the replicas with the
   * archive's key and making the archive's account their owner. Bedrock itself only delivers to a bucket in its
   * own account and Region, hence the replication. Only for the bucket InvocationLogging creates. Objects written
   * before the rule exists are not replicated (S3 Batch Replication copies them).
   *
   * @default - no replication
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
   */
  readonly archive?: InvocationLogArchiveDestination;
}

const BEDROCK_SERVICE = 'bedrock.amazonaws.com';
/** The log stream Bedrock writes to, in the log group it is given. */
const BEDROCK_LOG_STREAM = 'aws/bedrock/modelinvocations';
const PUT_ACTION = 'bedrock:PutModelInvocationLoggingConfiguration';
const DELETE_ACTION = 'bedrock:DeleteModelInvocationLoggingConfiguration';
const DEFAULT_RETENTION_DAYS = 400;
const IA_TRANSITION_DAYS = 30;
const IA_MIN_RETENTION_DAYS = 60;
const GLACIER_IR_TRANSITION_DAYS = 90;
const GLACIER_IR_MIN_RETENTION_DAYS = 180;
const NONCURRENT_EXPIRATION_DAYS = 30;
const ABORT_MULTIPART_DAYS = 7;
const ACCESS_LOGS_PREFIX = 'bedrock-invocation-logs/';
/** CDK's warning when it cannot add the access-log delivery permission itself (we add it). */
const CDK_ACCESS_LOGS_WARNING = '@aws-cdk/aws-s3:accessLogsPolicyNotAdded';

/** Id of the warning when the bucket's policy cannot be changed. */
const BUCKET_POLICY_WARNING = 'cdk-bedrock-governance/logging:bucketPolicyNotAdded';
/** Id of the warning when the server access logs bucket's policy cannot be changed. */
const ACCESS_LOGS_POLICY_WARNING = 'cdk-bedrock-governance/logging:accessLogsPolicyNotAdded';
/** Id of the warning when the key's policy cannot be changed. */
const KEY_POLICY_WARNING = 'cdk-bedrock-governance/logging:keyPolicyNotAdded';

/**
 * Amazon Bedrock model invocation logging for the stack's account and Region: every bedrock-runtime
 * call (Converse, ConverseStream, InvokeModel, InvokeModelWithResponseStream) is logged to S3, and
 * optionally to CloudWatch Logs.
 *
 * There is no CloudFormation resource for this setting, so it is applied with an `AwsCustomResource`
 * calling `PutModelInvocationLoggingConfiguration` on create and update. It is one setting per account
 * and Region: a second `InvocationLogging` for the same environment in one app is a synth error.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html
 */
export class InvocationLogging extends Construct {
  /** The bucket the logs are delivered to. */
  public readonly bucket: s3.IBucket;

  /** The bucket that receives the created bucket's server access logs (undefined when you brought the log bucket). */
  public readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * The role S3 replicates the logs to the central archive with.
   *
   * @default - undefined unless `archive` was given
   */
  public readonly archiveReplicationRole?: iam.IRole;

  /** The KMS key of the logs: the one given, or the one created for the created bucket or log group. */
  public readonly encryptionKey?: kms.IKey;

  /** The log group, when CloudWatch delivery is on. */
  public readonly logGroup?: logs.ILogGroup;

  /** The role Bedrock assumes to write to the log group, when CloudWatch delivery is on. */
  public readonly role?: iam.IRole;

  /** The key prefix given, if any. */
  public readonly keyPrefix?: string;

  /**
   * The key prefix under which Bedrock writes this account's logs:
   * `<keyPrefix>/AWSLogs/<account>/BedrockModelInvocationLogs/` (ends with `/`). Below it come
   * `<region>/YYYY/MM/DD/HH/` folders of gzipped JSON-lines files.
   */
  public readonly logsPrefix: string;

  /** `s3://<bucket>/<logsPrefix>`: where the log files land, e.g. for an Athena table's LOCATION. */
  public readonly logsS3Uri: string;

  /**
   * Alarms on failed log deliveries (sum > 0 over 5 minutes, missing data is not breaching): S3 always,
   * and CloudWatch Logs and large-data S3 delivery when CloudWatch delivery is on.
   */
  public readonly deliveryAlarms: cloudwatch.Alarm[];

  /** What happens to the setting when this construct is deleted. */
  public readonly onDelete: InvocationLoggingOnDelete;

  private readonly customResource?: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: InvocationLoggingProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    this.onDelete = props.onDelete ?? InvocationLoggingOnDelete.KEEP_LOGGING;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const keepLogging = this.onDelete === InvocationLoggingOnDelete.KEEP_LOGGING;
    validateProps(this, props, removalPolicy, keepLogging);
    registerInvocationLogging(this);

    this.keyPrefix = props.keyPrefix;
    // Invocation logs carry prompts and answers: what the library creates is SSE-KMS with a key it makes.
    const createsStorage = !props.bucket || (props.cloudWatch !== undefined && !props.cloudWatch.logGroup);
    const encryptionKey = props.encryptionKey ?? (createsStorage ? this.createKey(removalPolicy) : undefined);
    this.encryptionKey = encryptionKey;
    const sourceConditions = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'bedrock', resource: '*', arnFormat: ArnFormat.NO_RESOURCE_NAME }) },
    };
    this.logsPrefix = `${props.keyPrefix ? `${props.keyPrefix}/` : ''}AWSLogs/${stack.account}/BedrockModelInvocationLogs/`;

    // --- the bucket ---
    const retentionDays = props.retention ? props.retention.toDays() : DEFAULT_RETENTION_DAYS;
    if (props.bucket) {
      this.bucket = props.bucket;
    } else {
      const accessLogs = props.serverAccessLogsBucket ?? this.createAccessLogsBucket(retentionDays, removalPolicy);
      this.serverAccessLogsBucket = accessLogs;
      const bucket = new s3.Bucket(this, 'Bucket', {
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        versioned: true,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        encryption: encryptionKey ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
        encryptionKey,
        bucketKeyEnabled: encryptionKey ? true : undefined,
        // A plain reference, so that CDK does not grant log delivery itself: without the feature flag
        // '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy' it would switch the target to the
        // LogDeliveryWrite ACL, which ACL-less buckets reject. The bucket policy statement is added below.
        serverAccessLogsBucket: s3.Bucket.fromBucketAttributes(this, 'AccessLogsTarget', {
          bucketArn: accessLogs.bucketArn,
          bucketName: accessLogs.bucketName,
        }),
        serverAccessLogsPrefix: ACCESS_LOGS_PREFIX,
        lifecycleRules: lifecycleRules(retentionDays),
        removalPolicy,
      });
      Annotations.of(bucket).acknowledgeWarning(CDK_ACCESS_LOGS_WARNING,
        'InvocationLogging adds the server access log delivery statement to the target bucket\'s policy itself');
      this.allowAccessLogDelivery(accessLogs, bucket);
      acknowledgeControl(bucket, 's3_bucket_object_lock_enabled_check', CONTROL_TOWER_REASONS.logBucketNoObjectLock);
      acknowledgeControl(bucket, 's3_event_notifications_enabled_check', CONTROL_TOWER_REASONS.logBucketNoEventNotifications);
      if (props.archive) {
        this.archiveReplicationRole = replicateToArchive(this, bucket, encryptionKey!, this.logsPrefix, props.archive);
      }
      this.bucket = bucket;
    }
    const objectsArn = this.bucket.arnForObjects(`${this.logsPrefix}*`);
    const bucketStatement = new iam.PolicyStatement({
      sid: 'AllowBedrockModelInvocationLogs',
      principals: [new iam.ServicePrincipal(BEDROCK_SERVICE)],
      actions: ['s3:PutObject'],
      resources: [objectsArn],
      conditions: sourceConditions,
    });
    const bucketPolicy = this.bucket.addToResourcePolicy(bucketStatement);
    if (!bucketPolicy.statementAdded) {
      Annotations.of(this).addWarningV2(BUCKET_POLICY_WARNING,
        `The bucket ${this.bucket.node.path} is not defined in this app, so its policy cannot be changed here. Add this statement to it, or Bedrock cannot deliver the logs: `
        + JSON.stringify(stack.resolve(bucketStatement.toStatementJson())));
    }

    // --- the key ---
    let keyPolicyChanged = false;
    if (encryptionKey) {
      const keyStatements = [new iam.PolicyStatement({
        sid: 'AllowBedrockModelInvocationLogs',
        principals: [new iam.ServicePrincipal(BEDROCK_SERVICE)],
        actions: ['kms:GenerateDataKey'],
        resources: ['*'],
        conditions: sourceConditions,
      })];
      if (props.cloudWatch && !props.cloudWatch.logGroup) {
        keyStatements.push(new iam.PolicyStatement({
          sid: 'AllowCloudWatchLogsForBedrockInvocationLogs',
          principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
          actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          resources: ['*'],
          conditions: {
            ArnLike: {
              'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
            },
          },
        }));
      }
      const missing: iam.PolicyStatement[] = [];
      for (const statement of keyStatements) {
        const added = encryptionKey.addToResourcePolicy(statement);
        if (added.statementAdded) {
          keyPolicyChanged = true;
        } else {
          missing.push(statement);
        }
      }
      if (missing.length > 0) {
        Annotations.of(this).addWarningV2(KEY_POLICY_WARNING,
          `The key ${encryptionKey.node.path} is not defined in this app, so its policy cannot be changed here. Add these statements to its key policy: `
          + JSON.stringify(missing.map((s) => stack.resolve(s.toStatementJson()))));
      }
    }

    // --- CloudWatch Logs ---
    let cloudWatchConfig: Record<string, unknown> | undefined;
    if (props.cloudWatch) {
      this.logGroup = props.cloudWatch.logGroup ?? new logs.LogGroup(this, 'LogGroup', {
        retention: props.cloudWatch.retention ?? logs.RetentionDays.THIRTEEN_MONTHS,
        encryptionKey,
        removalPolicy,
      });
      const streamArn = stack.formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: `${this.logGroup.logGroupName}:log-stream:${BEDROCK_LOG_STREAM}`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
      const role = new iam.Role(this, 'CloudWatchRole', {
        description: 'Assumed by Amazon Bedrock to deliver model invocation logs to CloudWatch Logs',
        assumedBy: new iam.ServicePrincipal(BEDROCK_SERVICE).withConditions(sourceConditions),
        inlinePolicies: {
          DeliverInvocationLogs: new iam.PolicyDocument({
            statements: [new iam.PolicyStatement({
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [streamArn],
            })],
          }),
        },
      });
      if (keepLogging) {
        role.applyRemovalPolicy(RemovalPolicy.RETAIN);
      }
      this.role = role;
      cloudWatchConfig = {
        logGroupName: this.logGroup.logGroupName,
        roleArn: role.roleArn,
        largeDataDeliveryS3Config: s3Config(this.bucket, props.keyPrefix),
      };
    }

    // --- the setting ---
    // The provider runs on the Lambda runtime's bundled AWS SDK v3 (installLatestAwsSdk: false, no network).
    // Older @aws-sdk/client-bedrock versions serialize loggingConfig as plain JSON (unknown members pass
    // through); newer, schema-based versions send only the members they know and drop the rest silently.
    // videoDataDeliveryEnabled was in the model before the switch to schemas, so it always reaches Bedrock
    // and is sent explicitly. audioDataDeliveryEnabled came later: it is sent only when asked for.
    const loggingConfig: Record<string, unknown> = {
      s3Config: s3Config(this.bucket, props.keyPrefix),
      ...(cloudWatchConfig ? { cloudWatchConfig } : {}),
      textDataDeliveryEnabled: props.textData ?? true,
      imageDataDeliveryEnabled: props.imageData ?? false,
      embeddingDataDeliveryEnabled: props.embeddingData ?? false,
      videoDataDeliveryEnabled: props.videoData ?? false,
      ...(props.audioData ? { audioDataDeliveryEnabled: true } : {}),
    };
    const put: cr.AwsSdkCall = {
      service: 'Bedrock',
      action: 'putModelInvocationLoggingConfiguration',
      parameters: { loggingConfig },
      physicalResourceId: cr.PhysicalResourceId.of(`bedrock-invocation-logging-${stack.account}-${stack.region}`),
    };
    const statements = [new iam.PolicyStatement({
      actions: keepLogging ? [PUT_ACTION] : [PUT_ACTION, DELETE_ACTION],
      resources: ['*'],
    })];
    if (this.role) {
      statements.push(new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': BEDROCK_SERVICE } },
      }));
    }
    let setting: IConstruct;
    if (props.inlineHandler) {
      setting = this.createInlineSetting(loggingConfig, statements, !keepLogging, `bedrock-invocation-logging-${stack.account}-${stack.region}`);
    } else {
      this.customResource = new cr.AwsCustomResource(this, 'Resource', {
        onCreate: put,
        onUpdate: put,
        onDelete: keepLogging ? undefined : {
          service: 'Bedrock',
          action: 'deleteModelInvocationLoggingConfiguration',
          parameters: {},
        },
        policy: cr.AwsCustomResourcePolicy.fromStatements(statements),
        installLatestAwsSdk: false,
      });
      setting = this.customResource.node.findChild('Resource');
    }
    // Bedrock checks that it can write (it puts a permission-check object) when the setting is applied:
    // the bucket policy, the key policy and the role must exist first.
    if (bucketPolicy.policyDependable) {
      setting.node.addDependency(bucketPolicy.policyDependable);
    }
    if (encryptionKey && keyPolicyChanged) {
      setting.node.addDependency(encryptionKey);
    }
    if (this.role) {
      setting.node.addDependency(this.role);
    }
    if (keepLogging && !props.bucket) {
      // Keep what the setting needs, so the logging it leaves on keeps working (and its access logging).
      (this.bucket as s3.Bucket).policy?.applyRemovalPolicy(RemovalPolicy.RETAIN);
      if (!props.serverAccessLogsBucket) {
        (this.serverAccessLogsBucket as s3.Bucket).policy?.applyRemovalPolicy(RemovalPolicy.RETAIN);
      }
    }
    this.acknowledgeFindings(stack);

    this.logsS3Uri = `s3://${this.bucket.bucketName}/${this.logsPrefix}`;
    this.deliveryAlarms = this.createAlarms(props);
  }

  /**
   * A metric of one of Bedrock's log-delivery metrics (namespace `AWS/Bedrock`, no dimensions), summed
   * over 5 minutes by default, in the stack's Region.
   *
   * @param metricName e.g. `BedrockMetricNames.LOGS_S3_DELIVERY_FAILURE`
   */
  public metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: BedrockMetricNames.NAMESPACE,
      metricName,
      statistic: cloudwatch.Stats.SUM,
      period: Duration.minutes(5),
      ...props,
    });
  }

  /** Log records that could not be delivered to S3. */
  public metricS3DeliveryFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(BedrockMetricNames.LOGS_S3_DELIVERY_FAILURE, props);
  }

  /** Log records that could not be delivered to CloudWatch Logs. */
  public metricCloudWatchDeliveryFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(BedrockMetricNames.LOGS_CLOUDWATCH_DELIVERY_FAILURE, props);
  }

  /** Large request or response bodies (CloudWatch delivery) that could not be delivered to S3. */
  public metricLargeDataS3DeliveryFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(BedrockMetricNames.LARGE_DATA_S3_DELIVERY_FAILURE, props);
  }

  /**
   * Allow the grantee to read the log files, e.g. for Athena: `s3:GetObject` on the logs prefix,
   * `s3:ListBucket` for keys under it, `s3:GetBucketLocation`, and `kms:Decrypt` on the bucket's KMS key
   * (or `encryptionKey`) if there is one. The one wildcard this needs (the objects under the prefix) is acknowledged for cdk-nag's
   * `AwsSolutions-IAM5` on the grantee, with that reason.
   */
  public grantReadLogs(grantee: iam.IGrantable): iam.Grant {
    const objects = this.bucket.arnForObjects(`${this.logsPrefix}*`);
    let grant = iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [objects] })
      .combine(iam.Grant.addToPrincipal({
        grantee,
        actions: ['s3:ListBucket'],
        resourceArns: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': `${this.logsPrefix}*` } },
      }))
      .combine(iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetBucketLocation'], resourceArns: [this.bucket.bucketArn] }));
    const key = this.bucket.encryptionKey ?? this.encryptionKey;
    if (key) {
      grant = grant.combine(key.grantDecrypt(grantee));
    }
    const principal = grantee.grantPrincipal;
    if (Construct.isConstruct(principal)) {
      for (const id of iam5ResourceFindingIds(principal, [objects])) {
        Validations.of(principal).acknowledge({
          id,
          reason: 'Read access to the model invocation log files: they are written under one prefix with Region/date folders and generated names, so only a prefix wildcard can name them',
        });
      }
    }
    return grant;
  }

  /** Let S3 server access logging write the log bucket's access logs to the target, by bucket policy. */
  private allowAccessLogDelivery(target: s3.IBucket, source: s3.Bucket): void {
    const stack = Stack.of(this);
    // A condition on the source bucket's ARN would make the target's stack depend on this one: only in one stack.
    const sameStack = Stack.of(target) === stack;
    const statement = new iam.PolicyStatement({
      sid: 'AllowBedrockInvocationLogBucketAccessLogs',
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [target.arnForObjects(`${ACCESS_LOGS_PREFIX}*`)],
      conditions: sameStack
        ? { ArnLike: { 'aws:SourceArn': source.bucketArn }, StringEquals: { 'aws:SourceAccount': stack.account } }
        : { StringEquals: { 'aws:SourceAccount': stack.account } },
    });
    if (!target.addToResourcePolicy(statement).statementAdded) {
      Annotations.of(this).addWarningV2(ACCESS_LOGS_POLICY_WARNING,
        `The server access logs bucket ${target.node.path} is not defined in this app, so its policy cannot be changed here. Add this statement to it, or S3 cannot deliver the access logs: `
        + JSON.stringify(stack.resolve(statement.toStatementJson())));
    }
  }

  private createAccessLogsBucket(retentionDays: number, removalPolicy: RemovalPolicy): s3.Bucket {
    const bucket = new s3.Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // S3 server access logging delivers only to buckets encrypted with SSE-S3.
      encryption: s3.BucketEncryption.S3_MANAGED,
      lifecycleRules: [{
        id: 'Retention',
        expiration: Duration.days(retentionDays),
        noncurrentVersionExpiration: Duration.days(NONCURRENT_EXPIRATION_DAYS),
        abortIncompleteMultipartUploadAfter: Duration.days(ABORT_MULTIPART_DAYS),
      }],
      removalPolicy,
    });
    // No AwsSolutions-S1 finding: cdk-nag accepts a bucket that is the access-log target of a bucket in its stack.
    acknowledgeControl(bucket, 's3_bucket_default_encryption_kms_check', CONTROL_TOWER_REASONS.accessLogBucketSseS3);
    acknowledgeControl(bucket, 's3_bucket_logging_enabled_check', CONTROL_TOWER_REASONS.accessLogBucketNoAccessLogs);
    acknowledgeControl(bucket, 's3_bucket_object_lock_enabled_check', CONTROL_TOWER_REASONS.accessLogBucketNoObjectLock);
    acknowledgeControl(bucket, 's3_event_notifications_enabled_check', CONTROL_TOWER_REASONS.logBucketNoEventNotifications);
    return bucket;
  }

  private createKey(removalPolicy: RemovalPolicy): kms.Key {
    const key = new kms.Key(this, 'Key', {
      description: `Encrypts the Bedrock model invocation logs of ${this.node.path}`,
      enableKeyRotation: true,
      removalPolicy,
    });
    denyCreateGrantExceptForAwsServices(key);
    return key;
  }

  private acknowledgeFindings(stack: Stack): void {
    const policy = this.customResource?.node.tryFindChild('CustomResourcePolicy');
    if (policy) {
      Validations.of(policy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'bedrock:PutModelInvocationLoggingConfiguration and bedrock:DeleteModelInvocationLoggingConfiguration support no resource-level permissions '
          + '(the setting belongs to the account and Region), so IAM requires Resource "*"',
      });
    }
    const provider = stack.node.tryFindChild(`AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
    if (provider) {
      Validations.of(provider).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'CDK\'s singleton AwsCustomResource provider function; the AWS managed policy only lets it write its own CloudWatch Logs',
      });
      // Today CDK picks a runtime cdk-nag also considers the latest; when one moves ahead of the other, the
      // finding is about CDK's choice, not this library's.
      Validations.of(provider).acknowledge({
        id: 'AwsSolutions-L1',
        reason: 'CDK\'s singleton AwsCustomResource provider function: CDK picks its runtime (the latest Node.js runtime it knows for the Region), not this library',
      });
      acknowledgeControl(provider, 'lambda_inside_vpc_check', CONTROL_TOWER_REASONS.lambdaOutsideVpc);
    }
  }

  /** The setting as a custom resource backed by an inline-code function (no file asset). */
  private createInlineSetting(
    loggingConfig: Record<string, unknown>, statements: iam.PolicyStatement[], deleteOnRemove: boolean, physicalId: string,
  ): IConstruct {
    const handler = new Construct(this, 'Handler');
    const logGroup = new logs.LogGroup(handler, 'LogGroup', { retention: logs.RetentionDays.ONE_YEAR });
    const role = new iam.Role(handler, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Applies the Bedrock model invocation logging setting of this account and Region (cdk-bedrock-governance)',
    });
    statements.forEach((statement) => role.addToPrincipalPolicy(statement));
    logGroup.grantWrite(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'bedrock:PutModelInvocationLoggingConfiguration and bedrock:DeleteModelInvocationLoggingConfiguration support no resource-level permissions '
        + '(the setting belongs to the account and Region), so IAM requires Resource "*"',
    });
    const fn = new lambda.Function(handler, 'Function', {
      description: 'Applies the Bedrock model invocation logging setting (cdk-bedrock-governance)',
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(LOGGING_HANDLER_SOURCE),
      timeout: Duration.minutes(1),
      role,
      logGroup,
    });
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: fn.functionArn,
      resourceType: 'Custom::BedrockInvocationLogging',
      properties: { LoggingConfig: loggingConfig, DeleteOnRemove: deleteOnRemove, PhysicalId: physicalId },
    });
    return resource.node.defaultChild!;
  }

  private createAlarms(props: InvocationLoggingProps): cloudwatch.Alarm[] {
    const specs: Array<[string, cloudwatch.Metric, string]> = [
      ['S3DeliveryFailureAlarm', this.metricS3DeliveryFailures(), 'S3'],
    ];
    if (props.cloudWatch) {
      specs.push(['CloudWatchDeliveryFailureAlarm', this.metricCloudWatchDeliveryFailures(), 'CloudWatch Logs']);
      specs.push(['LargeDataS3DeliveryFailureAlarm', this.metricLargeDataS3DeliveryFailures(), 'S3 (large request/response bodies)']);
    }
    return specs.map(([id, metric, destination]) => {
      const alarm = new cloudwatch.Alarm(this, id, {
        metric,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `Amazon Bedrock could not deliver model invocation logs to ${destination} (${metric.metricName} > 0): `
          + 'check the bucket policy, key policy, log group and role',
      });
      if (props.alarmTopic) {
        alarm.addAlarmAction(new cloudwatchActions.SnsAction(props.alarmTopic));
      }
      return alarm;
    });
  }
}

function s3Config(bucket: s3.IBucket, keyPrefix: string | undefined): Record<string, string> {
  return keyPrefix === undefined ? { bucketName: bucket.bucketName } : { bucketName: bucket.bucketName, keyPrefix };
}

function lifecycleRules(retentionDays: number): s3.LifecycleRule[] {
  const transitions: s3.Transition[] = [];
  if (retentionDays >= IA_MIN_RETENTION_DAYS) {
    transitions.push({ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(IA_TRANSITION_DAYS) });
  }
  if (retentionDays >= GLACIER_IR_MIN_RETENTION_DAYS) {
    transitions.push({ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(GLACIER_IR_TRANSITION_DAYS) });
  }
  return [{
    id: 'Retention',
    expiration: Duration.days(retentionDays),
    transitions: transitions.length > 0 ? transitions : undefined,
    noncurrentVersionExpiration: Duration.days(NONCURRENT_EXPIRATION_DAYS),
    abortIncompleteMultipartUploadAfter: Duration.days(ABORT_MULTIPART_DAYS),
  }];
}

function validateProps(scope: InvocationLogging, props: InvocationLoggingProps, removalPolicy: RemovalPolicy, keepLogging: boolean): void {
  const prefix = props.keyPrefix;
  if (prefix !== undefined && !Token.isUnresolved(prefix)) {
    if (prefix.length === 0) {
      throw invalidProp(scope, 'keyPrefix', prefix, 'an empty prefix is not a prefix', 'Omit keyPrefix to write under the bucket root');
    }
    if (prefix.startsWith('/')) {
      throw invalidProp(scope, 'keyPrefix', prefix, "S3 keys do not start with '/'", `Use '${prefix.replace(/^\/+/, '')}'`);
    }
    if (prefix.endsWith('/')) {
      throw invalidProp(scope, 'keyPrefix', prefix, "Bedrock adds '/AWSLogs/...' after the prefix itself", `Use '${prefix.replace(/\/+$/, '')}'`);
    }
    if (prefix.includes('//')) {
      throw invalidProp(scope, 'keyPrefix', prefix, "'//' makes an empty folder name in the key", `Use '${prefix.replace(/\/{2,}/g, '/')}'`);
    }
  }
  if (props.retention && !props.retention.isUnresolved()) {
    const hours = props.retention.toHours({ integral: false });
    if (hours < 24 || hours % 24 !== 0) {
      throw invalidProp(scope, 'retention', props.retention.toHumanString(), 'S3 lifecycle expiration is a whole number of days, at least 1',
        'Use Duration.days(n) with a whole n >= 1');
    }
  }
  if (props.archive) {
    validateArchive(scope, props.archive);
  }
  if (props.bucket) {
    if (props.archive) {
      throw new GovernanceValidationError(scope,
        `invalid archive: it applies only to the bucket InvocationLogging creates, and a bucket was given (${props.bucket.node.path}). `
        + 'Configure replication on your bucket, or drop the bucket prop');
    }
    for (const [name, value] of [['retention', props.retention], ['serverAccessLogsBucket', props.serverAccessLogsBucket]] as const) {
      if (value !== undefined) {
        throw new GovernanceValidationError(scope,
          `invalid ${name}: it applies only to the bucket InvocationLogging creates, and a bucket was given (${props.bucket.node.path}). `
          + `Configure ${name === 'retention' ? 'lifecycle rules' : 'server access logging'} on your bucket, or drop the bucket prop`);
      }
    }
    checkSameEnvironment(scope, 'bucket', props.bucket);
  }
  if (props.cloudWatch?.logGroup) {
    if (props.cloudWatch.retention !== undefined) {
      throw new GovernanceValidationError(scope,
        `invalid cloudWatch.retention: it applies only to the log group InvocationLogging creates, and a log group was given (${props.cloudWatch.logGroup.node.path}). `
        + 'Set the retention on your log group, or drop cloudWatch.logGroup');
    }
    checkSameEnvironment(scope, 'cloudWatch.logGroup', props.cloudWatch.logGroup);
  }
  if (removalPolicy === RemovalPolicy.DESTROY && keepLogging) {
    throw new GovernanceValidationError(scope,
      'invalid removalPolicy DESTROY with onDelete KEEP_LOGGING: deleting the stack would delete the log bucket while Bedrock keeps logging to its name, '
      + 'which anyone could then claim. Set onDelete: InvocationLoggingOnDelete.DISABLE_LOGGING, or keep RemovalPolicy.RETAIN');
  }
}

function checkSameEnvironment(scope: InvocationLogging, prop: string, resource: s3.IBucket | logs.ILogGroup): void {
  const stack = Stack.of(scope);
  const { account, region } = resource.env;
  const differs = (a: string, b: string) => !Token.isUnresolved(a) && !Token.isUnresolved(b) && a !== b;
  if (differs(account, stack.account) || differs(region, stack.region)) {
    throw invalidProp(scope, prop, resource.node.path,
      `Bedrock delivers invocation logs only within its own account and Region (account ${stack.account}, Region ${stack.region}); this one is in account ${account}, Region ${region}`,
      `Use one in account ${stack.account} and Region ${stack.region}, or deploy InvocationLogging there`);
  }
}

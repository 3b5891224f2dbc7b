import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeControl, CONTROL_TOWER_REASONS } from './control-tower';

/** Options of a hardened bucket (billing exports, query results, audit reports). */
export interface HardenedBucketOptions {
  /** What happens to the bucket when it leaves the stack. */
  readonly removalPolicy?: RemovalPolicy;
  /** Where S3 server access logs go; a hardened log bucket is created beside the bucket when absent. */
  readonly serverAccessLogsBucket?: s3.IBucket;
  /** Key prefix of the access logs. */
  readonly serverAccessLogsPrefix: string;
  /** How long noncurrent object versions are kept (default 30 days). */
  readonly noncurrentVersionExpiration?: Duration;
  /** The bucket's name. */
  readonly bucketName?: string;
  /** Encrypt with this KMS key (SSE-KMS with an S3 Bucket Key) instead of SSE-S3. */
  readonly encryptionKey?: kms.IKey;
  /** How long current objects are kept. */
  readonly expiration?: Duration;
  /**
   * What the bucket holds and why its objects change, for the reasons of the Control Tower controls it does not
   * meet (Object Lock, event notifications), e.g. 'Athena query results, expired after 30 days'.
   */
  readonly purpose: string;
}

/**
 * Feature flag that makes CDK grant S3 server access log delivery through the log bucket's policy instead of the
 * `LogDeliveryWrite` ACL, which ACL-free (BucketOwnerEnforced) buckets cannot take.
 */
const SERVER_ACCESS_LOGS_USE_BUCKET_POLICY = '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy';

/**
 * Make the buckets below `scope` take server access logs through a bucket policy. Call it in a construct's
 * constructor before it adds any child.
 */
export function useBucketPolicyForAccessLogs(scope: Construct): void {
  scope.node.setContext(SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
}

/** The settings every bucket of this library shares. */
function hardening(removalPolicy: RemovalPolicy | undefined): s3.BucketProps {
  return {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    encryption: s3.BucketEncryption.S3_MANAGED,
    removalPolicy: removalPolicy ?? RemovalPolicy.RETAIN,
  };
}

/**
 * A bucket with public access blocked, TLS 1.2+ enforced, versioning, ACLs disabled, SSE-S3 (or SSE-KMS) encryption, the given
 * removal policy (RETAIN by default), server access logs, and lifecycle rules that expire noncurrent versions and
 * abort incomplete multipart uploads.
 */
export function hardenedBucket(scope: Construct, id: string, options: HardenedBucketOptions): s3.Bucket {
  const serverAccessLogsBucket = options.serverAccessLogsBucket ?? accessLogsBucket(scope, `${id}AccessLogs`, options.removalPolicy);
  const bucket = new s3.Bucket(scope, id, {
    ...hardening(options.removalPolicy),
    ...(options.encryptionKey
      ? { encryption: s3.BucketEncryption.KMS, encryptionKey: options.encryptionKey, bucketKeyEnabled: true }
      : {}),
    bucketName: options.bucketName,
    serverAccessLogsBucket,
    serverAccessLogsPrefix: options.serverAccessLogsPrefix,
    lifecycleRules: [{
      id: 'ExpireNoncurrentVersionsAndIncompleteUploads',
      noncurrentVersionExpiration: options.noncurrentVersionExpiration ?? Duration.days(30),
      abortIncompleteMultipartUploadAfter: Duration.days(7),
      expiration: options.expiration,
    }],
  });
  acknowledgeControl(bucket, 's3_bucket_object_lock_enabled_check',
    `${options.purpose}: objects are replaced or expired by design, which Object Lock would forbid (CT.S3.PR.9)`);
  acknowledgeControl(bucket, 's3_event_notifications_enabled_check',
    `${options.purpose}: nothing consumes its object events; turn on EventBridge notifications if a pipeline needs them (CT.S3.PR.4)`);
  return bucket;
}

/**
 * The bucket that receives server access logs: hardened the same way (S3 delivers access logs only to SSE-S3
 * buckets); it does not log itself, and cdk-nag accepts it as the access-log target of a bucket in its stack.
 */
function accessLogsBucket(scope: Construct, id: string, removalPolicy: RemovalPolicy | undefined): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    ...hardening(removalPolicy),
    lifecycleRules: [{
      id: 'ExpireNoncurrentVersionsAndIncompleteUploads',
      noncurrentVersionExpiration: Duration.days(30),
      abortIncompleteMultipartUploadAfter: Duration.days(7),
    }],
  });
  acknowledgeControl(bucket, 's3_bucket_default_encryption_kms_check', CONTROL_TOWER_REASONS.accessLogBucketSseS3);
  acknowledgeControl(bucket, 's3_bucket_logging_enabled_check', CONTROL_TOWER_REASONS.accessLogBucketNoAccessLogs);
  acknowledgeControl(bucket, 's3_bucket_object_lock_enabled_check',
    'Server access logs expire by lifecycle rule with the bucket they describe; Object Lock would keep them past a deliberate deletion (CT.S3.PR.9)');
  acknowledgeControl(bucket, 's3_event_notifications_enabled_check',
    'Nothing consumes the object events of server access logs; turn on EventBridge notifications if a pipeline needs them (CT.S3.PR.4)');
  return bucket;
}

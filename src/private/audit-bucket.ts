import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Options of a hardened bucket of the audit area. */
export interface AuditBucketOptions {
  /** What happens to the bucket when it leaves the stack (default RETAIN). */
  readonly removalPolicy?: RemovalPolicy;
  /** Where S3 server access logs go; a hardened log bucket is created beside the bucket when absent. */
  readonly serverAccessLogsBucket?: s3.IBucket;
  /** Key prefix of the access logs. */
  readonly serverAccessLogsPrefix: string;
  /** How long current objects are kept (default: forever). */
  readonly expiration?: Duration;
}

/**
 * Feature flag that makes CDK grant S3 server access log delivery through the log bucket's policy instead of the
 * `LogDeliveryWrite` ACL, which ACL-free (BucketOwnerEnforced) buckets cannot take. Set it on a construct before it
 * adds buckets.
 */
export function useBucketPolicyForServerAccessLogs(scope: Construct): void {
  scope.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
}

function hardened(removalPolicy: RemovalPolicy | undefined): s3.BucketProps {
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
 * A bucket with public access blocked, TLS 1.2+ enforced, versioning, ACLs disabled, SSE-S3 encryption, the given
 * removal policy (RETAIN by default), server access logs, and a lifecycle rule that expires noncurrent versions
 * after 30 days and aborts incomplete multipart uploads after 7.
 */
export function auditBucket(scope: Construct, id: string, options: AuditBucketOptions): s3.Bucket {
  const serverAccessLogsBucket = options.serverAccessLogsBucket ?? new s3.Bucket(scope, `${id}AccessLogs`, {
    ...hardened(options.removalPolicy),
    lifecycleRules: [{ id: 'ExpireNoncurrentVersionsAndIncompleteUploads', noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(7) }],
  });
  return new s3.Bucket(scope, id, {
    ...hardened(options.removalPolicy),
    serverAccessLogsBucket,
    serverAccessLogsPrefix: options.serverAccessLogsPrefix,
    lifecycleRules: [{
      id: 'ExpireNoncurrentVersionsAndIncompleteUploads',
      noncurrentVersionExpiration: Duration.days(30),
      abortIncompleteMultipartUploadAfter: Duration.days(7),
      expiration: options.expiration,
    }],
  });
}

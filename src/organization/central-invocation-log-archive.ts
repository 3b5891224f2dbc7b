import { Aws, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { InvocationLogArchiveDestination } from '../logging/invocation-logging';
import { denyCreateGrantExceptForAwsServices } from '../private/control-tower';
import { invalidProp } from '../private/errors';
import { hardenedBucket, useBucketPolicyForAccessLogs } from '../private/hardened-bucket';
import { ARCHIVE_REPLICATION_ACTIONS, ARCHIVE_REPLICATION_ROLE_PATH } from '../private/log-archive';

const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const ACCOUNT_ID = /^\d{12}$/;
const DEFAULT_RETENTION_DAYS = 400;

/** Properties of a `CentralInvocationLogArchive`. */
export interface CentralInvocationLogArchiveProps {
  /**
   * The organization (`o-…`) whose accounts may replicate into the archive: the bucket and key policies admit
   * principals with this `aws:PrincipalOrgID` only.
   */
  readonly organizationId: string;

  /**
   * Admit only these accounts of the organization (`aws:PrincipalAccount`), e.g. the accounts of the member
   * StackSets.
   *
   * @default - every account of the organization
   */
  readonly sourceAccounts?: string[];

  /**
   * The `keyPrefix` of the members' invocation logging: replicas land under
   * `<keyPrefix>/AWSLogs/<account>/BedrockModelInvocationLogs/`, and each account may write under its own
   * account folder only.
   *
   * @default - no prefix (the members' default)
   */
  readonly keyPrefix?: string;

  /**
   * Name of the archive bucket. The key policy names the bucket, so the name is fixed at synthesis.
   *
   * @default - `bedrock-invocation-log-archive-<account>-<region>`
   */
  readonly bucketName?: string;

  /**
   * How long the archive keeps log objects (whole days).
   *
   * @default Duration.days(400)
   */
  readonly retention?: Duration;

  /**
   * What happens to the archive bucket and its key when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Where the archive bucket's S3 server access logs go (SSE-S3, same Region).
   *
   * @default - a hardened access-log bucket is created beside the archive
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
}

/**
 * One bucket in a log-archive (or management) account that holds the Bedrock model invocation logs of the
 * organization's member accounts. Bedrock delivers logs only to a bucket of its own account and Region, so the
 * members' log buckets replicate to this one (`InvocationLogging`'s `archive` option, given `destination`).
 *
 * The bucket: SSE-KMS with its own key (rotation on, `kms:CreateGrant` for AWS services only), TLS enforced,
 * public access blocked, ACLs disabled, versioned, retained, server access logs, objects expired after
 * `retention`. Its policy lets the replication roles of the organization's accounts (`aws:PrincipalOrgID`, IAM
 * path `/bedrock-governance/log-archive/`) replicate objects into their own account's folder only
 * (`AWSLogs/${aws:PrincipalAccount}/`); the key policy lets the same roles encrypt through S3.
 */
export class CentralInvocationLogArchive extends Construct {
  /** The archive bucket. */
  public readonly bucket: s3.Bucket;

  /** The archive's KMS key. */
  public readonly encryptionKey: kms.Key;

  /** The organization admitted. */
  public readonly organizationId: string;

  /** The key prefix of the members' logs (empty string: none). */
  public readonly keyPrefix: string;

  /** What the members' `InvocationLogging` takes as `archive`. */
  public readonly destination: InvocationLogArchiveDestination;

  constructor(scope: Construct, id: string, props: CentralInvocationLogArchiveProps) {
    super(scope, id);
    useBucketPolicyForAccessLogs(this);
    validateProps(this, props);
    const stack = Stack.of(this);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.organizationId = props.organizationId;
    this.keyPrefix = props.keyPrefix ? `${props.keyPrefix}/` : '';

    this.encryptionKey = new kms.Key(this, 'Key', {
      description: `Encrypts the central archive of Bedrock model invocation logs (${this.node.path})`,
      enableKeyRotation: true,
      removalPolicy,
    });
    denyCreateGrantExceptForAwsServices(this.encryptionKey);

    const bucketName = props.bucketName ?? `bedrock-invocation-log-archive-${stack.account}-${stack.region}`;
    // The key policy names the bucket by its name (a reference to the bucket would make key and bucket depend on each other).
    const bucketArn = stack.formatArn({ service: 's3', region: '', account: '', resource: bucketName });
    this.bucket = hardenedBucket(this, 'Bucket', {
      bucketName,
      removalPolicy,
      encryptionKey: this.encryptionKey,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: 'bedrock-invocation-log-archive/',
      expiration: Duration.days(props.retention ? props.retention.toDays() : DEFAULT_RETENTION_DAYS),
      purpose: 'Central archive of Bedrock invocation logs, which hold prompts that may contain personal data and must stay deletable on request; retention by lifecycle rule',
    });

    const principalConditions: Record<string, Record<string, unknown>> = {
      StringEquals: {
        'aws:PrincipalOrgID': props.organizationId,
        ...(props.sourceAccounts ? { 'aws:PrincipalAccount': props.sourceAccounts } : {}),
      },
      ArnLike: { 'aws:PrincipalArn': `arn:${Aws.PARTITION}:iam::*:role${ARCHIVE_REPLICATION_ROLE_PATH}*` },
    };
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowOrganizationLogReplication',
      principals: [new iam.AnyPrincipal()],
      actions: ARCHIVE_REPLICATION_ACTIONS,
      resources: [this.bucket.arnForObjects(`${this.keyPrefix}AWSLogs/\${aws:PrincipalAccount}/BedrockModelInvocationLogs/*`)],
      conditions: principalConditions,
    }));
    this.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowOrganizationLogReplicationToEncrypt',
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: {
        ...principalConditions,
        StringEquals: { ...principalConditions.StringEquals, 'kms:ViaService': `s3.${stack.region}.amazonaws.com` },
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucketArn, `${bucketArn}/*`] },
      },
    }));

    this.destination = { bucketArn: this.bucket.bucketArn, keyArn: this.encryptionKey.keyArn, account: stack.account };
  }

  /**
   * Allow the grantee to read the archived logs (e.g. the role Athena runs as): `s3:GetObject` under the logs
   * prefix, `s3:ListBucket`, and `kms:Decrypt` on the archive's key.
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.bucket.grantRead(grantee, `${this.keyPrefix}AWSLogs/*`);
  }
}

function validateProps(scope: Construct, props: CentralInvocationLogArchiveProps): void {
  if (!Token.isUnresolved(props.organizationId) && !ORGANIZATION_ID.test(props.organizationId)) {
    throw invalidProp(scope, 'organizationId', props.organizationId, 'not an organization id (o- then 10 to 32 lower-case letters or digits)',
      'Pass the id shown by `aws organizations describe-organization`');
  }
  if (props.sourceAccounts !== undefined && props.sourceAccounts.length === 0) {
    throw invalidProp(scope, 'sourceAccounts', [], 'an empty list admits no account', 'Leave sourceAccounts out to admit every account of the organization, or name at least one');
  }
  for (const account of props.sourceAccounts ?? []) {
    if (!Token.isUnresolved(account) && !ACCOUNT_ID.test(account)) {
      throw invalidProp(scope, 'sourceAccounts', account, 'an account id is 12 digits', 'Pass the id shown by `aws organizations list-accounts`');
    }
  }
  const prefix = props.keyPrefix;
  if (prefix !== undefined && !Token.isUnresolved(prefix) && (prefix.length === 0 || prefix.startsWith('/') || prefix.endsWith('/') || prefix.includes('*'))) {
    throw invalidProp(scope, 'keyPrefix', prefix, 'the members\' keyPrefix has no leading or trailing \'/\' and no \'*\'', 'Pass the same keyPrefix as the members\' invocationLogging, or omit it');
  }
  const name = props.bucketName;
  if (name !== undefined && !Token.isUnresolved(name) && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) {
    throw invalidProp(scope, 'bucketName', name, 'a bucket name is 3-63 lower-case letters, digits, \'.\' and \'-\', starting and ending with a letter or digit',
      'Pick a name such as \'bedrock-invocation-log-archive\'');
  }
  if (props.retention && !props.retention.isUnresolved()) {
    const hours = props.retention.toHours({ integral: false });
    if (hours < 24 || hours % 24 !== 0) {
      throw invalidProp(scope, 'retention', props.retention.toHumanString(), 'S3 lifecycle expiration is a whole number of days, at least 1',
        'Use Duration.days(n) with a whole n >= 1');
    }
  }
}

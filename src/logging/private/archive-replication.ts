import { Arn, ArnFormat, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { invalidProp } from '../../private/errors';
import { ARCHIVE_REPLICATION_ACTIONS, ARCHIVE_REPLICATION_ROLE_PATH } from '../../private/log-archive';
import { iam5ResourceFindingIds } from '../../private/nag-ids';

const BUCKET_ARN = /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(mrk-)?[0-9a-f-]+$/;
const ACCOUNT_ID = /^\d{12}$/;

/** What the replication needs to know of the archive (see `InvocationLogArchiveDestination`). */
export interface ArchiveTarget {
  readonly bucketArn: string;
  readonly keyArn: string;
  readonly account: string;
}

/** Validate the archive's ARNs and account (tokens pass). */
export function validateArchive(scope: Construct, archive: ArchiveTarget): void {
  if (!Token.isUnresolved(archive.bucketArn) && !BUCKET_ARN.test(archive.bucketArn)) {
    throw invalidProp(scope, 'archive.bucketArn', archive.bucketArn, 'not the ARN of a bucket',
      'Pass the archive bucket\'s ARN, e.g. \'arn:aws:s3:::bedrock-log-archive\' (CentralInvocationLogArchive\'s destination.bucketArn)');
  }
  if (!Token.isUnresolved(archive.keyArn) && !KEY_ARN.test(archive.keyArn)) {
    throw invalidProp(scope, 'archive.keyArn', archive.keyArn, 'not the ARN of a KMS key (an alias does not work in the replication role\'s policy)',
      'Pass the key ARN, arn:aws:kms:<region>:<account>:key/<id> (CentralInvocationLogArchive\'s destination.keyArn)');
  }
  if (!Token.isUnresolved(archive.account) && !ACCOUNT_ID.test(archive.account)) {
    throw invalidProp(scope, 'archive.account', archive.account, 'an account id is 12 digits', 'Pass the id of the account that owns the archive bucket');
  }
}

/**
 * Replicate the objects under `logsPrefix` of `bucket` (SSE-KMS with `sourceKey`) to the archive: a replication
 * role of least privilege and the bucket's replication configuration (SSE-KMS objects selected, replicas
 * encrypted with the archive's key and owned by the archive's account). Returns the role.
 */
export function replicateToArchive(scope: Construct, bucket: s3.Bucket, sourceKey: kms.IKey, logsPrefix: string, archive: ArchiveTarget): iam.Role {
  const stack = Stack.of(scope);
  const archiveRegion = Arn.split(archive.keyArn, ArnFormat.SLASH_RESOURCE_NAME).region!;
  const sourceObjects = bucket.arnForObjects(`${logsPrefix}*`);
  const replicas = `${archive.bucketArn}/${logsPrefix}*`;
  const role = new iam.Role(scope, 'ArchiveReplicationRole', {
    assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
    path: ARCHIVE_REPLICATION_ROLE_PATH,
    description: 'Replicates this account\'s Bedrock model invocation logs to the organization\'s central archive',
  });
  const statements = [
    new iam.PolicyStatement({
      sid: 'ReadReplicationConfiguration',
      actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
      resources: [bucket.bucketArn],
    }),
    new iam.PolicyStatement({
      sid: 'ReadLogObjectVersions',
      actions: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
      resources: [sourceObjects],
    }),
    new iam.PolicyStatement({
      sid: 'ReplicateToArchive',
      actions: ARCHIVE_REPLICATION_ACTIONS,
      resources: [replicas],
    }),
    new iam.PolicyStatement({
      sid: 'DecryptLogObjects',
      actions: ['kms:Decrypt'],
      resources: [sourceKey.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` },
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucket.bucketArn, `${bucket.bucketArn}/*`] },
      },
    }),
    new iam.PolicyStatement({
      sid: 'EncryptReplicas',
      actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [archive.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': `s3.${archiveRegion}.amazonaws.com` },
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': [archive.bucketArn, `${archive.bucketArn}/*`] },
      },
    }),
  ];
  const policy = new iam.Policy(scope, 'ArchiveReplicationPolicy', { statements, roles: [role] });
  for (const id of iam5ResourceFindingIds(policy, [sourceObjects, replicas])) {
    Validations.of(policy).acknowledge({
      id,
      reason: 'Replication of the model invocation log files: Bedrock writes them under one prefix with Region/date folders and generated names, so only a prefix wildcard can name them (source objects and their replicas)',
    });
  }
  const cfnBucket = bucket.node.defaultChild as s3.CfnBucket;
  cfnBucket.replicationConfiguration = {
    role: role.roleArn,
    rules: [{
      id: 'ArchiveInvocationLogs',
      status: 'Enabled',
      priority: 1,
      filter: { prefix: logsPrefix },
      deleteMarkerReplication: { status: 'Disabled' },
      sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
      destination: {
        bucket: archive.bucketArn,
        account: archive.account,
        accessControlTranslation: { owner: 'Destination' },
        encryptionConfiguration: { replicaKmsKeyId: archive.keyArn },
      },
    }],
  };
  return role;
}


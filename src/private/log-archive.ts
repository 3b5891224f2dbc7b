/**
 * IAM path of the roles that replicate invocation logs to a central archive. `InvocationLogging` gives its
 * replication role this path and `CentralInvocationLogArchive` admits only roles of this path (of accounts of the
 * organization): the two areas share it from here.
 */
export const ARCHIVE_REPLICATION_ROLE_PATH = '/bedrock-governance/log-archive/';

/** The actions S3 replication needs on the destination's objects, in the role's policy and the bucket's. */
export const ARCHIVE_REPLICATION_ACTIONS = ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags', 's3:ObjectOwnerOverrideToBucketOwner'];

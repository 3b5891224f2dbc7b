import { Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Options of a query workgroup. */
export interface QueryWorkGroupOptions {
  /** The workgroup name. */
  readonly name: string;
  /** The workgroup description. */
  readonly description: string;
  /** The bucket query results go to. */
  readonly resultsBucket: s3.IBucket;
  /** The key prefix of the results in that bucket. */
  readonly resultsPrefix: string;
  /** The most bytes one query may scan. */
  readonly bytesScannedCutoffPerQuery?: number;
}

/**
 * An Athena workgroup (construct id `WorkGroup`) whose settings are enforced on every query: engine version 3,
 * CloudWatch metrics, results SSE-S3 encrypted in the given bucket owned by this account, deleted with its queries.
 */
export function queryWorkGroup(scope: Construct, options: QueryWorkGroupOptions): athena.CfnWorkGroup {
  return new athena.CfnWorkGroup(scope, 'WorkGroup', {
    name: options.name,
    description: options.description,
    state: 'ENABLED',
    recursiveDeleteOption: true,
    workGroupConfiguration: {
      enforceWorkGroupConfiguration: true,
      publishCloudWatchMetricsEnabled: true,
      requesterPaysEnabled: false,
      bytesScannedCutoffPerQuery: options.bytesScannedCutoffPerQuery,
      engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
      resultConfiguration: {
        outputLocation: `s3://${options.resultsBucket.bucketName}/${options.resultsPrefix}/`,
        expectedBucketOwner: Stack.of(scope).account,
        encryptionConfiguration: { encryptionOption: 'SSE_S3' },
      },
    },
  });
}

import { Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { invalidProp } from './errors';
import { isUnresolved } from './validate';

/** Glue database and table names as Athena reads them. */
export const GLUE_NAME_PATTERN = /^[a-z0-9_]{1,255}$/;
/** Athena workgroup names. */
export const WORK_GROUP_NAME_PATTERN = /^[a-zA-Z0-9._-]{1,128}$/;
/** A billing period, `YYYY-MM`. */
export const BILLING_PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
/** The key prefix of query results in a query construct's results bucket. */
export const QUERY_RESULTS_PREFIX = 'athena-results';

/**
 * Checks a Glue database or table name (`kind` 'glue') or an Athena workgroup name ('workGroup') passed as `prop`;
 * the error suggests a valid spelling of the value (or `fallback` when nothing of it is left). Tokens pass.
 */
export function validateQueryName(scope: IConstruct, prop: string, value: string | undefined, kind: 'glue' | 'workGroup', fallback: string): void {
  if (value === undefined || isUnresolved(value)) {
    return;
  }
  if (kind === 'workGroup' && !WORK_GROUP_NAME_PATTERN.test(value)) {
    const suggestion = value.replace(/[^a-zA-Z0-9._-]+/g, '-').slice(0, 128) || fallback;
    throw invalidProp(scope, prop, value, 'Athena workgroup names are 1-128 letters, digits, \'.\', \'_\' and \'-\'', `Use e.g. '${suggestion}'`);
  }
  if (kind === 'glue' && !GLUE_NAME_PATTERN.test(value)) {
    const suggestion = value.toLowerCase().replace(/[^a-z0-9_]+/g, '_').slice(0, 255) || fallback;
    const what = prop === 'tableName' ? 'Glue table names' : 'Glue database names';
    throw invalidProp(scope, prop, value, `${what} (as Athena reads them) may contain only lower-case letters, digits and '_'`, `Use e.g. '${suggestion}'`);
  }
}

/** What a query construct grants a principal that runs its named queries. */
export interface QueryGrantOptions {
  /** The workgroup the queries run in. */
  readonly workGroup: athena.CfnWorkGroup;
  /** The Glue database and table the queries read. */
  readonly databaseName: string;
  readonly tableName: string;
  /** The bucket the data is in, the ARN pattern of its data objects and the `s3:prefix` that lists them. */
  readonly dataBucket: s3.IBucket;
  readonly dataObjects: string;
  readonly dataListPrefix: string;
  /** The results bucket and the ARN pattern of the result objects (under `QUERY_RESULTS_PREFIX`). */
  readonly resultsBucket: s3.IBucket;
  readonly resultObjects: string;
}

/**
 * The grants that let a principal run a query construct's named queries: Athena in the workgroup, Glue reads of
 * the database and table, S3 reads of the data, and reads and writes of query results (one statement each).
 */
export function grantQueryAccess(scope: IConstruct, grantee: iam.IGrantable, options: QueryGrantOptions): iam.Grant[] {
  const stack = Stack.of(scope);
  return [
    iam.Grant.addToPrincipal({
      grantee,
      actions: [
        'athena:StartQueryExecution', 'athena:StopQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults',
        'athena:GetWorkGroup', 'athena:GetNamedQuery', 'athena:ListNamedQueries', 'athena:BatchGetNamedQuery',
      ],
      resourceArns: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: options.workGroup.ref })],
    }),
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions'],
      resourceArns: [
        stack.formatArn({ service: 'glue', resource: 'catalog' }),
        stack.formatArn({ service: 'glue', resource: 'database', resourceName: options.databaseName }),
        stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${options.databaseName}/${options.tableName}` }),
      ],
    }),
    iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [options.dataObjects] }),
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucket'],
      resourceArns: [options.dataBucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [options.dataListPrefix] } },
    }),
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetBucketLocation'],
      resourceArns: [options.dataBucket.bucketArn, options.resultsBucket.bucketArn],
    }),
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucket'],
      resourceArns: [options.resultsBucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${QUERY_RESULTS_PREFIX}/*`] } },
    }),
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resourceArns: [options.resultObjects],
    }),
  ];
}

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

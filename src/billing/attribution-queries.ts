import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { AttributionSql, AttributionSqlOptions } from './attribution-sql';
import { Cur2Export, ICur2Export } from './cur2-export';
import { grantQueryAccess, queryWorkGroup, QUERY_RESULTS_PREFIX, validateQueryName, BILLING_PERIOD_PATTERN } from '../private/athena-workgroup';
import { cur2ColumnType } from './private/cur2-columns';
import { wildcardResourceFindingId } from './private/custom-resource';
import { BILLING_PERIOD_PARTITION_COLUMN, BILLING_PERIOD_PARTITION_DIRECTORY } from './private/focus-columns';
import { invalidProp } from '../private/errors';
import { hardenedBucket, useBucketPolicyForAccessLogs } from '../private/hardened-bucket';
import { isUnresolved } from '../private/validate';
import { CostTagKeys } from '../tags/cost-tags';


/** Settings of `AttributionQueries` that do not depend on the export (as passed to the `BedrockGovernance` facade). */
export interface AttributionQueriesOptions {
  /**
   * The Glue database name: lower-case letters, digits and `_`, unique in the account and Region.
   *
   * @default 'bedrock_attribution'
   */
  readonly databaseName?: string;

  /**
   * The Glue table name: lower-case letters, digits and `_`.
   *
   * @default 'cur2'
   */
  readonly tableName?: string;

  /**
   * The Athena workgroup name: letters, digits, `.`, `_` and `-`, unique in the account and Region.
   *
   * @default 'bedrock-attribution'
   */
  readonly workGroupName?: string;

  /**
   * The first billing period (`YYYY-MM`) that partition projection offers.
   *
   * @default '2026-04' (IAM principal attribution of Bedrock began in April 2026)
   */
  readonly firstBillingPeriod?: string;

  /**
   * Athena cancels queries of the workgroup that would scan more bytes than this (at least 10 MB).
   *
   * @default - no limit
   */
  readonly bytesScannedCutoffPerQuery?: number;

  /**
   * How long query results are kept.
   *
   * @default Duration.days(30)
   */
  readonly resultsExpiration?: Duration;

  /**
   * What happens to the results bucket when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Where the results bucket's S3 server access logs go.
   *
   * @default - a hardened access-log bucket is created
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
}

/** Properties of `AttributionQueries`. */
export interface AttributionQueriesProps extends AttributionQueriesOptions {
  /** The CUR 2.0 export to query (a `Cur2Export`, or `Cur2Export.fromExportAttributes()`). */
  readonly cur2Export: ICur2Export;

  /**
   * The cost tag key names.
   *
   * @default - `team`, `cost-center`, `environment`
   */
  readonly costTagKeys?: CostTagKeys;
}

/**
 * Athena reconciliation of the two witnesses of Bedrock spend over a CUR 2.0 export with IAM principal data: a Glue
 * table over the export's Parquet files (partition projection on `BILLING_PERIOD=YYYY-MM`, the CUR 2.0 column
 * types), an enforced workgroup with results in a hardened bucket, and the named queries of `AttributionSql`: cost
 * per team by profile tag and by principal tag side by side, cost per principal within a team, cross-team use, and
 * direct calls by principal.
 */
export class AttributionQueries extends Construct {
  /** The Glue database name. */
  public readonly databaseName: string;
  /** The Glue table name. */
  public readonly tableName: string;
  /** The Athena workgroup name. */
  public readonly workGroupName: string;
  /** The Glue table over the export's data. */
  public readonly table: glue.CfnTable;
  /** The Athena workgroup. */
  public readonly workGroup: athena.CfnWorkGroup;
  /** The bucket of query results. */
  public readonly resultsBucket: s3.IBucket;
  /** The named queries: both witnesses per team, per principal, cross-team use, direct calls. */
  public readonly namedQueries: athena.CfnNamedQuery[];
  /** The export queried. */
  public readonly cur2Export: ICur2Export;

  constructor(scope: Construct, id: string, props: AttributionQueriesProps) {
    super(scope, id);
    useBucketPolicyForAccessLogs(this);
    const stack = Stack.of(this);
    this.cur2Export = props.cur2Export;
    this.databaseName = props.databaseName ?? 'bedrock_attribution';
    this.tableName = props.tableName ?? 'cur2';
    this.workGroupName = props.workGroupName ?? 'bedrock-attribution';
    const firstBillingPeriod = props.firstBillingPeriod ?? '2026-04';
    validateQueryName(this, 'databaseName', this.databaseName, 'glue', 'bedrock_attribution');
    validateQueryName(this, 'tableName', this.tableName, 'glue', 'cur2');
    validateQueryName(this, 'workGroupName', this.workGroupName, 'workGroup', 'bedrock-attribution');
    if (!isUnresolved(firstBillingPeriod) && !BILLING_PERIOD_PATTERN.test(firstBillingPeriod)) {
      throw invalidProp(this, 'firstBillingPeriod', firstBillingPeriod, 'billing periods are written YYYY-MM', "Use e.g. '2026-04'");
    }
    if (props.bytesScannedCutoffPerQuery !== undefined && !isUnresolved(props.bytesScannedCutoffPerQuery)
      && !(Number.isInteger(props.bytesScannedCutoffPerQuery) && props.bytesScannedCutoffPerQuery >= 10_000_000)) {
      throw invalidProp(this, 'bytesScannedCutoffPerQuery', props.bytesScannedCutoffPerQuery, 'Athena takes a whole number of bytes of at least 10,000,000 (10 MB)', 'Pass e.g. 10_000_000_000 for 10 GB');
    }

    const exportData = `s3://${props.cur2Export.bucket.bucketName}/${props.cur2Export.dataPrefix}`;
    const database = new glue.CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: { name: this.databaseName, description: 'Bedrock attribution over the CUR 2.0 Data Export (cdk-bedrock-governance)' },
    });
    this.table = new glue.CfnTable(this, 'Table', {
      catalogId: stack.account,
      databaseName: database.ref,
      tableInput: {
        name: this.tableName,
        description: `CUR 2.0 Data Export ${props.cur2Export.exportName} with IAM principal data, one partition per billing period`,
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          'classification': 'parquet',
          'projection.enabled': 'true',
          [`projection.${BILLING_PERIOD_PARTITION_COLUMN}.type`]: 'date',
          [`projection.${BILLING_PERIOD_PARTITION_COLUMN}.format`]: 'yyyy-MM',
          [`projection.${BILLING_PERIOD_PARTITION_COLUMN}.range`]: `${firstBillingPeriod},NOW`,
          [`projection.${BILLING_PERIOD_PARTITION_COLUMN}.interval`]: '1',
          [`projection.${BILLING_PERIOD_PARTITION_COLUMN}.interval.unit`]: 'MONTHS',
          'storage.location.template': `${exportData}/${BILLING_PERIOD_PARTITION_DIRECTORY}=\${${BILLING_PERIOD_PARTITION_COLUMN}}`,
        },
        partitionKeys: [{ name: BILLING_PERIOD_PARTITION_COLUMN, type: 'string' }],
        storageDescriptor: {
          location: `${exportData}/`,
          inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          serdeInfo: {
            serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
            parameters: { 'serialization.format': '1' },
          },
          columns: Cur2Export.columns().map((column) => ({ name: column, type: cur2ColumnType(column) })),
        },
      },
    });

    this.resultsBucket = hardenedBucket(this, 'ResultsBucket', {
      removalPolicy: props.removalPolicy,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: 'attribution-results-bucket/',
      purpose: 'Athena query results of the attribution queries, disposable copies expired by lifecycle rule',
      noncurrentVersionExpiration: Duration.days(1),
      expiration: props.resultsExpiration ?? Duration.days(30),
    });
    this.workGroup = queryWorkGroup(this, {
      name: this.workGroupName,
      description: 'Bedrock attribution queries over the CUR 2.0 Data Export (cdk-bedrock-governance)',
      resultsBucket: this.resultsBucket,
      resultsPrefix: QUERY_RESULTS_PREFIX,
      bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
    });

    const sql: AttributionSqlOptions = { database: this.databaseName, table: this.tableName, costTagKeys: props.costTagKeys };
    const queries: Array<[string, string, string, string]> = [
      ['TeamByBothWitnesses', 'Bedrock cost per team by profile tag and by principal tag', 'Cost per team as the profile tags and as the IAM principal tags see it, side by side, with the difference', AttributionSql.teamByBothWitnesses(sql)],
      ['CostPerPrincipal', 'Bedrock cost per principal within each team', 'Cost per IAM principal (user, role session) within each team, with the principal\'s own team tag', AttributionSql.costPerPrincipal(sql)],
      ['CrossTeamUse', 'Bedrock cross-team use', 'Spend through one team\'s profile by a principal tagged with another team', AttributionSql.crossTeamUse(sql)],
      ['DirectCalls', 'Bedrock direct calls by principal', 'Spend with a principal but no application inference profile: who calls models directly', AttributionSql.directCalls(sql)],
    ];
    this.namedQueries = queries.map(([queryId, name, description, queryString]) => {
      const query = new athena.CfnNamedQuery(this, queryId, {
        name, description, database: this.databaseName, workGroup: this.workGroup.ref, queryString,
      });
      query.node.addDependency(this.table);
      return query;
    });
  }

  /**
   * Allow the grantee to run the attribution queries: Athena in the workgroup, Glue reads of the database and
   * table, S3 reads of the export's data, reads and writes of query results.
   */
  public grantQuery(grantee: iam.IGrantable): iam.Grant {
    const [dataObjects, resultObjects] = this.queryGrantWildcardArns();
    return grantQueryAccess(this, grantee, {
      workGroup: this.workGroup,
      databaseName: this.databaseName,
      tableName: this.tableName,
      dataBucket: this.cur2Export.bucket,
      dataObjects,
      dataListPrefix: `${this.cur2Export.dataPrefix}/*`,
      resultsBucket: this.resultsBucket,
      resultObjects,
    }).reduce((all, next) => all.combine(next));
  }

  /**
   * Acknowledge, on the given construct and with a reason, exactly the two `AwsSolutions-IAM5` findings `grantQuery`
   * causes (reads under the export's data prefix, reads and writes under the results prefix).
   */
  public acknowledgeQueryGrantWildcards(scope: IConstruct): void {
    for (const arn of this.queryGrantWildcardArns()) {
      Validations.of(scope).acknowledge({
        id: wildcardResourceFindingId(this, arn),
        reason: 'Data Exports and Athena choose the object names under these prefixes (Parquet files per billing period; one result file per query), so reads and result writes are granted on the prefix only.',
      });
    }
  }

  private queryGrantWildcardArns(): string[] {
    return [
      this.cur2Export.bucket.arnForObjects(`${this.cur2Export.dataPrefix}/*`),
      this.resultsBucket.arnForObjects(`${QUERY_RESULTS_PREFIX}/*`),
    ];
  }
}

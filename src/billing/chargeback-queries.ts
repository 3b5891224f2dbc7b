import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { ChargebackSql, ChargebackSqlOptions } from './chargeback-sql';
import { FocusExport, IFocusExport } from './focus-export';
import { grantQueryAccess, queryWorkGroup, QUERY_RESULTS_PREFIX, validateQueryName, BILLING_PERIOD_PATTERN } from '../private/athena-workgroup';
import { wildcardResourceFindingId } from './private/custom-resource';
import { BILLING_PERIOD_PARTITION_COLUMN, BILLING_PERIOD_PARTITION_DIRECTORY, focusColumnType } from './private/focus-columns';
import { invalidProp } from '../private/errors';
import { hardenedBucket, useBucketPolicyForAccessLogs } from '../private/hardened-bucket';
import { isUnresolved } from '../private/validate';
import { CostTagKeys } from '../tags/cost-tags';


/** Settings of `ChargebackQueries` that do not depend on the export (as passed to the `BedrockGovernance` facade). */
export interface ChargebackQueriesOptions {
  /**
   * The Glue database name: lower-case letters, digits and `_`, unique in the account and Region.
   *
   * @default 'bedrock_chargeback'
   */
  readonly databaseName?: string;

  /**
   * The Glue table name: lower-case letters, digits and `_`.
   *
   * @default 'focus'
   */
  readonly tableName?: string;

  /**
   * The Athena workgroup name: letters, digits, `.`, `_` and `-`, unique in the account and Region.
   *
   * @default 'bedrock-chargeback'
   */
  readonly workGroupName?: string;

  /**
   * The first billing period (`YYYY-MM`) that partition projection offers; it runs to the current month.
   *
   * @default '2024-01'
   */
  readonly firstBillingPeriod?: string;

  /**
   * Service codes (`x_ServiceCode`) that mark Bedrock rows, besides the service name `Amazon Bedrock` and
   * Marketplace service names ending in `(Amazon Bedrock Edition)`.
   *
   * @default ['AmazonBedrock', 'AmazonBedrockFoundationModels']
   */
  readonly bedrockServiceCodes?: string[];

  /**
   * Athena cancels queries of the workgroup that would scan more bytes than this (at least 10 MB).
   *
   * @default - no limit
   */
  readonly bytesScannedCutoffPerQuery?: number;

  /**
   * How long Athena query results are kept in the results bucket.
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
   * @default - a hardened access-log bucket is created beside the results bucket
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
}

/** Properties of `ChargebackQueries`. */
export interface ChargebackQueriesProps extends ChargebackQueriesOptions {
  /** The FOCUS export to query (a `FocusExport`, or `FocusExport.fromExportAttributes()`). */
  readonly focusExport: IFocusExport;

  /**
   * The cost tag key names; the team key finds each row's team.
   *
   * @default - `team`, `cost-center`, `environment`
   */
  readonly costTagKeys?: CostTagKeys;
}

/**
 * Athena chargeback over a FOCUS export: a Glue database and table over the export's Parquet files (partition
 * projection on the `BILLING_PERIOD=YYYY-MM` folders Data Exports writes, so no crawler is needed), an Athena
 * workgroup whose settings are enforced and whose results go SSE-S3 encrypted to a hardened bucket, and named
 * queries from `ChargebackSql`: Bedrock cost per team per month, per team and model/profile, per team and
 * operation (streaming or not), prompt-cache savings, untagged Bedrock usage, and the tag keys seen. Every cost query
 * keeps the charge category (usage, tax, credit, ...) and the witness of the team apart; `effective_cost` is the
 * column to charge back (see `ChargebackSql`).
 */
export class ChargebackQueries extends Construct {
  /** The Glue database name. */
  public readonly databaseName: string;
  /** The Glue table name. */
  public readonly tableName: string;
  /** The Athena workgroup name. */
  public readonly workGroupName: string;
  /** The Glue database. */
  public readonly database: glue.CfnDatabase;
  /** The Glue table over the export's data. */
  public readonly table: glue.CfnTable;
  /** The Athena workgroup. */
  public readonly workGroup: athena.CfnWorkGroup;
  /** The bucket of Athena query results. */
  public readonly resultsBucket: s3.IBucket;
  /** The named queries, in the order: per month, per model, per operation, cache savings, untagged, tag keys. */
  public readonly namedQueries: athena.CfnNamedQuery[];
  /** The export queried. */
  public readonly focusExport: IFocusExport;

  constructor(scope: Construct, id: string, props: ChargebackQueriesProps) {
    super(scope, id);
    useBucketPolicyForAccessLogs(this);
    const stack = Stack.of(this);
    this.focusExport = props.focusExport;
    this.databaseName = props.databaseName ?? 'bedrock_chargeback';
    this.tableName = props.tableName ?? 'focus';
    this.workGroupName = props.workGroupName ?? 'bedrock-chargeback';
    const firstBillingPeriod = props.firstBillingPeriod ?? '2024-01';
    validateQueryName(this, 'databaseName', this.databaseName, 'glue', 'bedrock_chargeback');
    validateQueryName(this, 'tableName', this.tableName, 'glue', 'bedrock_chargeback');
    validateQueryName(this, 'workGroupName', this.workGroupName, 'workGroup', 'bedrock-chargeback');
    if (!isUnresolved(firstBillingPeriod) && !BILLING_PERIOD_PATTERN.test(firstBillingPeriod)) {
      throw invalidProp(this, 'firstBillingPeriod', firstBillingPeriod, 'billing periods are written YYYY-MM', "Use e.g. '2025-01'");
    }
    if (props.bytesScannedCutoffPerQuery !== undefined && !isUnresolved(props.bytesScannedCutoffPerQuery)
      && !(Number.isInteger(props.bytesScannedCutoffPerQuery) && props.bytesScannedCutoffPerQuery >= 10_000_000)) {
      throw invalidProp(this, 'bytesScannedCutoffPerQuery', props.bytesScannedCutoffPerQuery, 'Athena takes a whole number of bytes of at least 10,000,000 (10 MB)', 'Pass e.g. 10_000_000_000 for 10 GB');
    }

    const exportData = `s3://${props.focusExport.bucket.bucketName}/${props.focusExport.dataPrefix}`;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: {
        name: this.databaseName,
        description: 'Bedrock chargeback over the FOCUS Data Export (cdk-bedrock-governance)',
      },
    });
    this.table = new glue.CfnTable(this, 'Table', {
      catalogId: stack.account,
      databaseName: this.database.ref,
      tableInput: {
        name: this.tableName,
        description: `FOCUS Data Export ${props.focusExport.exportName} (${props.focusExport.version}), one partition per billing period`,
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
          columns: FocusExport.columnsOf(props.focusExport.version).map((column) => ({
            name: column.toLowerCase(),
            type: focusColumnType(column),
          })),
        },
      },
    });

    this.resultsBucket = hardenedBucket(this, 'ResultsBucket', {
      removalPolicy: props.removalPolicy,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: 'chargeback-results-bucket/',
      purpose: 'Athena query results, disposable copies expired by lifecycle rule',
      noncurrentVersionExpiration: Duration.days(1),
      expiration: props.resultsExpiration ?? Duration.days(30),
    });
    this.workGroup = queryWorkGroup(this, {
      name: this.workGroupName,
      description: 'Bedrock chargeback queries over the FOCUS Data Export (cdk-bedrock-governance)',
      resultsBucket: this.resultsBucket,
      resultsPrefix: QUERY_RESULTS_PREFIX,
      bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
    });

    const sql: ChargebackSqlOptions = {
      database: this.databaseName,
      table: this.tableName,
      version: props.focusExport.version,
      costTagKeys: props.costTagKeys,
      bedrockServiceCodes: props.bedrockServiceCodes,
    };
    const queries: Array<[string, string, string, string]> = [
      ['CostPerTeamPerMonth', 'Bedrock cost per team per month', 'Bedrock cost per team and billing period, by witness, charge category and corrected month; untagged usage as (untagged), unattributed tax and credits as (unallocated)', ChargebackSql.costPerTeamPerMonth(sql)],
      ['CostPerTeamPerModel', 'Bedrock cost per team per model and profile', 'Bedrock cost per team, month, model (service name, SKU, usage type), application inference profile (resource id) and charge category', ChargebackSql.costPerTeamPerModel(sql)],
      ['CostPerTeamPerOperation', 'Bedrock cost per team per operation', 'Bedrock cost per team, month and operation (x_Operation), streaming or not', ChargebackSql.costPerTeamPerOperation(sql)],
      ['CacheSavings', 'Bedrock prompt cache savings', 'Cache-read tokens priced at the full input price of the same model and month, minus what they cost', ChargebackSql.cacheSavings(sql)],
      ['UntaggedSpend', 'Bedrock spend without a team tag', 'Bedrock usage no witness attributes to a team: the governance gap (direct calls by untagged principals, untagged profiles); usage only', ChargebackSql.untaggedSpend(sql)],
      ['TagKeys', 'Tag keys on Bedrock rows', 'Which tag keys Bedrock rows carry, to check the form of the team key in the export', ChargebackSql.tagKeys(sql)],
    ];
    this.namedQueries = queries.map(([queryId, name, description, queryString]) => {
      const query = new athena.CfnNamedQuery(this, queryId, {
        name,
        description,
        database: this.databaseName,
        workGroup: this.workGroup.ref,
        queryString,
      });
      query.node.addDependency(this.table);
      return query;
    });
  }

  /**
   * Allow the grantee to run the chargeback queries: Athena in the workgroup, Glue reads of the database and table,
   * S3 reads of the export's data files, and reads and writes of query results.
   */
  public grantQuery(grantee: iam.IGrantable): iam.Grant {
    const [dataObjects, resultObjects] = this.queryGrantWildcardArns();
    return grantQueryAccess(this, grantee, {
      workGroup: this.workGroup,
      databaseName: this.databaseName,
      tableName: this.tableName,
      dataBucket: this.focusExport.bucket,
      dataObjects,
      dataListPrefix: `${this.focusExport.dataPrefix}/*`,
      resultsBucket: this.resultsBucket,
      resultObjects,
    }).reduce((all, next) => all.combine(next));
  }

  /**
   * Acknowledge, on the given construct and with a stated reason, exactly the two `AwsSolutions-IAM5` findings
   * that `grantQuery` causes: read access to every object under the export's data prefix (Data Exports names the
   * files) and read/write under the results prefix (Athena names the result files). Nothing else is acknowledged.
   */
  public acknowledgeQueryGrantWildcards(scope: IConstruct): void {
    for (const arn of this.queryGrantWildcardArns()) {
      Validations.of(scope).acknowledge({
        id: wildcardResourceFindingId(this, arn),
        reason: 'Data Exports and Athena choose the object names under these prefixes (one Parquet file per chunk and billing period; one result file per query), so reads and result writes are granted on the prefix only.',
      });
    }
  }

  private queryGrantWildcardArns(): string[] {
    return [
      this.focusExport.bucket.arnForObjects(`${this.focusExport.dataPrefix}/*`),
      this.resultsBucket.arnForObjects(`${QUERY_RESULTS_PREFIX}/*`),
    ];
  }
}

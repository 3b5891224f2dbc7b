import { Duration, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { DataExportDestinationOptions } from './focus-export';
import { FocusTimeGranularity } from './focus-version';
import { CUR2_COLUMNS } from './private/cur2-columns';
import { deployDataExport, validateDescription, validateExportName, validatePrefix } from './private/data-export';
import { invalidProp } from '../private/errors';
import { hardenedBucket, useBucketPolicyForAccessLogs } from '../private/hardened-bucket';
import { isUnresolved } from '../private/validate';

const DEFAULT_EXPORT_NAME = 'bedrock-governance-cur2';
const DEFAULT_PREFIX = 'cur2';
/** The Data Exports table of CUR 2.0. */
const CUR2_TABLE = 'COST_AND_USAGE_REPORT';
/** Table property names that only letters, digits and `_` make up (as every documented one does). */
const TABLE_PROPERTY_PATTERN = /^[A-Z][A-Z0-9_]*$/;

/**
 * A CUR 2.0 Data Export: where its Parquet files are. Implemented by `Cur2Export` and by
 * `Cur2Export.fromExportAttributes()`.
 */
export interface ICur2Export extends IConstruct {
  /** The export name. */
  readonly exportName: string;
  /** The bucket the export writes to. */
  readonly bucket: s3.IBucket;
  /** The S3 prefix of the export (no leading or trailing `/`). */
  readonly prefix: string;
  /** The key prefix of the export's data files, `<prefix>/<exportName>/data` (then `BILLING_PERIOD=YYYY-MM/`). */
  readonly dataPrefix: string;
}

/** Attributes of an existing CUR 2.0 export (e.g. one the management account writes to a bucket you own). */
export interface Cur2ExportAttributes {
  /** The export name. */
  readonly exportName: string;
  /** The bucket the export writes to. */
  readonly bucket: s3.IBucket;
  /** The S3 prefix of the export, without a leading or trailing `/`. */
  readonly prefix: string;
}

/** Properties of a `Cur2Export`. */
export interface Cur2ExportProps extends DataExportDestinationOptions {
  /**
   * The export name: 1-128 letters, digits, `-` and `_`, unique in the account; part of the S3 path.
   *
   * @default 'bedrock-governance-cur2'
   */
  readonly exportName?: string;

  /**
   * A description of the export (at most 1,024 characters).
   *
   * @default 'CUR 2.0 with IAM principal data for Bedrock attribution (cdk-bedrock-governance)'
   */
  readonly description?: string;

  /**
   * The time granularity of the rows (table configuration `TIME_GRANULARITY`).
   *
   * @default FocusTimeGranularity.DAILY
   */
  readonly timeGranularity?: FocusTimeGranularity;

  /**
   * Whether the export includes IAM principal data: the calling principal's ARN in `line_item_iam_principal` and
   * its principal and session tags (`iamPrincipal/<key>`) in `tags`, for Amazon Bedrock inference since April 2026.
   * This is the second witness of who spent (see docs/ATTRIBUTION.md); without it the column is empty.
   *
   * @default true
   * @see https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/iam-principal-cost-allocation.html
   */
  readonly includeIamPrincipalData?: boolean;

  /**
   * The name of the table configuration that turns IAM principal data on. UNVERIFIED: the AWS pages name the
   * console option ("Include caller identity (IAM principal) allocation data") but not the API property, and
   * public projects disagree; `INCLUDE_IAM_PRINCIPAL_DATA` is the one most seen. A wrong name makes the export's
   * creation fail at deployment (it does not silently drop the data). The Data Exports `ListTables` API (or
   * `aws bcm-data-exports get-table --table-name COST_AND_USAGE_REPORT`) lists the real names: pass the one it shows.
   *
   * @default 'INCLUDE_IAM_PRINCIPAL_DATA'
   */
  readonly iamPrincipalTableProperty?: string;

  /**
   * The S3 prefix of the export, without a leading or trailing `/`.
   *
   * @default 'cur2'
   */
  readonly prefix?: string;

}

/**
 * An AWS Data Export of the CUR 2.0 table (`COST_AND_USAGE_REPORT`) with IAM principal data, as Parquet, into a
 * hardened bucket, refreshed by AWS up to three times a day: the bill as seen by who called. The columns are the
 * attribution subset of CUR 2.0 (`Cur2Export.columns()`), resource ids included (`INCLUDE_RESOURCES`).
 *
 * Native `AWS::BCMDataExports::Export` in a us-east-1 stack; elsewhere a custom resource calling the us-east-1 API,
 * like `FocusExport`. Made in the management (payer) account, it covers every member account.
 *
 * @see https://docs.aws.amazon.com/cur/latest/userguide/table-dictionary-cur2.html
 */
export class Cur2Export extends Construct implements ICur2Export {
  /** The Data Exports table. */
  public static readonly TABLE = CUR2_TABLE;

  /** An existing CUR 2.0 export, to point `AttributionQueries` at. */
  public static fromExportAttributes(scope: Construct, id: string, attrs: Cur2ExportAttributes): ICur2Export {
    validateExportName(scope, attrs.exportName, DEFAULT_EXPORT_NAME);
    validatePrefix(scope, attrs.prefix, DEFAULT_PREFIX);
    return new ImportedCur2Export(scope, id, attrs);
  }

  /** The columns the export selects, in order. */
  public static columns(): string[] {
    return CUR2_COLUMNS.map(([name]) => name);
  }

  public readonly exportName: string;
  public readonly bucket: s3.IBucket;
  public readonly prefix: string;
  public readonly dataPrefix: string;
  /** The export's SQL. */
  public readonly queryStatement: string;
  /** The table configurations of the export's query. */
  public readonly tableConfigurations: Record<string, Record<string, string>>;
  /**
   * The ARN of the export.
   *
   * @attribute
   */
  public readonly exportArn: string;
  /** False for a native `AWS::BCMDataExports::Export` (stack in us-east-1), true for the custom resource. */
  public readonly usesCustomResource: boolean;

  constructor(scope: Construct, id: string, props: Cur2ExportProps = {}) {
    super(scope, id);
    useBucketPolicyForAccessLogs(this);
    this.exportName = props.exportName ?? DEFAULT_EXPORT_NAME;
    this.prefix = props.prefix ?? DEFAULT_PREFIX;
    validateExportName(this, this.exportName, DEFAULT_EXPORT_NAME);
    validatePrefix(this, this.prefix, DEFAULT_PREFIX);
    validateDescription(this, props.description);
    const principalProperty = props.iamPrincipalTableProperty ?? 'INCLUDE_IAM_PRINCIPAL_DATA';
    if (!isUnresolved(principalProperty) && !TABLE_PROPERTY_PATTERN.test(principalProperty)) {
      throw invalidProp(this, 'iamPrincipalTableProperty', principalProperty,
        'Data Exports table properties are upper-case letters, digits and \'_\' (e.g. INCLUDE_RESOURCES)',
        'Pass the name `aws bcm-data-exports get-table --table-name COST_AND_USAGE_REPORT` lists, or omit it');
    }
    this.dataPrefix = `${this.prefix}/${this.exportName}/data`;
    this.queryStatement = `SELECT ${Cur2Export.columns().join(', ')} FROM ${CUR2_TABLE}`;
    this.tableConfigurations = {
      [CUR2_TABLE]: {
        TIME_GRANULARITY: props.timeGranularity ?? FocusTimeGranularity.DAILY,
        INCLUDE_RESOURCES: 'TRUE',
        INCLUDE_SPLIT_COST_ALLOCATION_DATA: 'FALSE',
        INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY: 'FALSE',
        [principalProperty]: (props.includeIamPrincipalData ?? true) ? 'TRUE' : 'FALSE',
      },
    };

    this.bucket = props.bucket ?? hardenedBucket(this, 'Bucket', {
      removalPolicy: props.removalPolicy,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: 'cur2-export-bucket/',
      purpose: 'CUR 2.0 billing export, which AWS Data Exports overwrites in place for each billing period',
      noncurrentVersionExpiration: Duration.days(30),
    });
    const stack = Stack.of(this);
    const deployed = deployDataExport(this, {
      label: 'CUR 2.0 export',
      warningPrefix: 'cur2Export',
      name: this.exportName,
      description: props.description ?? 'CUR 2.0 with IAM principal data for Bedrock attribution (cdk-bedrock-governance)',
      tableName: CUR2_TABLE,
      queryStatement: this.queryStatement,
      tableConfigurations: this.tableConfigurations,
      bucket: this.bucket,
      prefix: this.prefix,
      bucketRegion: props.bucket ? (props.bucket.env.region ?? stack.region) : stack.region,
      grantCurReportDefinition: props.grantCurReportDefinition ?? true,
    });
    this.exportArn = deployed.exportArn;
    this.usesCustomResource = deployed.usesCustomResource;
  }
}

class ImportedCur2Export extends Construct implements ICur2Export {
  public readonly exportName: string;
  public readonly bucket: s3.IBucket;
  public readonly prefix: string;
  public readonly dataPrefix: string;

  constructor(scope: Construct, id: string, attrs: Cur2ExportAttributes) {
    super(scope, id);
    this.exportName = attrs.exportName;
    this.bucket = attrs.bucket;
    this.prefix = attrs.prefix;
    this.dataPrefix = `${this.prefix}/${this.exportName}/data`;
  }
}

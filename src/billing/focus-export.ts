import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { FocusTimeGranularity, FocusVersion } from './focus-version';
import { deployDataExport, validateDescription, validateExportName, validatePrefix } from './private/data-export';
import { FOCUS_1_0_COLUMNS, FOCUS_1_2_COLUMNS } from './private/focus-columns';
import { invalidProp } from '../private/errors';
import { hardenedBucket, useBucketPolicyForAccessLogs } from '../private/hardened-bucket';

const DEFAULT_EXPORT_NAME = 'bedrock-governance-focus';
const DEFAULT_PREFIX = 'focus';

/**
 * A FOCUS Data Export: where its Parquet files are and which columns they hold. Implemented by
 * `FocusExport` and by `FocusExport.fromExportAttributes()`.
 */
export interface IFocusExport extends IConstruct {
  /** The export name. */
  readonly exportName: string;
  /** The bucket the export writes to. */
  readonly bucket: s3.IBucket;
  /** The S3 prefix of the export (no leading or trailing `/`). */
  readonly prefix: string;
  /** The FOCUS version (table) of the export. */
  readonly version: FocusVersion;
  /**
   * The key prefix of the export's data files, `<prefix>/<exportName>/data`. Data Exports writes one
   * folder per billing period below it: `BILLING_PERIOD=YYYY-MM/`.
   */
  readonly dataPrefix: string;
}

/** Attributes of an existing FOCUS export, e.g. one that the management account writes to a bucket you own. */
export interface FocusExportAttributes {
  /** The export name. */
  readonly exportName: string;
  /** The bucket the export writes to. */
  readonly bucket: s3.IBucket;
  /** The S3 prefix of the export (no leading or trailing `/`). */
  readonly prefix: string;
  /**
   * The FOCUS version (table) of the export.
   *
   * @default FocusVersion.V1_2
   */
  readonly version?: FocusVersion;
}

/** Where an AWS Data Export writes, shared by `FocusExport` and `Cur2Export`. */
export interface DataExportDestinationOptions {
  /**
   * The bucket to write to. The export adds a statement for `bcm-data-exports.amazonaws.com` and
   * `billingreports.amazonaws.com` to its policy; for an imported bucket whose policy CDK cannot change,
   * add that statement yourself (a warning shows it).
   *
   * @default - a bucket is created: public access blocked, TLS enforced, versioned, ACLs disabled, SSE-S3,
   * server access logs, noncurrent versions expired after 30 days, retained when the stack is deleted
   */
  readonly bucket?: s3.IBucket;

  /**
   * What happens to the created bucket when it leaves the stack. Ignored when `bucket` is given.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Where the created bucket's S3 server access logs go. Ignored when `bucket` is given.
   *
   * @default - a hardened access-log bucket is created beside the export bucket
   */
  readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * Outside us-east-1, whether the custom resource that calls the Data Exports API may also call
   * `cur:PutReportDefinition` on `arn:<partition>:cur:us-east-1:<account>:definition/*`. The Data Exports IAM
   * page lists only `bcm-data-exports` actions for `CreateExport`, but the Cloud Intelligence Dashboards grant
   * this action to their export-creating function because creation failed without it (UNVERIFIED in AWS docs).
   * Turn it off if your deployments succeed without it.
   *
   * @default true
   */
  readonly grantCurReportDefinition?: boolean;
}

/** Properties of a `FocusExport`. */
export interface FocusExportProps extends DataExportDestinationOptions {
  /**
   * The export name: 1-128 letters, digits, `-` and `_`, unique in the account. It is part of the S3 path
   * (`<prefix>/<exportName>/data/`). In us-east-1 changing it replaces the export. Outside us-east-1 the custom
   * resource sends every change through UpdateExport, and whether Data Exports accepts a new name or table there
   * is UNVERIFIED: to change the name or the version safely, add a new `FocusExport` (new construct id and name)
   * and remove the old one.
   *
   * @default 'bedrock-governance-focus'
   */
  readonly exportName?: string;

  /**
   * A description of the export (at most 1,024 characters).
   *
   * @default - 'FOCUS <version> cost and usage for Bedrock chargeback (cdk-bedrock-governance)'
   */
  readonly description?: string;

  /**
   * The FOCUS version. FOCUS 1.2 is the default: its 60-column list is the one the Cloud Intelligence Dashboards
   * use (data-exports-aggregation.yaml, since January 2026). FOCUS 1.0 keeps `x_UsageType`.
   *
   * @default FocusVersion.V1_2
   */
  readonly version?: FocusVersion;

  /**
   * The time granularity of a FOCUS 1.2 export. FOCUS 1.0 takes no table configurations: setting this with
   * `FocusVersion.V1_0` is an error. Daily rows are enough for monthly chargeback and keep the export small.
   *
   * @default FocusTimeGranularity.DAILY for FOCUS 1.2
   */
  readonly timeGranularity?: FocusTimeGranularity;

  /**
   * The S3 prefix of the export, without a leading or trailing `/`. Data Exports writes the data to
   * `<prefix>/<exportName>/data/BILLING_PERIOD=YYYY-MM/`.
   *
   * @default 'focus'
   */
  readonly prefix?: string;

}

/**
 * An AWS Data Export of the FOCUS table, as Parquet, refreshed by AWS up to three times a day and overwritten in
 * place, into a bucket whose policy lets Data Exports write.
 *
 * In a stack in us-east-1 it is a native `AWS::BCMDataExports::Export`. In any other Region (or when the stack's
 * Region is unknown at synth time) it is a custom resource that calls the Data Exports API in us-east-1, so the
 * stack need not move. An export made in the management (payer) account covers all member accounts.
 *
 * @see https://docs.aws.amazon.com/cur/latest/userguide/dataexports-create-focus.html
 */
export class FocusExport extends Construct implements IFocusExport {
  /**
   * An existing FOCUS export, to point `ChargebackQueries` at (e.g. an export made in the management account).
   */
  public static fromExportAttributes(scope: Construct, id: string, attrs: FocusExportAttributes): IFocusExport {
    validateExportName(scope, attrs.exportName, 'bedrock-focus');
    validatePrefix(scope, attrs.prefix, DEFAULT_PREFIX);
    return new ImportedFocusExport(scope, id, attrs);
  }

  /** The exact columns of a FOCUS version, in the order the export selects them. */
  public static columnsOf(version: FocusVersion): string[] {
    return [...(version === FocusVersion.V1_0 ? FOCUS_1_0_COLUMNS : FOCUS_1_2_COLUMNS)];
  }

  /** The export name. */
  public readonly exportName: string;
  /** The bucket the export writes to. */
  public readonly bucket: s3.IBucket;
  /** The S3 prefix of the export. */
  public readonly prefix: string;
  /** The FOCUS version (table). */
  public readonly version: FocusVersion;
  /**
   * The time granularity of a FOCUS 1.2 export.
   *
   * @default - none for FOCUS 1.0
   */
  public readonly timeGranularity?: FocusTimeGranularity;
  /** The key prefix of the data files, `<prefix>/<exportName>/data`. */
  public readonly dataPrefix: string;
  /** The export's SQL: `SELECT <every column of the version> FROM <table>`. */
  public readonly queryStatement: string;
  /**
   * The ARN of the export.
   *
   * @attribute
   */
  public readonly exportArn: string;
  /**
   * False when the export is a native `AWS::BCMDataExports::Export` (stack in us-east-1), true when it is the
   * custom resource that calls the us-east-1 API (any other or an unknown Region).
   */
  public readonly usesCustomResource: boolean;

  constructor(scope: Construct, id: string, props: FocusExportProps = {}) {
    super(scope, id);
    useBucketPolicyForAccessLogs(this);
    this.exportName = props.exportName ?? DEFAULT_EXPORT_NAME;
    this.prefix = props.prefix ?? DEFAULT_PREFIX;
    this.version = props.version ?? FocusVersion.V1_2;
    validateExportName(this, this.exportName, 'bedrock-focus');
    validatePrefix(this, this.prefix, DEFAULT_PREFIX);
    validateDescription(this, props.description);
    this.timeGranularity = resolveGranularity(this, this.version, props.timeGranularity);
    this.dataPrefix = `${this.prefix}/${this.exportName}/data`;
    this.queryStatement = `SELECT ${FocusExport.columnsOf(this.version).join(', ')} FROM ${this.version}`;

    this.bucket = props.bucket ?? hardenedBucket(this, 'Bucket', {
      removalPolicy: props.removalPolicy,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: 'focus-export-bucket/',
      purpose: 'FOCUS billing export, which AWS Data Exports overwrites in place for each billing period',
      noncurrentVersionExpiration: Duration.days(30),
    });

    const stack = Stack.of(this);
    const deployed = deployDataExport(this, {
      label: 'FOCUS export',
      warningPrefix: 'focusExport',
      name: this.exportName,
      description: props.description ?? `FOCUS ${this.version === FocusVersion.V1_0 ? '1.0' : '1.2'} cost and usage for Bedrock chargeback (cdk-bedrock-governance)`,
      tableName: this.version,
      queryStatement: this.queryStatement,
      tableConfigurations: this.timeGranularity ? { [this.version]: { TIME_GRANULARITY: this.timeGranularity } } : undefined,
      bucket: this.bucket,
      prefix: this.prefix,
      bucketRegion: props.bucket ? (props.bucket.env.region ?? stack.region) : stack.region,
      grantCurReportDefinition: props.grantCurReportDefinition ?? true,
    });
    this.exportArn = deployed.exportArn;
    this.usesCustomResource = deployed.usesCustomResource;
  }
}

/** An imported export. */
class ImportedFocusExport extends Construct implements IFocusExport {
  public readonly exportName: string;
  public readonly bucket: s3.IBucket;
  public readonly prefix: string;
  public readonly version: FocusVersion;
  public readonly dataPrefix: string;

  constructor(scope: Construct, id: string, attrs: FocusExportAttributes) {
    super(scope, id);
    this.exportName = attrs.exportName;
    this.bucket = attrs.bucket;
    this.prefix = attrs.prefix;
    this.version = attrs.version ?? FocusVersion.V1_2;
    this.dataPrefix = `${this.prefix}/${this.exportName}/data`;
  }
}

function resolveGranularity(
  scope: IConstruct, version: FocusVersion, granularity: FocusTimeGranularity | undefined,
): FocusTimeGranularity | undefined {
  if (version === FocusVersion.V1_0) {
    if (granularity !== undefined) {
      throw invalidProp(scope, 'timeGranularity', granularity,
        'FOCUS 1.0 (FOCUS_1_0_AWS) takes no table configurations', 'Remove timeGranularity, or use version: FocusVersion.V1_2');
    }
    return undefined;
  }
  return granularity ?? FocusTimeGranularity.DAILY;
}

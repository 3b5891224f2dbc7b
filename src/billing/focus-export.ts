import { Annotations, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as bcmdataexports from 'aws-cdk-lib/aws-bcmdataexports';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct, IDependable } from 'constructs';
import { FocusTimeGranularity, FocusVersion } from './focus-version';
import { acknowledgeAwsCustomResourceProvider, wildcardResourceFindingId } from './private/custom-resource';
import { FOCUS_1_0_COLUMNS, FOCUS_1_2_COLUMNS } from './private/focus-columns';
import { invalidProp } from '../private/errors';
import { hardenedBucket, useBucketPolicyForAccessLogs } from '../private/hardened-bucket';
import { isUnresolved } from '../private/validate';

/** The Region whose API (and CloudFormation resource type) Data Exports lives in. */
const DATA_EXPORTS_REGION = 'us-east-1';
/** CloudFormation pattern and length of `AWS::BCMDataExports::Export.Name` (the API accepts the same and more). */
const EXPORT_NAME_PATTERN = /^[0-9A-Za-z\-_]+$/;
const EXPORT_NAME_MAX_LENGTH = 128;
/** Length limit of `S3Prefix` and `Description`. */
const PREFIX_MAX_LENGTH = 1024;
const DESCRIPTION_MAX_LENGTH = 1024;

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

/** Properties of a `FocusExport`. */
export interface FocusExportProps {
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
   * The bucket to write to. The export adds a statement for `bcm-data-exports.amazonaws.com` and
   * `billingreports.amazonaws.com` to its policy; for an imported bucket whose policy CDK cannot change,
   * add that statement yourself (a warning shows it).
   *
   * @default - a bucket is created: public access blocked, TLS enforced, versioned, ACLs disabled, SSE-S3,
   * server access logs, noncurrent versions expired after 30 days, retained when the stack is deleted
   */
  readonly bucket?: s3.IBucket;

  /**
   * The S3 prefix of the export, without a leading or trailing `/`. Data Exports writes the data to
   * `<prefix>/<exportName>/data/BILLING_PERIOD=YYYY-MM/`.
   *
   * @default 'focus'
   */
  readonly prefix?: string;

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
    validateExportName(scope, attrs.exportName);
    validatePrefix(scope, attrs.prefix);
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
    validateExportName(this, this.exportName);
    validatePrefix(this, this.prefix);
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
    const policyDependable = this.allowDataExportsToWrite();

    const stack = Stack.of(this);
    const bucketRegion = props.bucket ? (props.bucket.env.region ?? stack.region) : stack.region;
    const exportSpec: ExportSpec = {
      name: this.exportName,
      description: props.description ?? `FOCUS ${this.version === FocusVersion.V1_0 ? '1.0' : '1.2'} cost and usage for Bedrock chargeback (cdk-bedrock-governance)`,
      queryStatement: this.queryStatement,
      tableConfigurations: this.timeGranularity ? { [this.version]: { TIME_GRANULARITY: this.timeGranularity } } : undefined,
      bucketName: this.bucket.bucketName,
      prefix: this.prefix,
      bucketRegion,
    };

    this.usesCustomResource = Token.isUnresolved(stack.region) || stack.region !== DATA_EXPORTS_REGION;
    if (Token.isUnresolved(stack.region)) {
      Annotations.of(this).addWarningV2('cdk-bedrock-governance:focusExportRegionUnknown',
        'The stack\'s Region is unknown at synth time, so the FOCUS export is made by a custom resource that calls the Data Exports API in us-east-1 (this works from every Region). Give the stack an explicit env.region to get a native AWS::BCMDataExports::Export when it is in us-east-1.');
    }

    if (!this.usesCustomResource) {
      const resource = new bcmdataexports.CfnExport(this, 'Resource', { export: nativeExport(exportSpec) });
      if (policyDependable) {
        resource.node.addDependency(policyDependable);
      }
      this.exportArn = resource.attrExportArn;
    } else {
      const resource = this.customResourceExport(exportSpec, props.grantCurReportDefinition ?? true);
      if (policyDependable) {
        resource.node.addDependency(policyDependable);
      }
      this.exportArn = resource.getResponseField('ExportArn');
    }
  }

  /**
   * The bucket policy statement that lets Data Exports deliver: `s3:PutObject` and `s3:GetBucketPolicy` on the
   * bucket and its objects for `bcm-data-exports.amazonaws.com` and `billingreports.amazonaws.com`, only for
   * this account's exports (aws:SourceAccount, aws:SourceArn).
   */
  private allowDataExportsToWrite(): IDependable | undefined {
    const stack = Stack.of(this);
    const statement = new iam.PolicyStatement({
      sid: 'AllowDataExportsDelivery',
      principals: [
        new iam.ServicePrincipal('bcm-data-exports.amazonaws.com'),
        new iam.ServicePrincipal('billingreports.amazonaws.com'),
      ],
      actions: ['s3:PutObject', 's3:GetBucketPolicy'],
      resources: [this.bucket.bucketArn, this.bucket.arnForObjects('*')],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        StringLike: {
          'aws:SourceArn': [
            `arn:${stack.partition}:bcm-data-exports:${DATA_EXPORTS_REGION}:${stack.account}:export/*`,
            `arn:${stack.partition}:cur:${DATA_EXPORTS_REGION}:${stack.account}:definition/*`,
          ],
        },
      },
    });
    const result = this.bucket.addToResourcePolicy(statement);
    if (!result.statementAdded) {
      Annotations.of(this).addWarningV2('cdk-bedrock-governance:focusExportBucketPolicy',
        `CDK cannot change the policy of the imported bucket, so add this statement to it before the export is created, or Data Exports cannot write: ${JSON.stringify(stack.resolve(statement.toStatementJson()))}`);
      return undefined;
    }
    return result.policyDependable;
  }

  /** The export as an AwsCustomResource calling the Data Exports API in us-east-1. */
  private customResourceExport(spec: ExportSpec, grantCurReportDefinition: boolean): cr.AwsCustomResource {
    const stack = Stack.of(this);
    const exportParameter = apiExport(spec);
    const exportArns = `arn:${stack.partition}:bcm-data-exports:${DATA_EXPORTS_REGION}:${stack.account}:export/${spec.name}-*`;
    const tableArn = `arn:${stack.partition}:bcm-data-exports:${DATA_EXPORTS_REGION}:${stack.account}:table/${this.version}`;
    const statements = [
      new iam.PolicyStatement({
        actions: ['bcm-data-exports:CreateExport', 'bcm-data-exports:UpdateExport'],
        resources: [tableArn, exportArns],
      }),
      new iam.PolicyStatement({
        actions: ['bcm-data-exports:DeleteExport'],
        resources: [exportArns],
      }),
    ];
    const curDefinitions = `arn:${stack.partition}:cur:${DATA_EXPORTS_REGION}:${stack.account}:definition/*`;
    if (grantCurReportDefinition) {
      statements.push(new iam.PolicyStatement({ actions: ['cur:PutReportDefinition'], resources: [curDefinitions] }));
    }
    const resource = new cr.AwsCustomResource(this, 'Resource', {
      resourceType: 'Custom::BcmDataExport',
      installLatestAwsSdk: false,
      onCreate: {
        service: 'BCMDataExports',
        action: 'createExport',
        region: DATA_EXPORTS_REGION,
        parameters: { Export: exportParameter },
        physicalResourceId: cr.PhysicalResourceId.fromResponse('ExportArn'),
        outputPaths: ['ExportArn'],
      },
      onUpdate: {
        service: 'BCMDataExports',
        action: 'updateExport',
        region: DATA_EXPORTS_REGION,
        parameters: { ExportArn: new cr.PhysicalResourceIdReference(), Export: exportParameter },
        physicalResourceId: cr.PhysicalResourceId.fromResponse('ExportArn'),
        outputPaths: ['ExportArn'],
      },
      onDelete: {
        service: 'BCMDataExports',
        action: 'deleteExport',
        region: DATA_EXPORTS_REGION,
        parameters: { ExportArn: new cr.PhysicalResourceIdReference() },
        ignoreErrorCodesMatching: 'ResourceNotFoundException',
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements(statements),
    });
    const policy = resource.node.tryFindChild('CustomResourcePolicy');
    if (policy) {
      const reason = 'Data Exports appends a generated suffix to export ARNs (export/<name>-<uuid>), so the export ARN is matched by name with a trailing wildcard; cur:PutReportDefinition is limited to this account\'s report definitions in us-east-1.';
      for (const arn of grantCurReportDefinition ? [exportArns, curDefinitions] : [exportArns]) {
        Validations.of(policy).acknowledge({ id: wildcardResourceFindingId(this, arn), reason });
      }
    }
    acknowledgeAwsCustomResourceProvider(this);
    return resource;
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

/** The settings shared by both forms of the export. */
interface ExportSpec {
  readonly name: string;
  readonly description: string;
  readonly queryStatement: string;
  readonly tableConfigurations?: Record<string, Record<string, string>>;
  readonly bucketName: string;
  readonly prefix: string;
  readonly bucketRegion: string;
}

const OUTPUT_CONFIGURATION = { outputType: 'CUSTOM', format: 'PARQUET', compression: 'PARQUET', overwrite: 'OVERWRITE_REPORT' };

/** The `Export` property of `AWS::BCMDataExports::Export`. */
function nativeExport(spec: ExportSpec): bcmdataexports.CfnExport.ExportProperty {
  return {
    name: spec.name,
    description: spec.description,
    dataQuery: { queryStatement: spec.queryStatement, tableConfigurations: spec.tableConfigurations },
    destinationConfigurations: {
      s3Destination: {
        s3Bucket: spec.bucketName,
        s3Prefix: spec.prefix,
        s3Region: spec.bucketRegion,
        s3OutputConfigurations: OUTPUT_CONFIGURATION,
      },
    },
    refreshCadence: { frequency: 'SYNCHRONOUS' },
  };
}

/** The `Export` parameter of the CreateExport / UpdateExport API (SDK v3 input: PascalCase members). */
function apiExport(spec: ExportSpec): Record<string, unknown> {
  return {
    Name: spec.name,
    Description: spec.description,
    DataQuery: {
      QueryStatement: spec.queryStatement,
      ...(spec.tableConfigurations ? { TableConfigurations: spec.tableConfigurations } : {}),
    },
    DestinationConfigurations: {
      S3Destination: {
        S3Bucket: spec.bucketName,
        S3Prefix: spec.prefix,
        S3Region: spec.bucketRegion,
        S3OutputConfigurations: { OutputType: 'CUSTOM', Format: 'PARQUET', Compression: 'PARQUET', Overwrite: 'OVERWRITE_REPORT' },
      },
    },
    RefreshCadence: { Frequency: 'SYNCHRONOUS' },
  };
}

function validateExportName(scope: IConstruct, name: string): void {
  if (isUnresolved(name)) {
    return;
  }
  if (name.length < 1 || name.length > EXPORT_NAME_MAX_LENGTH) {
    throw invalidProp(scope, 'exportName', name, `export names must be 1-${EXPORT_NAME_MAX_LENGTH} characters long (got ${name.length})`, 'Use a shorter, non-empty name');
  }
  if (!EXPORT_NAME_PATTERN.test(name)) {
    const suggestion = name.replace(/[^0-9A-Za-z\-_]+/g, '-').replace(/^-+|-+$/g, '') || 'bedrock-focus';
    throw invalidProp(scope, 'exportName', name,
      'export names may contain only letters, digits, \'-\' and \'_\' (pattern ^[0-9A-Za-z\\-_]+$)', `Use e.g. '${suggestion}'`);
  }
}

function validatePrefix(scope: IConstruct, prefix: string): void {
  if (isUnresolved(prefix)) {
    return;
  }
  if (prefix.length === 0) {
    throw invalidProp(scope, 'prefix', prefix, 'the S3 prefix must not be empty', `Omit prefix to use '${DEFAULT_PREFIX}', or give a folder name`);
  }
  if (prefix.startsWith('/')) {
    throw invalidProp(scope, 'prefix', prefix,
      'the S3 prefix must not start with \'/\' (Data Exports writes to <prefix>/<export name>/data/, and a leading \'/\' makes an empty first folder)',
      `Use '${prefix.replace(/^\/+/, '') || DEFAULT_PREFIX}'`);
  }
  if (prefix.endsWith('/')) {
    throw invalidProp(scope, 'prefix', prefix,
      'the S3 prefix must not end with \'/\' (Data Exports adds /<export name>/data/ itself)', `Use '${prefix.replace(/\/+$/, '')}'`);
  }
  if (prefix.length > PREFIX_MAX_LENGTH) {
    throw invalidProp(scope, 'prefix', prefix, `the S3 prefix must be at most ${PREFIX_MAX_LENGTH} characters long (got ${prefix.length})`, 'Use a shorter prefix');
  }
}

function validateDescription(scope: IConstruct, description: string | undefined): void {
  if (description === undefined || isUnresolved(description)) {
    return;
  }
  if (description.length > DESCRIPTION_MAX_LENGTH) {
    throw invalidProp(scope, 'description', description, `descriptions must be at most ${DESCRIPTION_MAX_LENGTH} characters long (got ${description.length})`, 'Use a shorter description');
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

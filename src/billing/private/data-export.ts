import { Annotations, Stack, Token, Validations } from 'aws-cdk-lib';
import * as bcmdataexports from 'aws-cdk-lib/aws-bcmdataexports';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct, IDependable } from 'constructs';
import { acknowledgeAwsCustomResourceProvider, wildcardResourceFindingId } from './custom-resource';
import { invalidProp } from '../../private/errors';
import { isUnresolved } from '../../private/validate';

/**
 * The machinery both Data Exports of the library share (`FocusExport`, `Cur2Export`): the bucket policy that lets
 * Data Exports deliver, and the export itself, native in us-east-1 or a custom resource calling the us-east-1 API
 * from any other Region.
 */

/** The Region whose API (and CloudFormation resource type) Data Exports lives in. */
export const DATA_EXPORTS_REGION = 'us-east-1';
/** CloudFormation pattern and length of `AWS::BCMDataExports::Export.Name` (the API accepts the same and more). */
const EXPORT_NAME_PATTERN = /^[0-9A-Za-z\-_]+$/;
const EXPORT_NAME_MAX_LENGTH = 128;
/** Length limit of `S3Prefix` and `Description`. */
const PREFIX_MAX_LENGTH = 1024;
const DESCRIPTION_MAX_LENGTH = 1024;

/** The settings shared by both forms of an export. */
export interface ExportSpec {
  /** What the warnings call the export, e.g. 'FOCUS export'. */
  readonly label: string;
  /** The id the warnings start with, e.g. 'focusExport'. */
  readonly warningPrefix: string;
  readonly name: string;
  readonly description: string;
  /** The Data Exports table the query reads (e.g. `FOCUS_1_2_AWS`, `COST_AND_USAGE_REPORT`). */
  readonly tableName: string;
  readonly queryStatement: string;
  readonly tableConfigurations?: Record<string, Record<string, string>>;
  readonly bucket: s3.IBucket;
  readonly prefix: string;
  readonly bucketRegion: string;
  readonly grantCurReportDefinition: boolean;
}

/** A deployed export. */
export interface DeployedExport {
  readonly exportArn: string;
  readonly usesCustomResource: boolean;
}

/**
 * Let Data Exports write to the bucket, then create the export: a native `AWS::BCMDataExports::Export` in a stack
 * in us-east-1, else an AwsCustomResource calling the us-east-1 API. The export depends on the bucket policy.
 */
export function deployDataExport(scope: Construct, spec: ExportSpec): DeployedExport {
  const stack = Stack.of(scope);
  const policyDependable = allowDataExportsToWrite(scope, spec);
  const usesCustomResource = Token.isUnresolved(stack.region) || stack.region !== DATA_EXPORTS_REGION;
  if (Token.isUnresolved(stack.region)) {
    Annotations.of(scope).addWarningV2(`cdk-bedrock-governance:${spec.warningPrefix}RegionUnknown`,
      `The stack's Region is unknown at synth time, so the ${spec.label} is made by a custom resource that calls the Data Exports API in us-east-1 (this works from every Region). Give the stack an explicit env.region to get a native AWS::BCMDataExports::Export when it is in us-east-1.`);
  }
  if (!usesCustomResource) {
    const resource = new bcmdataexports.CfnExport(scope, 'Resource', { export: nativeExport(spec) });
    if (policyDependable) {
      resource.node.addDependency(policyDependable);
    }
    return { exportArn: resource.attrExportArn, usesCustomResource };
  }
  const resource = customResourceExport(scope, spec);
  if (policyDependable) {
    resource.node.addDependency(policyDependable);
  }
  return { exportArn: resource.getResponseField('ExportArn'), usesCustomResource };
}

/**
 * The bucket policy statement that lets Data Exports deliver: `s3:PutObject` and `s3:GetBucketPolicy` on the
 * bucket and its objects for `bcm-data-exports.amazonaws.com` and `billingreports.amazonaws.com`, only for
 * this account's exports (aws:SourceAccount, aws:SourceArn).
 */
function allowDataExportsToWrite(scope: Construct, spec: ExportSpec): IDependable | undefined {
  const stack = Stack.of(scope);
  const statement = new iam.PolicyStatement({
    sid: 'AllowDataExportsDelivery',
    principals: [
      new iam.ServicePrincipal('bcm-data-exports.amazonaws.com'),
      new iam.ServicePrincipal('billingreports.amazonaws.com'),
    ],
    actions: ['s3:PutObject', 's3:GetBucketPolicy'],
    resources: [spec.bucket.bucketArn, spec.bucket.arnForObjects('*')],
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
  const result = spec.bucket.addToResourcePolicy(statement);
  if (!result.statementAdded) {
    Annotations.of(scope).addWarningV2(`cdk-bedrock-governance:${spec.warningPrefix}BucketPolicy`,
      `CDK cannot change the policy of the imported bucket, so add this statement to it before the export is created, or Data Exports cannot write: ${JSON.stringify(stack.resolve(statement.toStatementJson()))}`);
    return undefined;
  }
  return result.policyDependable;
}

/** The export as an AwsCustomResource calling the Data Exports API in us-east-1. */
function customResourceExport(scope: Construct, spec: ExportSpec): cr.AwsCustomResource {
  const stack = Stack.of(scope);
  const exportParameter = apiExport(spec);
  const exportArns = `arn:${stack.partition}:bcm-data-exports:${DATA_EXPORTS_REGION}:${stack.account}:export/${spec.name}-*`;
  const tableArn = `arn:${stack.partition}:bcm-data-exports:${DATA_EXPORTS_REGION}:${stack.account}:table/${spec.tableName}`;
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
  if (spec.grantCurReportDefinition) {
    statements.push(new iam.PolicyStatement({ actions: ['cur:PutReportDefinition'], resources: [curDefinitions] }));
  }
  const resource = new cr.AwsCustomResource(scope, 'Resource', {
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
    for (const arn of spec.grantCurReportDefinition ? [exportArns, curDefinitions] : [exportArns]) {
      Validations.of(policy).acknowledge({ id: wildcardResourceFindingId(scope, arn), reason });
    }
  }
  acknowledgeAwsCustomResourceProvider(scope);
  return resource;
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
        s3Bucket: spec.bucket.bucketName,
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
        S3Bucket: spec.bucket.bucketName,
        S3Prefix: spec.prefix,
        S3Region: spec.bucketRegion,
        S3OutputConfigurations: { OutputType: 'CUSTOM', Format: 'PARQUET', Compression: 'PARQUET', Overwrite: 'OVERWRITE_REPORT' },
      },
    },
    RefreshCadence: { Frequency: 'SYNCHRONOUS' },
  };
}

/** Export names: 1-128 letters, digits, `-` and `_`. */
export function validateExportName(scope: IConstruct, name: string, fallback: string): void {
  if (isUnresolved(name)) {
    return;
  }
  if (name.length < 1 || name.length > EXPORT_NAME_MAX_LENGTH) {
    throw invalidProp(scope, 'exportName', name, `export names must be 1-${EXPORT_NAME_MAX_LENGTH} characters long (got ${name.length})`, 'Use a shorter, non-empty name');
  }
  if (!EXPORT_NAME_PATTERN.test(name)) {
    const suggestion = name.replace(/[^0-9A-Za-z\-_]+/g, '-').replace(/^-+|-+$/g, '') || fallback;
    throw invalidProp(scope, 'exportName', name,
      'export names may contain only letters, digits, \'-\' and \'_\' (pattern ^[0-9A-Za-z\\-_]+$)', `Use e.g. '${suggestion}'`);
  }
}

/** S3 prefixes: not empty, no leading or trailing `/`, at most 1,024 characters. */
export function validatePrefix(scope: IConstruct, prefix: string, defaultPrefix: string): void {
  if (isUnresolved(prefix)) {
    return;
  }
  if (prefix.length === 0) {
    throw invalidProp(scope, 'prefix', prefix, 'the S3 prefix must not be empty', `Omit prefix to use '${defaultPrefix}', or give a folder name`);
  }
  if (prefix.startsWith('/')) {
    throw invalidProp(scope, 'prefix', prefix,
      'the S3 prefix must not start with \'/\' (Data Exports writes to <prefix>/<export name>/data/, and a leading \'/\' makes an empty first folder)',
      `Use '${prefix.replace(/^\/+/, '') || defaultPrefix}'`);
  }
  if (prefix.endsWith('/')) {
    throw invalidProp(scope, 'prefix', prefix,
      'the S3 prefix must not end with \'/\' (Data Exports adds /<export name>/data/ itself)', `Use '${prefix.replace(/\/+$/, '')}'`);
  }
  if (prefix.length > PREFIX_MAX_LENGTH) {
    throw invalidProp(scope, 'prefix', prefix, `the S3 prefix must be at most ${PREFIX_MAX_LENGTH} characters long (got ${prefix.length})`, 'Use a shorter prefix');
  }
}

/** Descriptions: at most 1,024 characters. */
export function validateDescription(scope: IConstruct, description: string | undefined): void {
  if (description === undefined || isUnresolved(description)) {
    return;
  }
  if (description.length > DESCRIPTION_MAX_LENGTH) {
    throw invalidProp(scope, 'description', description, `descriptions must be at most ${DESCRIPTION_MAX_LENGTH} characters long (got ${description.length})`, 'Use a shorter description');
  }
}

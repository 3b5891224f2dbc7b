import { App, CfnParameter, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FocusExport, FocusTimeGranularity, FocusVersion } from '../../src/billing';
import { ACCOUNT, cleanupOutdirs, resolveIntrinsics, testApp } from '../helpers/cfn';
import { simulate } from '../helpers/iam';

afterAll(cleanupOutdirs);

/** AWS-FACTS.md section 5, FOCUS 1.0 (`FOCUS_1_0_AWS`): the 48 columns, copied from the documented list. */
const DOCUMENTED_FOCUS_1_0 = `AvailabilityZone, BilledCost, BillingAccountId, BillingAccountName, BillingCurrency, BillingPeriodEnd,
  BillingPeriodStart, ChargeCategory, ChargeClass, ChargeDescription, ChargeFrequency, ChargePeriodEnd, ChargePeriodStart,
  CommitmentDiscountCategory, CommitmentDiscountId, CommitmentDiscountName, CommitmentDiscountType, CommitmentDiscountStatus,
  ConsumedQuantity, ConsumedUnit, ContractedCost, ContractedUnitPrice, EffectiveCost, InvoiceIssuerName, ListCost,
  ListUnitPrice, PricingCategory, PricingQuantity, PricingUnit, ProviderName, PublisherName, RegionId, RegionName,
  ResourceId, ResourceName, ResourceType, ServiceCategory, ServiceName, SkuId, SkuPriceId, SubAccountId, SubAccountName,
  Tags, x_CostCategories, x_Discounts, x_Operation, x_ServiceCode, x_UsageType`;

/** AWS-FACTS.md section 5, FOCUS 1.2 (`FOCUS_1_2_AWS`, from the CID data-exports-aggregation.yaml): the 60 columns. */
const DOCUMENTED_FOCUS_1_2 = `AvailabilityZone, BilledCost, BillingAccountId, BillingAccountName, BillingAccountType,
  BillingCurrency, BillingPeriodEnd, BillingPeriodStart, CapacityReservationId, CapacityReservationStatus, ChargeCategory,
  ChargeClass, ChargeDescription, ChargeFrequency, ChargePeriodEnd, ChargePeriodStart, CommitmentDiscountCategory,
  CommitmentDiscountId, CommitmentDiscountName, CommitmentDiscountQuantity, CommitmentDiscountType, CommitmentDiscountUnit,
  CommitmentDiscountStatus, ConsumedQuantity, ConsumedUnit, ContractedCost, ContractedUnitPrice, EffectiveCost, InvoiceId,
  InvoiceIssuerName, ListCost, ListUnitPrice, PricingCategory, PricingCurrency, PricingCurrencyContractedUnitPrice,
  PricingCurrencyEffectiveCost, PricingCurrencyListUnitPrice, PricingQuantity, PricingUnit, ProviderName, PublisherName,
  RegionId, RegionName, ResourceId, ResourceName, ResourceType, ServiceCategory, ServiceName, ServiceSubcategory, SkuId,
  SkuMeter, SkuPriceId, SkuPriceDetails (map), SubAccountId, SubAccountName, SubAccountType, Tags (map<string,string>),
  x_Discounts (map<string,double>), x_Operation, x_ServiceCode`;

function documented(list: string): string[] {
  return list.replace(/\s*\([^)]*\)/g, '').split(',').map((c) => c.trim());
}

function stackIn(region: string | undefined, app: App = testApp(), id = 'Billing'): Stack {
  return new Stack(app, id, region ? { env: { account: ACCOUNT, region } } : undefined);
}

function exportProps(template: Template): any {
  return Object.values<any>(template.findResources('AWS::BCMDataExports::Export'))[0].Properties.Export;
}

/** The Create call of the custom resource, with the bucket name token resolved. */
function customResourceCall(template: Template, phase: 'Create' | 'Update' | 'Delete'): any {
  const resource = Object.values<any>(template.findResources('Custom::BcmDataExport'))[0];
  const json = resolveIntrinsics(resource.Properties[phase], template.toJSON(), (id, _r, attr) => `${id}.${attr}`);
  return JSON.parse(json);
}

describe('FocusExport in a us-east-1 stack: native AWS::BCMDataExports::Export', () => {
  test('defaults: FOCUS 1.2, DAILY, Parquet, overwrite, synchronous refresh, created bucket, prefix focus', () => {
    const stack = stackIn('us-east-1');
    const focus = new FocusExport(stack, 'Focus');
    const template = Template.fromStack(stack);
    const bucket = stack.getLogicalId(focus.bucket.node.defaultChild as s3.CfnBucket);
    expect(exportProps(template)).toEqual({
      Name: 'bedrock-governance-focus',
      Description: 'FOCUS 1.2 cost and usage for Bedrock chargeback (cdk-bedrock-governance)',
      DataQuery: {
        QueryStatement: `SELECT ${documented(DOCUMENTED_FOCUS_1_2).join(', ')} FROM FOCUS_1_2_AWS`,
        TableConfigurations: { FOCUS_1_2_AWS: { TIME_GRANULARITY: 'DAILY' } },
      },
      DestinationConfigurations: {
        S3Destination: {
          S3Bucket: { Ref: bucket },
          S3Prefix: 'focus',
          S3Region: 'us-east-1',
          S3OutputConfigurations: { OutputType: 'CUSTOM', Format: 'PARQUET', Compression: 'PARQUET', Overwrite: 'OVERWRITE_REPORT' },
        },
      },
      RefreshCadence: { Frequency: 'SYNCHRONOUS' },
    });
    expect(focus.usesCustomResource).toBe(false);
    expect(focus.dataPrefix).toBe('focus/bedrock-governance-focus/data');
    expect(stack.resolve(focus.exportArn)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(focus.node.defaultChild as any), 'ExportArn'] });
    template.resourceCountIs('Custom::BcmDataExport', 0);
  });

  test('the QueryStatement column lists are exactly the documented 48 (FOCUS 1.0) and 60 (FOCUS 1.2)', () => {
    expect(documented(DOCUMENTED_FOCUS_1_0)).toHaveLength(48);
    expect(documented(DOCUMENTED_FOCUS_1_2)).toHaveLength(60);
    expect(FocusExport.columnsOf(FocusVersion.V1_0)).toEqual(documented(DOCUMENTED_FOCUS_1_0));
    expect(FocusExport.columnsOf(FocusVersion.V1_2)).toEqual(documented(DOCUMENTED_FOCUS_1_2));
    const stack = stackIn('us-east-1');
    new FocusExport(stack, 'Focus', { version: FocusVersion.V1_0, exportName: 'focus10', prefix: 'billing/exports' });
    const props = exportProps(Template.fromStack(stack));
    expect(props.DataQuery).toEqual({ QueryStatement: `SELECT ${documented(DOCUMENTED_FOCUS_1_0).join(', ')} FROM FOCUS_1_0_AWS` });
    expect(props.Description).toBe('FOCUS 1.0 cost and usage for Bedrock chargeback (cdk-bedrock-governance)');
    expect(props.DestinationConfigurations.S3Destination.S3Prefix).toBe('billing/exports');
  });

  test('HOURLY and MONTHLY granularity go to the FOCUS 1.2 table configuration', () => {
    for (const granularity of [FocusTimeGranularity.HOURLY, FocusTimeGranularity.MONTHLY]) {
      const stack = stackIn('us-east-1');
      new FocusExport(stack, 'Focus', { timeGranularity: granularity });
      expect(exportProps(Template.fromStack(stack)).DataQuery.TableConfigurations).toEqual({ FOCUS_1_2_AWS: { TIME_GRANULARITY: granularity } });
    }
  });

  test('bucket policy: both service principals, PutObject + GetBucketPolicy on bucket and objects, source conditions', () => {
    const stack = stackIn('us-east-1');
    const focus = new FocusExport(stack, 'Focus');
    const template = Template.fromStack(stack);
    const bucket = stack.getLogicalId(focus.bucket.node.defaultChild as s3.CfnBucket);
    const arn = { 'Fn::GetAtt': [bucket, 'Arn'] };
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucket },
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'AllowDataExportsDelivery',
          Effect: 'Allow',
          Principal: { Service: ['bcm-data-exports.amazonaws.com', 'billingreports.amazonaws.com'] },
          Action: ['s3:PutObject', 's3:GetBucketPolicy'],
          Resource: [arn, { 'Fn::Join': ['', [arn, '/*']] }],
          Condition: {
            StringEquals: { 'aws:SourceAccount': ACCOUNT },
            StringLike: {
              'aws:SourceArn': [
                { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:bcm-data-exports:us-east-1:${ACCOUNT}:export/*`]] },
                { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cur:us-east-1:${ACCOUNT}:definition/*`]] },
              ],
            },
          },
        }]),
      },
    });
  });

  test('the export depends on the bucket policy', () => {
    const stack = stackIn('us-east-1');
    const focus = new FocusExport(stack, 'Focus');
    const template = Template.fromStack(stack);
    const policy = stack.getLogicalId(focus.bucket.policy!.node.defaultChild as s3.CfnBucketPolicy);
    const exportResource = Object.values<any>(template.findResources('AWS::BCMDataExports::Export'))[0];
    expect(exportResource.DependsOn).toEqual([policy]);
  });

  test('created bucket: hardened, versioned, SSE-S3, access logs, retained; removalPolicy and a shared log bucket are honoured', () => {
    const stack = stackIn('us-east-1');
    const focus = new FocusExport(stack, 'Focus');
    const logs = new s3.Bucket(stack, 'SharedLogs');
    const other = new FocusExport(stack, 'Other', { exportName: 'other', removalPolicy: RemovalPolicy.DESTROY, serverAccessLogsBucket: logs });
    const template = Template.fromStack(stack);
    const hardened = {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
    };
    const id = (b: s3.IBucket) => stack.getLogicalId(b.node.defaultChild as s3.CfnBucket);
    const buckets = template.findResources('AWS::S3::Bucket');
    expect(buckets[id(focus.bucket)]).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        ...hardened,
        LoggingConfiguration: { DestinationBucketName: { Ref: 'FocusBucketAccessLogs74C92955' }, LogFilePrefix: 'focus-export-bucket/' },
        LifecycleConfiguration: { Rules: [{ Id: 'ExpireNoncurrentVersionsAndIncompleteUploads', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }] },
      },
    });
    expect(buckets.FocusBucketAccessLogs74C92955).toMatchObject({ DeletionPolicy: 'Retain', Properties: hardened });
    expect(buckets[id(other.bucket)]).toMatchObject({
      DeletionPolicy: 'Delete',
      Properties: { ...hardened, LoggingConfiguration: { DestinationBucketName: { Ref: id(logs) } } },
    });
    // one access-log bucket per export that has none given; none for the one with a shared log bucket
    expect(Object.keys(buckets).filter((k) => k.includes('AccessLogs'))).toEqual(['FocusBucketAccessLogs74C92955']);
    // TLS 1.2+ enforced on the export bucket
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id(focus.bucket) },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } })]) },
    });
  });

  test('zero unacknowledged AwsSolutions findings', () => {
    const app = testApp();
    new FocusExport(stackIn('us-east-1', app), 'Focus');
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  });
});

describe('FocusExport outside us-east-1: custom resource calling the us-east-1 API', () => {
  test('create, update and delete calls: SDK v3 input casing, ExportArn from the create response', () => {
    const stack = stackIn('eu-west-1');
    const focus = new FocusExport(stack, 'Focus', { exportName: 'team-focus', prefix: 'cost/focus', timeGranularity: FocusTimeGranularity.HOURLY });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::BCMDataExports::Export', 0);
    const bucket = stack.getLogicalId(focus.bucket.node.defaultChild as s3.CfnBucket);
    const exportParameter = {
      Name: 'team-focus',
      Description: 'FOCUS 1.2 cost and usage for Bedrock chargeback (cdk-bedrock-governance)',
      DataQuery: {
        QueryStatement: `SELECT ${documented(DOCUMENTED_FOCUS_1_2).join(', ')} FROM FOCUS_1_2_AWS`,
        TableConfigurations: { FOCUS_1_2_AWS: { TIME_GRANULARITY: 'HOURLY' } },
      },
      DestinationConfigurations: {
        S3Destination: {
          S3Bucket: bucket,
          S3Prefix: 'cost/focus',
          S3Region: 'eu-west-1',
          S3OutputConfigurations: { OutputType: 'CUSTOM', Format: 'PARQUET', Compression: 'PARQUET', Overwrite: 'OVERWRITE_REPORT' },
        },
      },
      RefreshCadence: { Frequency: 'SYNCHRONOUS' },
    };
    expect(customResourceCall(template, 'Create')).toEqual({
      service: 'BCMDataExports',
      action: 'createExport',
      region: 'us-east-1',
      parameters: { Export: exportParameter },
      physicalResourceId: { responsePath: 'ExportArn' },
      outputPaths: ['ExportArn'],
    });
    expect(customResourceCall(template, 'Update')).toEqual({
      service: 'BCMDataExports',
      action: 'updateExport',
      region: 'us-east-1',
      parameters: { ExportArn: 'PHYSICAL:RESOURCEID:', Export: exportParameter },
      physicalResourceId: { responsePath: 'ExportArn' },
      outputPaths: ['ExportArn'],
    });
    expect(customResourceCall(template, 'Delete')).toEqual({
      service: 'BCMDataExports',
      action: 'deleteExport',
      region: 'us-east-1',
      parameters: { ExportArn: 'PHYSICAL:RESOURCEID:' },
      ignoreErrorCodesMatching: 'ResourceNotFoundException',
    });
    template.hasResourceProperties('Custom::BcmDataExport', { InstallLatestAwsSdk: false });
    expect(focus.usesCustomResource).toBe(true);
    const resource = Object.keys(template.findResources('Custom::BcmDataExport'))[0];
    expect(stack.resolve(focus.exportArn)).toEqual({ 'Fn::GetAtt': [resource, 'ExportArn'] });
  });

  test('the custom resource depends on the bucket policy and its own least-privilege policy', () => {
    const stack = stackIn('eu-west-1');
    const focus = new FocusExport(stack, 'Focus');
    const template = Template.fromStack(stack);
    const bucketPolicy = stack.getLogicalId(focus.bucket.policy!.node.defaultChild as s3.CfnBucketPolicy);
    const resource = Object.values<any>(template.findResources('Custom::BcmDataExport'))[0];
    expect(resource.DependsOn).toEqual([bucketPolicy, 'FocusCustomResourcePolicyDD099A81']);
    const arn = (suffix: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, suffix]] });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: 'FocusCustomResourcePolicyDD099A81',
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['bcm-data-exports:CreateExport', 'bcm-data-exports:UpdateExport'],
            Resource: [arn(`:bcm-data-exports:us-east-1:${ACCOUNT}:table/FOCUS_1_2_AWS`), arn(`:bcm-data-exports:us-east-1:${ACCOUNT}:export/bedrock-governance-focus-*`)],
          },
          { Effect: 'Allow', Action: 'bcm-data-exports:DeleteExport', Resource: arn(`:bcm-data-exports:us-east-1:${ACCOUNT}:export/bedrock-governance-focus-*`) },
          { Effect: 'Allow', Action: 'cur:PutReportDefinition', Resource: arn(`:cur:us-east-1:${ACCOUNT}:definition/*`) },
        ],
      },
    });
  });

  test('IAM simulator: the provider role may create/update/delete this export only, on this table only', async () => {
    const stack = stackIn('eu-west-1');
    new FocusExport(stack, 'Focus', { version: FocusVersion.V1_0, exportName: 'focus10' });
    const template = Template.fromStack(stack).toJSON();
    const policy = resolveIntrinsics(template.Resources.FocusCustomResourcePolicyDD099A81.Properties.PolicyDocument, template);
    const policies = { identityPolicies: [{ name: 'cr', policy }] };
    const exportArn = `arn:aws:bcm-data-exports:us-east-1:${ACCOUNT}:export/focus10-0a1b2c3d-4e5f-6789-abcd-ef0123456789`;
    const otherExport = `arn:aws:bcm-data-exports:us-east-1:${ACCOUNT}:export/finance-cur-0a1b2c3d-4e5f-6789-abcd-ef0123456789`;
    const table = `arn:aws:bcm-data-exports:us-east-1:${ACCOUNT}:table/FOCUS_1_0_AWS`;
    const cur = `arn:aws:bcm-data-exports:us-east-1:${ACCOUNT}:table/COST_AND_USAGE_REPORT`;
    const cases: Array<[string, string, string]> = [
      ['bcm-data-exports:CreateExport', table, 'Allowed'],
      ['bcm-data-exports:CreateExport', cur, 'ImplicitlyDenied'],
      ['bcm-data-exports:UpdateExport', exportArn, 'Allowed'],
      ['bcm-data-exports:UpdateExport', otherExport, 'ImplicitlyDenied'],
      ['bcm-data-exports:DeleteExport', exportArn, 'Allowed'],
      ['bcm-data-exports:DeleteExport', otherExport, 'ImplicitlyDenied'],
      ['bcm-data-exports:GetExport', exportArn, 'ImplicitlyDenied'],
      ['cur:PutReportDefinition', `arn:aws:cur:us-east-1:${ACCOUNT}:definition/focus10`, 'Allowed'],
      ['cur:PutReportDefinition', 'arn:aws:cur:us-east-1:999999999999:definition/focus10', 'ImplicitlyDenied'],
    ];
    for (const [action, resource, expected] of cases) {
      const result = await simulate(policies, { action, resource });
      expect({ action, resource, decision: result.decision }).toEqual({ action, resource, decision: expected });
      expect(result.ignoredContextKeys).toEqual([]);
    }
  });

  test('grantCurReportDefinition: false drops cur:PutReportDefinition', () => {
    const stack = stackIn('ap-southeast-2');
    new FocusExport(stack, 'Focus', { grantCurReportDefinition: false });
    const statements = Template.fromStack(stack).toJSON().Resources.FocusCustomResourcePolicyDD099A81.Properties.PolicyDocument.Statement;
    expect(statements.map((s: any) => s.Action)).toEqual([['bcm-data-exports:CreateExport', 'bcm-data-exports:UpdateExport'], 'bcm-data-exports:DeleteExport']);
  });

  test('unresolved Region: custom resource and a warning', () => {
    const stack = stackIn(undefined);
    const focus = new FocusExport(stack, 'Focus');
    expect(focus.usesCustomResource).toBe(true);
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::BcmDataExport', 1);
    Annotations.fromStack(stack).hasWarning('/Billing/Focus', Match.stringLikeRegexp('Region is unknown at synth time.*custom resource.*us-east-1'));
    // the source conditions use the deploy-time account
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }) })]) },
    });
  });

  test('zero unacknowledged AwsSolutions findings (the provider function and its wildcards are acknowledged with reasons)', () => {
    const app = testApp();
    new FocusExport(stackIn('eu-west-1', app), 'Focus');
    new FocusExport(stackIn(undefined, app, 'Agnostic'), 'Focus');
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  });
});

describe('FocusExport with your bucket, and imports', () => {
  test('an owned bucket gets the statement; the S3Region is the bucket\'s', () => {
    const stack = stackIn('us-east-1');
    const bucket = new s3.Bucket(stack, 'Mine', { enforceSSL: true });
    new FocusExport(stack, 'Focus', { bucket });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket) },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowDataExportsDelivery' })]) },
    });
  });

  test('an imported bucket in another Region: S3Region from the bucket, a warning with the statement to add, no dependency', () => {
    const stack = stackIn('us-east-1');
    const bucket = s3.Bucket.fromBucketAttributes(stack, 'Theirs', { bucketName: 'finance-exports', region: 'eu-central-1' });
    new FocusExport(stack, 'Focus', { bucket });
    const template = Template.fromStack(stack);
    const exportResource = Object.values<any>(template.findResources('AWS::BCMDataExports::Export'))[0];
    expect(exportResource.Properties.Export.DestinationConfigurations.S3Destination).toMatchObject({ S3Bucket: 'finance-exports', S3Region: 'eu-central-1' });
    expect(exportResource.DependsOn).toBeUndefined();
    Annotations.fromStack(stack).hasWarning('/Billing/Focus', Match.stringLikeRegexp('add this statement.*bcm-data-exports.amazonaws.com.*:s3:::finance-exports/\\*'));
  });

  test('fromExportAttributes: data prefix and version', () => {
    const stack = stackIn('eu-west-1');
    const bucket = s3.Bucket.fromBucketName(stack, 'Payer', 'payer-exports');
    const imported = FocusExport.fromExportAttributes(stack, 'Imported', { bucket, exportName: 'org-focus', prefix: 'exports' });
    expect(imported.dataPrefix).toBe('exports/org-focus/data');
    expect(imported.version).toBe(FocusVersion.V1_2);
    expect(() => FocusExport.fromExportAttributes(stack, 'Bad', { bucket, exportName: 'org focus', prefix: 'exports' }))
      .toThrow("Billing: invalid exportName 'org focus'");
  });
});

describe('FocusExport bad input', () => {
  const make = (props: any) => () => new FocusExport(stackIn('us-east-1'), 'Focus', props);

  test('export names that break ^[0-9A-Za-z\\-_]+$ or 1-128 characters', () => {
    expect(make({ exportName: 'bedrock focus' })).toThrow(
      "Billing/Focus: invalid exportName 'bedrock focus': export names may contain only letters, digits, '-' and '_' (pattern ^[0-9A-Za-z\\-_]+$). Use e.g. 'bedrock-focus'");
    expect(make({ exportName: 'focus.v1.2' })).toThrow(
      "Billing/Focus: invalid exportName 'focus.v1.2': export names may contain only letters, digits, '-' and '_' (pattern ^[0-9A-Za-z\\-_]+$). Use e.g. 'focus-v1-2'");
    expect(make({ exportName: '' })).toThrow(
      "Billing/Focus: invalid exportName '': export names must be 1-128 characters long (got 0). Use a shorter, non-empty name");
    expect(make({ exportName: 'x'.repeat(129) })).toThrow(
      `Billing/Focus: invalid exportName '${'x'.repeat(129)}': export names must be 1-128 characters long (got 129). Use a shorter, non-empty name`);
    expect(make({ exportName: 'x'.repeat(128) })).not.toThrow();
  });

  test('a prefix with a leading slash, a trailing slash, or empty', () => {
    expect(make({ prefix: '/focus' })).toThrow(
      "Billing/Focus: invalid prefix '/focus': the S3 prefix must not start with '/' (Data Exports writes to <prefix>/<export name>/data/, and a leading '/' makes an empty first folder). Use 'focus'");
    expect(make({ prefix: 'billing/focus/' })).toThrow(
      "Billing/Focus: invalid prefix 'billing/focus/': the S3 prefix must not end with '/' (Data Exports adds /<export name>/data/ itself). Use 'billing/focus'");
    expect(make({ prefix: '' })).toThrow(
      "Billing/Focus: invalid prefix '': the S3 prefix must not be empty. Omit prefix to use 'focus', or give a folder name");
  });

  test('a granularity on FOCUS 1.0', () => {
    expect(make({ version: FocusVersion.V1_0, timeGranularity: FocusTimeGranularity.HOURLY })).toThrow(
      "Billing/Focus: invalid timeGranularity 'HOURLY': FOCUS 1.0 (FOCUS_1_0_AWS) takes no table configurations. Remove timeGranularity, or use version: FocusVersion.V1_2");
  });

  test('a description over 1,024 characters', () => {
    expect(make({ description: 'd'.repeat(1025) })).toThrow(/invalid description 'd+': descriptions must be at most 1024 characters long \(got 1025\)\. Use a shorter description$/);
  });

  test('tokens are passed through unchecked', () => {
    const stack = stackIn('us-east-1');
    const name = new CfnParameter(stack, 'Name').valueAsString;
    const prefix = new CfnParameter(stack, 'Prefix').valueAsString;
    expect(() => new FocusExport(stack, 'Focus', { exportName: name, prefix })).not.toThrow();
  });
});

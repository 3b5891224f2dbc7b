import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Cur2Export, FocusTimeGranularity } from '../../src/billing';
import { BedrockGovernanceChecks } from '../../src/nag';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const STATEMENT = 'SELECT bill_billing_entity, bill_billing_period_start_date, bill_billing_period_end_date, bill_invoice_id, bill_payer_account_id, '
  + 'identity_line_item_id, identity_time_interval, line_item_line_item_type, line_item_usage_account_id, line_item_product_code, '
  + 'line_item_usage_type, line_item_operation, line_item_resource_id, line_item_line_item_description, line_item_usage_start_date, '
  + 'line_item_usage_end_date, line_item_usage_amount, line_item_currency_code, line_item_unblended_cost, line_item_net_unblended_cost, '
  + 'line_item_iam_principal, product_servicecode, product_region_code, pricing_unit, tags FROM COST_AND_USAGE_REPORT';

describe('Cur2Export', () => {
  test('in us-east-1: a native export of COST_AND_USAGE_REPORT, Parquet, IAM principal data and resource ids on', () => {
    const stack = new Stack(testApp(), 'Billing', { env: ENV });
    const cur = new Cur2Export(stack, 'Cur2');
    const template = Template.fromStack(stack);
    expect(cur.usesCustomResource).toBe(false);
    expect(cur.dataPrefix).toBe('cur2/bedrock-governance-cur2/data');
    template.hasResourceProperties('AWS::BCMDataExports::Export', {
      Export: {
        Name: 'bedrock-governance-cur2',
        DataQuery: {
          QueryStatement: STATEMENT,
          TableConfigurations: {
            COST_AND_USAGE_REPORT: {
              TIME_GRANULARITY: 'DAILY',
              INCLUDE_RESOURCES: 'TRUE',
              INCLUDE_SPLIT_COST_ALLOCATION_DATA: 'FALSE',
              INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY: 'FALSE',
              INCLUDE_IAM_PRINCIPAL_DATA: 'TRUE',
            },
          },
        },
        DestinationConfigurations: {
          S3Destination: {
            S3Prefix: 'cur2',
            S3Region: 'us-east-1',
            S3OutputConfigurations: { OutputType: 'CUSTOM', Format: 'PARQUET', Compression: 'PARQUET', Overwrite: 'OVERWRITE_REPORT' },
          },
        },
        RefreshCadence: { Frequency: 'SYNCHRONOUS' },
      },
    });
    // the same hardened bucket as the FOCUS export, with the Data Exports delivery statement
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'cur2-export-bucket/' }),
    });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Sid: 'AllowDataExportsDelivery', Principal: { Service: ['bcm-data-exports.amazonaws.com', 'billingreports.amazonaws.com'] } }),
        ]),
      },
    });
    const exportResource = Object.values<any>(template.findResources('AWS::BCMDataExports::Export'))[0];
    expect(exportResource.DependsOn.some((d: string) => d.includes('BucketPolicy'))).toBe(true);
  });

  test('elsewhere: the us-east-1 API through a custom resource, the bucket in the stack\'s Region', () => {
    const stack = new Stack(testApp(), 'Billing', { env: { account: ENV.account, region: 'eu-west-1' } });
    const cur = new Cur2Export(stack, 'Cur2', { includeIamPrincipalData: false, timeGranularity: FocusTimeGranularity.HOURLY });
    expect(cur.usesCustomResource).toBe(true);
    const template = Template.fromStack(stack);
    const create = JSON.stringify(Object.values<any>(template.findResources('Custom::BcmDataExport'))[0].Properties.Create).replace(/\\"/g, '"');
    expect(create).toContain('"region":"us-east-1"');
    expect(create).toContain('"S3Region":"eu-west-1"');
    expect(create).toContain('"INCLUDE_IAM_PRINCIPAL_DATA":"FALSE"');
    expect(create).toContain('"TIME_GRANULARITY":"HOURLY"');
    expect(JSON.stringify(template.toJSON())).toContain(':table/COST_AND_USAGE_REPORT');
  });

  test('the principal table property is a documented prop with a checked form', () => {
    const stack = new Stack(testApp(), 'Billing', { env: ENV });
    new Cur2Export(stack, 'Cur2', { iamPrincipalTableProperty: 'INCLUDE_CALLER_IDENTITY' });
    Template.fromStack(stack).hasResourceProperties('AWS::BCMDataExports::Export', {
      Export: { DataQuery: { TableConfigurations: { COST_AND_USAGE_REPORT: Match.objectLike({ INCLUDE_CALLER_IDENTITY: 'TRUE' }) } } },
    });
    expect(() => new Cur2Export(stack, 'Bad', { iamPrincipalTableProperty: 'include caller' })).toThrow(
      "Billing/Bad: invalid iamPrincipalTableProperty 'include caller': Data Exports table properties are upper-case letters, digits and '_' (e.g. INCLUDE_RESOURCES). Pass the name `aws bcm-data-exports get-table --table-name COST_AND_USAGE_REPORT` lists, or omit it");
    expect(() => new Cur2Export(stack, 'BadName', { exportName: 'my export' })).toThrow(/Billing\/BadName: invalid exportName 'my export'/);
  });

  test('an imported bucket gets a warning with the statement to add', () => {
    const stack = new Stack(testApp(), 'Billing', { env: ENV });
    new Cur2Export(stack, 'Cur2', { bucket: s3.Bucket.fromBucketName(stack, 'Existing', 'billing-bucket') });
    Annotations.fromStack(stack).hasWarning('/Billing/Cur2', Match.stringLikeRegexp('add this statement'));
  });

  test('no unacknowledged finding of AwsSolutions or the library pack, in us-east-1 and elsewhere', () => {
    for (const region of ['us-east-1', 'eu-west-1']) {
      const stack = new Stack(testApp(), 'Billing', { env: { account: ENV.account, region } });
      new Cur2Export(stack, 'Cur2');
      const findings = [new AwsSolutionsChecks(), new BedrockGovernanceChecks()].flatMap((pack) => pack.validateScope(stack).violations);
      expect(findings).toEqual([]);
    }
  });
});

import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ChargebackQueries, ChargebackSql, FocusExport, FocusVersion } from '../../src/billing';
import { ACCOUNT, ENV, REGION, cleanupOutdirs, resolveIntrinsics, testApp } from '../helpers/cfn';
import { policiesOfRole, simulate } from '../helpers/iam';

afterAll(cleanupOutdirs);

function build(props: any = {}, version: FocusVersion = FocusVersion.V1_2) {
  const stack = new Stack(testApp(), 'Billing', { env: ENV });
  const focusExport = new FocusExport(stack, 'Focus', { version });
  const chargeback = new ChargebackQueries(stack, 'Chargeback', { focusExport, ...props });
  return { stack, focusExport, chargeback };
}

function setup(props: any = {}, version: FocusVersion = FocusVersion.V1_2) {
  const built = build(props, version);
  return { ...built, template: Template.fromStack(built.stack) };
}

describe('ChargebackQueries', () => {
  test('Glue database and table: the export columns in lower case, Parquet, partition projection on BILLING_PERIOD', () => {
    const { stack, focusExport, chargeback, template } = setup();
    const bucket = stack.getLogicalId(focusExport.bucket.node.defaultChild as s3.CfnBucket);
    template.hasResourceProperties('AWS::Glue::Database', {
      CatalogId: ACCOUNT,
      DatabaseInput: { Name: 'bedrock_chargeback', Description: 'Bedrock chargeback over the FOCUS Data Export (cdk-bedrock-governance)' },
    });
    const table = Object.values<any>(template.findResources('AWS::Glue::Table'))[0].Properties;
    const s3Path = (suffix: string) => ({ 'Fn::Join': ['', ['s3://', { Ref: bucket }, suffix]] });
    expect(table).toEqual({
      CatalogId: ACCOUNT,
      DatabaseName: { Ref: stack.getLogicalId(chargeback.database) },
      TableInput: {
        Name: 'focus',
        Description: 'FOCUS Data Export bedrock-governance-focus (FOCUS_1_2_AWS), one partition per billing period',
        TableType: 'EXTERNAL_TABLE',
        Parameters: {
          'classification': 'parquet',
          'projection.enabled': 'true',
          'projection.billing_period.type': 'date',
          'projection.billing_period.format': 'yyyy-MM',
          'projection.billing_period.range': '2024-01,NOW',
          'projection.billing_period.interval': '1',
          'projection.billing_period.interval.unit': 'MONTHS',
          'storage.location.template': s3Path('/focus/bedrock-governance-focus/data/BILLING_PERIOD=${billing_period}'),
        },
        PartitionKeys: [{ Name: 'billing_period', Type: 'string' }],
        StorageDescriptor: {
          Location: s3Path('/focus/bedrock-governance-focus/data/'),
          InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', Parameters: { 'serialization.format': '1' } },
          Columns: expect.any(Array),
        },
      },
    });
    // the table's columns are the export's QueryStatement columns, lower-cased, in order
    const exportColumns = focusExport.queryStatement.replace(/^SELECT /, '').replace(/ FROM FOCUS_1_2_AWS$/, '').split(', ');
    expect(table.TableInput.StorageDescriptor.Columns.map((c: any) => c.Name)).toEqual(exportColumns.map((c) => c.toLowerCase()));
    const types = Object.fromEntries(table.TableInput.StorageDescriptor.Columns.map((c: any) => [c.Name, c.Type]));
    expect(types).toMatchObject({
      billedcost: 'double',
      effectivecost: 'double',
      listcost: 'double',
      listunitprice: 'double',
      pricingquantity: 'double',
      billingperiodstart: 'timestamp',
      chargeperiodstart: 'timestamp',
      tags: 'map<string,string>',
      skupricedetails: 'map<string,string>',
      x_discounts: 'map<string,double>',
      servicename: 'string',
      x_operation: 'string',
      skumeter: 'string',
    });
  });

  test('FOCUS 1.0: 48 columns with x_usagetype and x_costcategories', () => {
    const { template } = setup({}, FocusVersion.V1_0);
    const columns = Object.values<any>(template.findResources('AWS::Glue::Table'))[0].Properties.TableInput.StorageDescriptor.Columns;
    expect(columns).toHaveLength(48);
    expect(columns).toEqual(expect.arrayContaining([{ Name: 'x_usagetype', Type: 'string' }, { Name: 'x_costcategories', Type: 'map<string,string>' }]));
  });

  test('workgroup: enforced configuration, engine 3, SSE-S3 encrypted results in the results bucket', () => {
    const { stack, chargeback, template } = setup({ bytesScannedCutoffPerQuery: 10_000_000_000 });
    const results = stack.getLogicalId(chargeback.resultsBucket.node.defaultChild as s3.CfnBucket);
    const workGroup = Object.values<any>(template.findResources('AWS::Athena::WorkGroup'))[0].Properties;
    expect(workGroup).toEqual({
      Name: 'bedrock-chargeback',
      Description: 'Bedrock chargeback queries over the FOCUS Data Export (cdk-bedrock-governance)',
      State: 'ENABLED',
      RecursiveDeleteOption: true,
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        RequesterPaysEnabled: false,
        BytesScannedCutoffPerQuery: 10_000_000_000,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: {
          OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: results }, '/athena-results/']] },
          ExpectedBucketOwner: ACCOUNT,
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
        },
      },
    });
    expect(template.findResources('AWS::S3::Bucket')[results]).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: { Rules: [{ ExpirationInDays: 30, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }] },
        LoggingConfiguration: { LogFilePrefix: 'chargeback-results-bucket/' },
      },
    });
  });

  test('named queries: the ChargebackSql text, in the workgroup and database, after the table', () => {
    const { stack, chargeback, template } = setup({ costTagKeys: { team: 'squad' }, bedrockServiceCodes: ['AmazonBedrock'] });
    const sql = { database: 'bedrock_chargeback', table: 'focus', version: FocusVersion.V1_2, costTagKeys: { team: 'squad' }, bedrockServiceCodes: ['AmazonBedrock'] };
    const expected = [
      ['Bedrock cost per team per month', ChargebackSql.costPerTeamPerMonth(sql)],
      ['Bedrock cost per team per model and profile', ChargebackSql.costPerTeamPerModel(sql)],
      ['Bedrock cost per team per operation', ChargebackSql.costPerTeamPerOperation(sql)],
      ['Bedrock prompt cache savings', ChargebackSql.cacheSavings(sql)],
      ['Bedrock spend without a team tag', ChargebackSql.untaggedSpend(sql)],
      ['Tag keys on Bedrock rows', ChargebackSql.tagKeys(sql)],
    ];
    const queries = Object.values<any>(template.findResources('AWS::Athena::NamedQuery'));
    const workGroup = stack.getLogicalId(chargeback.workGroup);
    const table = stack.getLogicalId(chargeback.table);
    expect(queries.map((q) => [q.Properties.Name, q.Properties.QueryString])).toEqual(expected);
    for (const query of queries) {
      expect(query.Properties).toMatchObject({ Database: 'bedrock_chargeback', WorkGroup: { Ref: workGroup } });
      expect(query.DependsOn).toEqual([table]);
    }
    expect(chargeback.namedQueries).toHaveLength(6);
    expect(queries[0].Properties.QueryString).toContain("element_at(tags, 'user:squad')");
    expect(queries[0].Properties.QueryString).toContain("x_servicecode IN ('AmazonBedrock')");
  });

  test('names, first billing period and results retention are configurable', () => {
    const { template } = setup({
      databaseName: 'finops',
      tableName: 'focus_12',
      workGroupName: 'finops.chargeback',
      firstBillingPeriod: '2025-07',
      resultsExpiration: Duration.days(7),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'finops' } });
    template.hasResourceProperties('AWS::Glue::Table', { TableInput: Match.objectLike({ Name: 'focus_12', Parameters: Match.objectLike({ 'projection.billing_period.range': '2025-07,NOW' }) }) });
    template.hasResourceProperties('AWS::Athena::WorkGroup', { Name: 'finops.chargeback' });
    template.hasResourceProperties('AWS::Athena::NamedQuery', { Database: 'finops', QueryString: Match.stringLikeRegexp('FROM "finops"."focus_12"') });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 7 })] } }) });
  });

  test('over an imported export (e.g. written by the management account)', () => {
    const stack = new Stack(testApp(), 'Billing', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    const bucket = s3.Bucket.fromBucketName(stack, 'Payer', 'org-billing-exports');
    const focusExport = FocusExport.fromExportAttributes(stack, 'OrgFocus', { bucket, exportName: 'org-focus', prefix: 'exports', version: FocusVersion.V1_0 });
    new ChargebackQueries(stack, 'Chargeback', { focusExport });
    const template = Template.fromStack(stack);
    const table = Object.values<any>(template.findResources('AWS::Glue::Table'))[0].Properties.TableInput;
    expect(table.StorageDescriptor.Location).toBe('s3://org-billing-exports/exports/org-focus/data/');
    expect(table.Parameters['storage.location.template']).toBe('s3://org-billing-exports/exports/org-focus/data/BILLING_PERIOD=${billing_period}');
    expect(table.StorageDescriptor.Columns).toHaveLength(48);
  });

  test('grantQuery: Athena in the workgroup, Glue reads, export data under its prefix only, results read/write', async () => {
    const { stack, chargeback } = build();
    const role = new iam.Role(stack, 'Finance', { assumedBy: new iam.AccountRootPrincipal(), roleName: 'finance' });
    chargeback.grantQuery(role);
    chargeback.acknowledgeQueryGrantWildcards(role);
    const template = Template.fromStack(stack).toJSON();
    const attrs = (id: string, resource: any, attribute: string) => {
      if (resource.Type === 'AWS::S3::Bucket' && attribute === 'Arn') {
        return `arn:aws:s3:::${id.toLowerCase()}`;
      }
      return `${id}.${attribute}`;
    };
    const policies = policiesOfRole(template, stack.getLogicalId(role.node.defaultChild as iam.CfnRole), attrs);
    const exportBucket = `arn:aws:s3:::${stack.getLogicalId(chargeback.focusExport.bucket.node.defaultChild as s3.CfnBucket).toLowerCase()}`;
    const resultsBucket = `arn:aws:s3:::${stack.getLogicalId(chargeback.resultsBucket.node.defaultChild as s3.CfnBucket).toLowerCase()}`;
    const workGroup = `arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/${resolveIntrinsics({ Ref: stack.getLogicalId(chargeback.workGroup) }, template)}`;
    const cases: Array<[string, string, string, Record<string, string>?]> = [
      ['athena:StartQueryExecution', workGroup, 'Allowed'],
      ['athena:GetQueryResults', workGroup, 'Allowed'],
      ['athena:StartQueryExecution', `arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/primary`, 'ImplicitlyDenied'],
      ['glue:GetTable', `arn:aws:glue:${REGION}:${ACCOUNT}:table/bedrock_chargeback/focus`, 'Allowed'],
      ['glue:GetTable', `arn:aws:glue:${REGION}:${ACCOUNT}:table/other_db/focus`, 'ImplicitlyDenied'],
      ['glue:GetPartitions', `arn:aws:glue:${REGION}:${ACCOUNT}:database/bedrock_chargeback`, 'Allowed'],
      ['s3:GetObject', `${exportBucket}/focus/bedrock-governance-focus/data/BILLING_PERIOD=2026-01/part-0.parquet`, 'Allowed'],
      ['s3:GetObject', `${exportBucket}/focus/bedrock-governance-focus/metadata/BILLING_PERIOD=2026-01/Manifest.json`, 'ImplicitlyDenied'],
      ['s3:ListBucket', exportBucket, 'Allowed', { 's3:prefix': 'focus/bedrock-governance-focus/data/BILLING_PERIOD=2026-01/' }],
      ['s3:ListBucket', exportBucket, 'ImplicitlyDenied', { 's3:prefix': 'other/' }],
      ['s3:PutObject', `${resultsBucket}/athena-results/query-id.csv`, 'Allowed'],
      ['s3:PutObject', `${exportBucket}/focus/bedrock-governance-focus/data/x.parquet`, 'ImplicitlyDenied'],
      ['s3:DeleteObject', `${resultsBucket}/athena-results/query-id.csv`, 'ImplicitlyDenied'],
    ];
    for (const [action, resource, expected, context] of cases) {
      const result = await simulate(policies, { action, resource, context });
      expect({ action, resource, decision: result.decision }).toEqual({ action, resource, decision: expected });
      expect(result.ignoredContextKeys).toEqual([]);
    }
  });

  test('zero unacknowledged AwsSolutions findings, grantee included once acknowledgeQueryGrantWildcards is called', () => {
    const app = testApp();
    const stack = new Stack(app, 'Billing', { env: ENV });
    const focusExport = new FocusExport(stack, 'Focus');
    const chargeback = new ChargebackQueries(stack, 'Chargeback', { focusExport });
    const role = new iam.Role(stack, 'Finance', { assumedBy: new iam.AccountRootPrincipal() });
    chargeback.grantQuery(role);
    const before = new AwsSolutionsChecks().validateScope(app).violations.map((v) => v.ruleName);
    expect(before).toEqual([
      `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(focusExport.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/focus/bedrock-governance-focus/data/*]`,
      `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(chargeback.resultsBucket.node.defaultChild as s3.CfnBucket)}.Arn>/athena-results/*]`,
    ]);
    chargeback.acknowledgeQueryGrantWildcards(role);
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  });

  test('bad input', () => {
    const make = (props: any) => () => setup(props);
    expect(make({ databaseName: 'Bedrock-Chargeback' })).toThrow(
      "Billing/Chargeback: invalid databaseName 'Bedrock-Chargeback': Glue database names (as Athena reads them) may contain only lower-case letters, digits and '_'. Use e.g. 'bedrock_chargeback'");
    expect(make({ tableName: 'focus.v2' })).toThrow(
      "Billing/Chargeback: invalid tableName 'focus.v2': Glue table names (as Athena reads them) may contain only lower-case letters, digits and '_'. Use e.g. 'focus_v2'");
    expect(make({ workGroupName: 'bedrock chargeback' })).toThrow(
      "Billing/Chargeback: invalid workGroupName 'bedrock chargeback': Athena workgroup names are 1-128 letters, digits, '.', '_' and '-'. Use e.g. 'bedrock-chargeback'");
    expect(make({ firstBillingPeriod: '2025-13' })).toThrow(
      "Billing/Chargeback: invalid firstBillingPeriod '2025-13': billing periods are written YYYY-MM. Use e.g. '2025-01'");
    expect(make({ bytesScannedCutoffPerQuery: 1000 })).toThrow(
      'Billing/Chargeback: invalid bytesScannedCutoffPerQuery 1000: Athena takes a whole number of bytes of at least 10,000,000 (10 MB). Pass e.g. 10_000_000_000 for 10 GB');
  });
});

describe('ChargebackSql', () => {
  test('tag key forms: plain, user:, user_ (also CUR 2.0 sanitized), resourceTags/', () => {
    expect(ChargebackSql.tagKeyForms('team')).toEqual(['team', 'user:team', 'user_team', 'resourceTags/team', 'resourceTags/user:team', 'resourceTags/user_team']);
    expect(ChargebackSql.tagKeyForms('cost-center')).toEqual([
      'cost-center', 'user:cost-center', 'user_cost-center', 'user_cost_center', 'resourceTags/cost-center', 'resourceTags/user:cost-center',
      'resourceTags/user_cost_center',
    ]);
    expect(ChargebackSql.prefixedTagKeyForms('iamPrincipal/', 'cost-center')).toEqual([
      'iamPrincipal/cost-center', 'iamPrincipal/user:cost-center', 'iamPrincipal/user_cost_center',
    ]);
  });

  test('quotes in names and keys are escaped', () => {
    const sql = ChargebackSql.costPerTeamPerMonth({ database: 'd"b', table: 't', costTagKeys: { team: "o'brien" } });
    expect(sql).toContain('FROM "d""b"."t"');
    expect(sql).toContain("element_at(tags, 'o''brien')");
  });

  test('no extra service codes: only the service name forms select Bedrock rows', () => {
    const sql = ChargebackSql.untaggedSpend({ database: 'd', table: 't', bedrockServiceCodes: [] });
    expect(sql).toContain("WHERE (servicename = 'Amazon Bedrock' OR servicename LIKE '%(Amazon Bedrock Edition)%')\n");
  });

  test('cache usage comes from x_usagetype in FOCUS 1.0 and from skumeter in FOCUS 1.2', () => {
    expect(ChargebackSql.cacheSavings({ database: 'd', table: 't', version: FocusVersion.V1_0 })).toContain("COALESCE(x_usagetype, '')");
    expect(ChargebackSql.cacheSavings({ database: 'd', table: 't' })).toContain("COALESCE(skumeter, '')");
    expect(ChargebackSql.cacheSavings({ database: 'd', table: 't' })).not.toContain('x_usagetype');
  });
});

import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { governedApp } from './audit-fixtures';
import { InvocationLogQueries, InvocationLogQueriesProps, InvocationLogQuery } from '../../src/audit';
import { renderAuditQueries, buildAuditPricing } from '../../src/audit/private/sql';
import { BedrockModel, CrossRegionGeo, InferenceRouting } from '../../src/models';
import { Team } from '../../src/teams/team';
import { ACCOUNT, ENV, REGION, cleanupOutdirs, resolveIntrinsics, testApp } from '../helpers/cfn';
import { policiesOfRole, simulate } from '../helpers/iam';

afterAll(cleanupOutdirs);

function build(props: Partial<InvocationLogQueriesProps> = {}) {
  const app = testApp();
  const stack = new Stack(app, 'Audit', { env: ENV });
  const bucket = props.bucket ?? new s3.Bucket(stack, 'LogBucket', { enforceSSL: true, serverAccessLogsPrefix: 'self/' });
  const queries = new InvocationLogQueries(stack, 'Logs', { ...props, bucket });
  return { app, stack, bucket, queries };
}

const id = (stack: Stack, construct: any) => stack.getLogicalId(construct.node.defaultChild ?? construct);

describe('InvocationLogQueries', () => {
  test('Glue database and table: JSON SerDe over gzipped JSON lines, hourly partition projection on the log layout', () => {
    const { stack, bucket, queries } = build({ keyPrefix: 'bedrock/logs' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Glue::Database', {
      CatalogId: ACCOUNT,
      DatabaseInput: { Name: 'bedrock_invocation_logs', Description: 'Bedrock model invocation logs (cdk-bedrock-governance)' },
    });
    const location = (suffix: string) => ({ 'Fn::Join': ['', ['s3://', { Ref: id(stack, bucket) }, `/bedrock/logs/AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/${REGION}/${suffix}`]] });
    const table = Object.values<any>(template.findResources('AWS::Glue::Table'))[0].Properties;
    expect(table).toEqual({
      CatalogId: ACCOUNT,
      DatabaseName: { Ref: id(stack, queries.database) },
      TableInput: {
        Name: 'invocations',
        Description: 'Bedrock model invocation logs: gzipped JSON lines, one partition per hour folder',
        TableType: 'EXTERNAL_TABLE',
        Parameters: {
          'classification': 'json',
          'projection.enabled': 'true',
          'projection.log_hour.type': 'date',
          'projection.log_hour.format': 'yyyy/MM/dd/HH',
          'projection.log_hour.range': '2024/01/01/00,NOW',
          'projection.log_hour.interval': '1',
          'projection.log_hour.interval.unit': 'HOURS',
          'storage.location.template': location('${log_hour}/'),
        },
        PartitionKeys: [{ Name: 'log_hour', Type: 'string', Comment: 'YYYY/MM/DD/HH folder of the record (UTC)' }],
        StorageDescriptor: {
          Location: location(''),
          InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          SerdeInfo: {
            SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
            Parameters: { 'ignore.malformed.json': 'true', 'case.insensitive': 'true', 'dots.in.keys': 'false' },
          },
          Columns: [
            { Name: 'timestamp', Type: 'string' },
            { Name: 'accountid', Type: 'string' },
            { Name: 'region', Type: 'string' },
            { Name: 'requestid', Type: 'string' },
            { Name: 'operation', Type: 'string' },
            { Name: 'modelid', Type: 'string' },
            { Name: 'input', Type: 'struct<inputcontenttype:string,inputtokencount:bigint,cachereadinputtokencount:bigint,cachewriteinputtokencount:bigint>' },
            { Name: 'output', Type: 'struct<outputcontenttype:string,outputtokencount:bigint>' },
            { Name: 'identity', Type: 'struct<arn:string>' },
            { Name: 'requestmetadata', Type: 'map<string,string>' },
            { Name: 'inferenceregion', Type: 'string' },
            { Name: 'schematype', Type: 'string' },
            { Name: 'schemaversion', Type: 'string' },
          ],
        },
      },
    });
    expect(queries.logsPrefix).toEqual(`bedrock/logs/AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/${REGION}/`);
  });

  test('another account and Region of logs, a first date and names', () => {
    const { stack } = build({ logsAccount: '444455556666', logsRegion: 'eu-west-1', firstLogDate: '2025-06-01', databaseName: 'logs_db', tableName: 'calls', workGroupName: 'finops.logs' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: { Ref: Match.anyValue() },
      TableInput: Match.objectLike({
        Name: 'calls',
        Parameters: Match.objectLike({
          'projection.log_hour.range': '2025/06/01/00,NOW',
          'storage.location.template': { 'Fn::Join': ['', ['s3://', Match.anyValue(), '/AWSLogs/444455556666/BedrockModelInvocationLogs/eu-west-1/${log_hour}/']] },
        }),
      }),
    });
    template.hasResourceProperties('AWS::Athena::WorkGroup', { Name: 'finops.logs' });
    template.allResourcesProperties('AWS::Athena::NamedQuery', { Database: 'logs_db' });
  });

  test('workgroup: enforced settings, engine v3, SSE-S3 results in a hardened bucket that expires them', () => {
    const { stack, queries } = build({ bytesScannedCutoffPerQuery: 50_000_000_000 });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'bedrock-invocation-logs',
      State: 'ENABLED',
      RecursiveDeleteOption: true,
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        RequesterPaysEnabled: false,
        BytesScannedCutoffPerQuery: 50_000_000_000,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: {
          OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: id(stack, queries.resultsBucket) }, '/athena-results/']] },
          ExpectedBucketOwner: ACCOUNT,
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
        },
      },
    });
    const results = template.toJSON().Resources[id(stack, queries.resultsBucket)];
    expect(results.DeletionPolicy).toEqual('Retain');
    expect(results.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LifecycleConfiguration: { Rules: [{ Id: 'ExpireNoncurrentVersionsAndIncompleteUploads', Status: 'Enabled', ExpirationInDays: 30, NoncurrentVersionExpiration: { NoncurrentDays: 30 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }] },
      LoggingConfiguration: { LogFilePrefix: 'invocation-log-query-results/' },
    });
    const destroyed = build({ removalPolicy: RemovalPolicy.DESTROY });
    expect(Template.fromStack(destroyed.stack).toJSON().Resources[id(destroyed.stack, destroyed.queries.resultsBucket)].DeletionPolicy).toEqual('Delete');
  });

  test('eight named queries, in the workgroup, after the table, with the SQL of the one SQL module', () => {
    const app = governedApp();
    const queries = app.template.findResources('AWS::Athena::NamedQuery');
    const byId = Object.entries<any>(queries).map(([logicalId, q]) => [logicalId.replace(/[0-9A-F]{8}$/, ''), q.Properties.Name, q.Properties.Description]);
    expect(byId).toEqual([
      ['LogsTopWorkloadsByCost', 'Bedrock top workloads by cost', 'Top workloads (team, profile or model, identity, request metadata) by cost, cache tokens included'],
      ['LogsCostPerTeam', 'Bedrock cost per team', 'Cost per team with input, cache-read, cache-write and output tokens each at their own price'],
      ['LogsCacheHitRatioPerProfile', 'Bedrock cache hit ratio per profile', 'Prompt-cache hit ratio and savings per application inference profile (or model called directly)'],
      ['LogsStreamingSharePerTeam', 'Bedrock streaming share per team', 'Share of streaming calls per team; flags non-interactive teams that stream'],
      ['LogsProfileBypass', 'Bedrock requests that bypassed profiles', 'Calls whose modelId is not an application inference profile: spend without a team tag'],
      ['LogsLadderingCandidates', 'Bedrock laddering candidates', 'Calls above the light tier with small outputs, re-priced on the cheapest light model of the provider'],
      ['LogsBatchCandidates', 'Bedrock batch candidates', 'Steady traffic that nobody waits on, with the batch discount it would earn'],
      ['LogsCostPerPrincipal', 'Bedrock cost per IAM identity', 'Cost per IAM identity (identity.arn) within each team: the principal view of the invocation logs'],
    ]);
    const table = app.stack.getLogicalId(app.queries.table);
    for (const q of Object.values<any>(queries)) {
      expect(q.Properties.Database).toEqual('bedrock_invocation_logs');
      expect(q.Properties.WorkGroup).toEqual({ Ref: app.stack.getLogicalId(app.queries.workGroup) });
      expect(q.DependsOn).toContain(table);
    }
    // The template's SQL is the SQL module's, rendered with the team profiles: what `report` runs on DuckDB.
    const profiles = [app.search, app.nightly].flatMap((team) => team.profiles.map((p) => ({
      profileId: app.profileArn(team, p.model).split('/')[1], team: team.teamName, interactive: team.interactive, model: p.model, routing: p.routing, cacheWriteTtl: team.caching?.cacheWriteTtl,
    })));
    const rendered = renderAuditQueries({
      database: 'bedrock_invocation_logs',
      table: 'invocations',
      pricing: buildAuditPricing([], profiles),
      lookbackDays: 30,
      requestMetadataKeys: ['workload'],
      topWorkloads: 20,
      ladderMaxOutputTokens: 300,
      batchMinActiveHours: 24,
    });
    expect(rendered.map((q) => [q.id, app.sql(q.id) === q.sql])).toEqual(Object.values(InvocationLogQuery).map((q) => [q, true]));
    expect(app.queries.querySql(InvocationLogQuery.COST_PER_TEAM)).toContain('team_profiles (profile_id, team, interactive, price_id, cache_write_1h)');
  });

  test('profile ids are tokens in the query text, resolved by CloudFormation (Fn::Join with Fn::GetAtt)', () => {
    const app = governedApp();
    const query = Object.values<any>(app.template.findResources('AWS::Athena::NamedQuery'))[1].Properties.QueryString;
    const profile = app.search.profile(BedrockModel.CLAUDE_HAIKU_4_5);
    expect(query['Fn::Join'][0]).toEqual('');
    expect(query['Fn::Join'][1]).toContainEqual({ 'Fn::GetAtt': [app.stack.getLogicalId(profile.resource), 'InferenceProfileId'] });
    expect(resolveIntrinsics(query, app.template.toJSON())).toContain(`('${app.profileArn(app.search, BedrockModel.CLAUDE_HAIKU_4_5).split('/')[1]}', 'search', true, 2, false)`);
  });

  test('teams added after construction are in the queries; a team added twice is refused', () => {
    const { stack, queries } = build();
    const late = new Team(stack, 'Late', { teamName: 'late', costCenter: 'CC-1', environment: 'dev', models: [BedrockModel.NOVA_PRO], routing: InferenceRouting.crossRegion(CrossRegionGeo.EU) });
    queries.addTeam(late);
    const sql = resolveIntrinsics(Object.values<any>(Template.fromStack(stack).findResources('AWS::Athena::NamedQuery'))[0].Properties.QueryString, Template.fromStack(stack).toJSON());
    // Nova Pro under eu routing is price row 41 of the catalogue table.
    expect(sql).toMatch(/\('p[0-9a-z]{11}', 'late', true, 41, false\)/);
    expect(sql).toContain("(41, 'eu.amazon.nova-pro-v1:0', 'amazon.nova-pro-v1:0', 'Amazon Nova Pro', 'STANDARD', 'eu', 0.8E0, 3.2E0, 0.8E0, 0.8E0, 0.8E0, 0.5E0, 27)");
    expect(() => queries.addTeam(late)).toThrow("Audit/Logs: team 'late' (Audit/Late) was added twice. Add each team once");
  });

  test('user-supplied models replace catalogue prices for direct calls', () => {
    const negotiated = BedrockModel.CLAUDE_SONNET_4_5.withPricing({ inputUsdPerMillionTokens: 2, outputUsdPerMillionTokens: 10 }, '2026-10-01');
    const { queries } = build({ models: [negotiated] });
    const sql = queries.querySql(InvocationLogQuery.COST_PER_TEAM);
    expect(sql).toContain("(9, 'anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-sonnet-4-5-20250929-v1:0', 'Claude Sonnet 4.5', 'STANDARD', 'in-region', 2E0, 10E0, 2E0, 2E0, 2E0, 0.5E0, 1)");
    expect(sql).toContain('as of 2026-10-01, 2026-11-23');
  });

  test('grantQuery: Athena in the workgroup, Glue reads, log objects under the prefix only, results read/write', async () => {
    const { app, stack, queries } = build({ keyPrefix: 'bedrock' });
    const role = new iam.Role(stack, 'Analyst', { assumedBy: new iam.AccountRootPrincipal(), roleName: 'analyst' });
    queries.grantQuery(role);
    const before = new AwsSolutionsChecks().validateScope(app).violations.map((v) => v.ruleName);
    expect(before).toEqual([
      `AwsSolutions-IAM5[Resource::<${id(stack, queries.bucket)}.Arn>/bedrock/AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/${REGION}/*]`,
      `AwsSolutions-IAM5[Resource::<${id(stack, queries.resultsBucket)}.Arn>/athena-results/*]`,
    ]);
    queries.acknowledgeQueryGrantWildcards(role);
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);

    const template = Template.fromStack(stack).toJSON();
    const attrs = (logicalId: string, resource: any, attribute: string) => (resource.Type === 'AWS::S3::Bucket' && attribute === 'Arn'
      ? `arn:aws:s3:::${logicalId.toLowerCase()}` : `${logicalId}.${attribute}`);
    const policies = policiesOfRole(template, id(stack, role), attrs);
    const logs = `arn:aws:s3:::${id(stack, queries.bucket).toLowerCase()}`;
    const results = `arn:aws:s3:::${id(stack, queries.resultsBucket).toLowerCase()}`;
    const workGroup = `arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/${resolveIntrinsics({ Ref: id(stack, queries.workGroup) }, template)}`;
    const hour = `bedrock/AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/${REGION}/2026/11/20/13`;
    const cases: Array<[string, string, string, Record<string, string>?]> = [
      ['athena:StartQueryExecution', workGroup, 'Allowed'],
      ['athena:GetNamedQuery', workGroup, 'Allowed'],
      ['athena:StartQueryExecution', `arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/primary`, 'ImplicitlyDenied'],
      ['glue:GetTable', `arn:aws:glue:${REGION}:${ACCOUNT}:table/bedrock_invocation_logs/invocations`, 'Allowed'],
      ['glue:GetTable', `arn:aws:glue:${REGION}:${ACCOUNT}:table/bedrock_chargeback/focus`, 'ImplicitlyDenied'],
      ['s3:GetObject', `${logs}/${hour}/20261120T1300Z_abc.json.gz`, 'Allowed'],
      ['s3:GetObject', `${logs}/other/secret.json`, 'ImplicitlyDenied'],
      ['s3:ListBucket', logs, 'Allowed', { 's3:prefix': `${hour}/` }],
      ['s3:ListBucket', logs, 'ImplicitlyDenied', { 's3:prefix': 'other/' }],
      ['s3:PutObject', `${logs}/${hour}/forged.json.gz`, 'ImplicitlyDenied'],
      ['s3:PutObject', `${results}/athena-results/query.csv`, 'Allowed'],
      ['s3:DeleteObject', `${results}/athena-results/query.csv`, 'ImplicitlyDenied'],
    ];
    for (const [action, resource, expected, context] of cases) {
      const result = await simulate(policies, { action, resource, context });
      expect({ action, resource, decision: result.decision }).toEqual({ action, resource, decision: expected });
      expect(result.ignoredContextKeys).toEqual([]);
    }
  });

  test('grantQuery decrypts with the log bucket key when the bucket knows it', () => {
    const app = testApp();
    const stack = new Stack(app, 'Audit', { env: ENV });
    const key = new kms.Key(stack, 'LogKey', { enableKeyRotation: true });
    const bucket = s3.Bucket.fromBucketAttributes(stack, 'Imported', { bucketName: 'bedrock-logs-111122223333', encryptionKey: key });
    const queries = new InvocationLogQueries(stack, 'Logs', { bucket });
    const role = new iam.Role(stack, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });
    queries.grantQuery(role);
    const statements = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0].Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } });
  });

  test('cdk-nag AwsSolutions on the construct alone: no finding', () => {
    const { app } = build();
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  });

  test('the queries must fit Athena\'s named-query limit (checked at synth, when every team is known)', () => {
    const statics = InvocationLogQueries as unknown as { namedQueryMaxLength: number };
    expect(statics.namedQueryMaxLength).toBe(262_144);
    const { stack, queries } = build();
    const base = Math.max(...Object.values(InvocationLogQuery).map((q) => queries.querySql(q).length));
    expect(queries.node.validate()).toEqual([]);
    const saved = statics.namedQueryMaxLength;
    // Without teams the mapping is one row of NULLs (118 characters); three profile rows are a little longer.
    statics.namedQueryMaxLength = base + 10;
    try {
      queries.addTeam(new Team(stack, 'Big', { teamName: 'big', costCenter: 'CC', environment: 'prod', models: [BedrockModel.CLAUDE_HAIKU_4_5, BedrockModel.CLAUDE_SONNET_4_5, BedrockModel.CLAUDE_OPUS_4_5], routing: InferenceRouting.global() }));
      const [message, ...rest] = queries.node.validate();
      expect(rest).toEqual([]);
      const length = Number(/^Audit\/Logs: invalid teams \(3 profiles\): the named queries would be (\d+) characters long, /.exec(message)?.[1]);
      expect(length).toBeGreaterThan(base + 10);
      expect(length).toBeLessThan(base + 100);
      expect(message).toContain(`over Athena's limit of ${base + 10}. Split the teams across several InvocationLogQueries (each with its own databaseName and workGroupName); calls through another instance's profiles show as (unmapped profile)`);
    } finally {
      statics.namedQueryMaxLength = saved;
    }
    expect(queries.node.validate()).toEqual([]);
  });

  test('past 600 profiles, a warning about the template size (about 0.8 KB a profile)', () => {
    const { stack, queries } = build();
    // Read the construct's metadata: synthesizing 600 profiles in one stack would pass the 500-resource limit.
    const warnings = () => queries.node.metadata.filter((m) => m.type === 'aws:cdk:warning');
    for (let t = 0; t < 101; t++) {
      queries.addTeam(new Team(stack, `T${t}`, { teamName: `t${t}`, costCenter: 'CC', environment: 'prod', models: BedrockModel.catalogue(), routing: InferenceRouting.crossRegion(CrossRegionGeo.US) }));
      if (t === 99) {
        expect(warnings()).toHaveLength(0);
      }
    }
    expect(warnings().map((w) => w.data)).toEqual(['The named queries map more than 600 profiles: each adds about 0.8 KB to the template, and CloudFormation takes at most 1 MB. Put InvocationLogQueries in a stack of its own, or split the teams across several InvocationLogQueries [ack: cdk-bedrock-governance:invocationLogQueriesTemplateSize]']);
  });

  test('bad input', () => {
    const make = (props: Partial<InvocationLogQueriesProps>) => () => build(props);
    expect(make({ databaseName: 'Bedrock-Logs' })).toThrow("Audit/Logs: invalid databaseName 'Bedrock-Logs': Glue database names (as Athena reads them) may contain only lower-case letters, digits and '_'. Use e.g. 'bedrock_logs'");
    expect(make({ tableName: 'calls.v2' })).toThrow("Audit/Logs: invalid tableName 'calls.v2': Glue table names (as Athena reads them) may contain only lower-case letters, digits and '_'. Use e.g. 'calls_v2'");
    expect(make({ workGroupName: 'fin ops' })).toThrow("Audit/Logs: invalid workGroupName 'fin ops': Athena workgroup names are 1-128 letters, digits, '.', '_' and '-'. Use e.g. 'fin-ops'");
    expect(make({ keyPrefix: 'logs/' })).toThrow("Audit/Logs: invalid keyPrefix 'logs/': Bedrock adds '/AWSLogs/...' after the prefix itself. Use 'logs'");
    expect(make({ keyPrefix: '/logs' })).toThrow("Audit/Logs: invalid keyPrefix '/logs': S3 keys do not start with '/'. Use 'logs'");
    expect(make({ keyPrefix: '' })).toThrow("Audit/Logs: invalid keyPrefix '': an empty prefix is not a prefix. Omit keyPrefix when the logs start at the bucket root");
    expect(make({ keyPrefix: 'a//b' })).toThrow("Audit/Logs: invalid keyPrefix 'a//b': '//' makes an empty folder name in the key. Use 'a/b'");
    expect(make({ logsAccount: '1234' })).toThrow("Audit/Logs: invalid logsAccount '1234': account ids are 12 digits. Use e.g. '111122223333'");
    expect(make({ logsRegion: 'europe' })).toThrow("Audit/Logs: invalid logsRegion 'europe': not a Region name. Use e.g. 'us-east-1'");
    expect(make({ firstLogDate: '2025-02-30' })).toThrow("Audit/Logs: invalid firstLogDate '2025-02-30': dates are written YYYY-MM-DD. Use e.g. '2025-01-01'");
    expect(make({ lookbackDays: 0 })).toThrow('Audit/Logs: invalid lookbackDays 0: must be a whole number from 1 to 3650. Pass e.g. 30 for the last 30 days');
    expect(make({ topWorkloads: 2.5 })).toThrow('Audit/Logs: invalid topWorkloads 2.5: must be a whole number from 1 to 1000. Pass e.g. 20');
    expect(make({ ladderMaxOutputTokens: -1 })).toThrow('Audit/Logs: invalid ladderMaxOutputTokens -1: must be a whole number from 1 to 1000000. Pass e.g. 300');
    expect(make({ batchMinActiveHours: 0 })).toThrow('Audit/Logs: invalid batchMinActiveHours 0: must be a whole number from 1 to 87600. Pass e.g. 24');
    expect(make({ bytesScannedCutoffPerQuery: 1000 })).toThrow('Audit/Logs: invalid bytesScannedCutoffPerQuery 1000: Athena takes a whole number of bytes of at least 10,000,000 (10 MB). Pass e.g. 10_000_000_000 for 10 GB');
    expect(make({ requestMetadataKeys: ['Workload'] })).toThrow("Audit/Logs: invalid requestMetadataKeys[0] 'Workload': Athena's JSON SerDe reads keys case-insensitively and may lower-case them, so use lower-case keys. Use e.g. 'workload' (and send that key)");
    expect(make({ requestMetadataKeys: ['work"load'] })).toThrow("Audit/Logs: invalid requestMetadataKeys[0] 'work\"load': request-metadata keys are 1-256 characters: letters, digits, spaces and : _ @ $ # = / + , . -. Use e.g. 'work_load' (and send that key)");
    expect(make({ requestMetadataKeys: ['team-name', 'team_name'] })).toThrow("Audit/Logs: invalid requestMetadataKeys[1] 'team_name': 'team-name' gives the same column metadata_team_name. List each key once");
    expect(make({ requestMetadataKeys: Array.from({ length: 17 }, (_, i) => `k${i}`) })).toThrow(/^Audit\/Logs: invalid requestMetadataKeys \["k0",.*"k16"\]: a request carries at most 16 metadata pairs\. Pass at most 16 keys$/);
    expect(make({ models: [BedrockModel.custom({ modelId: 'us.anthropic.claude-x-v1:0', provider: 'Anthropic', tier: BedrockModel.CLAUDE_HAIKU_4_5.tier, pricing: { inputUsdPerMillionTokens: 1, outputUsdPerMillionTokens: 1 }, pricesAsOf: '2026-01-01' })] }))
      .toThrow(/^Audit\/Logs: invalid models\[0\]\.modelId 'us\.anthropic\.claude-x-v1:0': 'us\.' is the prefix of a system inference profile/);
  });
});

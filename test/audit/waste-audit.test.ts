import * as fs from 'fs';
import { builtinModules } from 'module';
import * as os from 'os';
import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { WASTE_AUDIT_BUNDLE, ensureBundle } from './bundle';
import { MAX_BUNDLE_BYTES, RUNTIME_PROVIDED, assetName, bundleLambdas, findHandlers } from '../../scripts/bundle-lambdas';
import { WasteAudit, WasteAuditProps } from '../../src/audit';
import { ACCOUNT, ENV, REGION, cleanupOutdirs, testApp } from '../helpers/cfn';
import { policiesOfRole, simulate } from '../helpers/iam';

beforeAll(ensureBundle);
afterAll(cleanupOutdirs);

function build(props: WasteAuditProps = {}, withTopic = true) {
  const app = testApp();
  const stack = new Stack(app, 'Audit', { env: ENV });
  const key = new kms.Key(stack, 'TopicKey', { enableKeyRotation: true });
  const topic = withTopic ? new sns.Topic(stack, 'Topic', { masterKey: key, enforceSSL: true, topicName: 'finops' }) : undefined;
  const audit = new WasteAudit(stack, 'Waste', { topic, ...props });
  return { app, stack, topic, audit, template: Template.fromStack(stack) };
}

const logicalId = (stack: Stack, construct: any) => stack.getLogicalId(construct.node.defaultChild ?? construct);

describe('WasteAudit', () => {
  test('the function: bundled asset, Node.js 24 on arm64, one run at a time, settings in the environment', () => {
    const { stack, audit, topic, template } = build();
    const bucket = logicalId(stack, audit.reportBucket);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Architectures: ['arm64'],
      Timeout: 600,
      MemorySize: 512,
      ReservedConcurrentExecutions: 1,
      Role: { 'Fn::GetAtt': [logicalId(stack, audit.role), 'Arn'] },
      LoggingConfig: { LogGroup: { Ref: logicalId(stack, audit.logGroup) } },
      Environment: {
        Variables: {
          ACCOUNT_ID: ACCOUNT,
          REPORT_BUCKET: { Ref: bucket },
          REPORT_PREFIX: 'waste-audit/',
          REPORT_BUCKET_OWNER: ACCOUNT,
          LOOKBACK_DAYS: '30',
          UTILIZATION_THRESHOLD: '0.6',
          MODEL_UNIT_TOKENS_PER_MINUTE: '{}',
          TEAM_TAG_KEY: 'team',
          INTERACTIVE_TAG_KEY: 'bedrock-governance:interactive',
          TOPIC_ARN: { Ref: logicalId(stack, topic) },
        },
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    expect(template.findResources('AWS::Lambda::Function')).toEqual({ [logicalId(stack, audit.function)]: expect.anything() });
  });

  test('the code is the bundle written by scripts/bundle-lambdas.ts, staged as is (no bundling at synth)', () => {
    const { app, stack, audit } = build();
    const fn = Template.fromStack(stack).toJSON().Resources[logicalId(stack, audit.function)];
    const hash = String(fn.Properties.Code.S3Key).replace(/\.zip$/, '');
    const staged = path.join(app.synth().directory, `asset.${hash}`);
    expect(fs.readdirSync(staged)).toEqual(['index.js']);
    expect(fs.readFileSync(path.join(staged, 'index.js'), 'utf8') === fs.readFileSync(WASTE_AUDIT_BUNDLE, 'utf8')).toBe(true);
  });

  test('weekly on Mondays at 06:00 UTC by default, retried twice', () => {
    const { stack, audit, template } = build();
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 6 ? * MON *)',
      State: 'ENABLED',
      Targets: [{
        Arn: { 'Fn::GetAtt': [logicalId(stack, audit.function), 'Arn'] },
        Id: 'Target0',
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 },
      }],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [logicalId(stack, audit.rule), 'Arn'] },
    });
  });

  test('props reach the environment and the rule', () => {
    const { template } = build({
      schedule: events.Schedule.rate(Duration.days(1)),
      lookback: Duration.days(14),
      utilizationThreshold: 0.75,
      modelUnitTokensPerMinute: { 'anthropic.claude-sonnet-4-5-20250929-v1:0': 50_000 },
      reportPrefix: '',
      costTagKeys: { team: 'owner-team' },
    }, false);
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 day)' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectEquals({
          ACCOUNT_ID: ACCOUNT,
          REPORT_BUCKET: Match.anyValue(),
          REPORT_PREFIX: '',
          REPORT_BUCKET_OWNER: ACCOUNT,
          LOOKBACK_DAYS: '14',
          UTILIZATION_THRESHOLD: '0.75',
          MODEL_UNIT_TOKENS_PER_MINUTE: '{"anthropic.claude-sonnet-4-5-20250929-v1:0":50000}',
          TEAM_TAG_KEY: 'owner-team',
          INTERACTIVE_TAG_KEY: 'bedrock-governance:interactive',
        }),
      },
    });
  });

  test('the report bucket it creates is hardened and kept', () => {
    const { stack, audit, template } = build();
    const bucket = template.toJSON().Resources[logicalId(stack, audit.reportBucket)];
    expect(bucket.DeletionPolicy).toEqual('Retain');
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: expect.stringMatching(/^WasteReportBucketAccessLogs/) }, LogFilePrefix: 'waste-audit-report-bucket/' },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(stack, audit.reportBucket) },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('the role: exactly the read-only calls, PutObject under the report prefix, Publish on the topic, its own logs', () => {
    const { stack, audit, topic, template } = build();
    const policies = Object.values<any>(template.findResources('AWS::IAM::Policy'));
    expect(policies).toHaveLength(1);
    expect(policies[0].Properties.Roles).toEqual([{ Ref: logicalId(stack, audit.role) }]);
    const bucketArn = { 'Fn::GetAtt': [logicalId(stack, audit.reportBucket), 'Arn'] };
    const arn = (resource: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:bedrock:${REGION}:${ACCOUNT}:${resource}/*`]] });
    expect(policies[0].Properties.PolicyDocument.Statement).toEqual([
      { Sid: 'ListBedrockResourcesAndReadMetrics', Effect: 'Allow', Action: ['bedrock:ListInferenceProfiles', 'bedrock:ListProvisionedModelThroughputs', 'bedrock:ListKnowledgeBases', 'cloudwatch:GetMetricData'], Resource: '*' },
      { Sid: 'ReadTeamTags', Effect: 'Allow', Action: 'bedrock:ListTagsForResource', Resource: [arn('application-inference-profile'), arn('provisioned-model')] },
      { Sid: 'WriteReports', Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [bucketArn, '/waste-audit/*']] } },
      { Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: logicalId(stack, topic) } },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: { 'Fn::GetAtt': [stack.getLogicalId(stack.node.findChild('TopicKey').node.defaultChild as kms.CfnKey), 'Arn'] } },
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logicalId(stack, audit.logGroup), 'Arn'] } },
    ]);
    expect(template.toJSON().Resources[logicalId(stack, audit.role)].Properties.ManagedPolicyArns).toBeUndefined();
  });

  test('the role in the IAM simulator', async () => {
    const { stack, audit, topic, template } = build();
    const topicArn = `arn:aws:sns:${REGION}:${ACCOUNT}:finops`;
    const json = JSON.parse(JSON.stringify(template.toJSON()).split(JSON.stringify({ Ref: logicalId(stack, topic) })).join(JSON.stringify(topicArn)));
    const attrs = (id: string, resource: any, attribute: string) => {
      if (resource.Type === 'AWS::S3::Bucket' && attribute === 'Arn') {
        return `arn:aws:s3:::${id.toLowerCase()}`;
      }
      if (resource.Type === 'AWS::Logs::LogGroup' && attribute === 'Arn') {
        return `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${id}:*`;
      }
      if (resource.Type === 'AWS::KMS::Key' && attribute === 'Arn') {
        return `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`;
      }
      return `${id}.${attribute}`;
    };
    const policies = policiesOfRole(json, logicalId(stack, audit.role), attrs);
    const bucket = `arn:aws:s3:::${logicalId(stack, audit.reportBucket).toLowerCase()}`;
    const bedrock = `arn:aws:bedrock:${REGION}:${ACCOUNT}`;
    const cases: Array<[string, string, string]> = [
      ['bedrock:ListInferenceProfiles', '*', 'Allowed'],
      ['bedrock:ListProvisionedModelThroughputs', '*', 'Allowed'],
      ['bedrock:ListKnowledgeBases', '*', 'Allowed'],
      ['cloudwatch:GetMetricData', '*', 'Allowed'],
      ['bedrock:ListTagsForResource', `${bedrock}:application-inference-profile/abcd1234efgh`, 'Allowed'],
      ['bedrock:ListTagsForResource', `${bedrock}:provisioned-model/abcd1234efgh`, 'Allowed'],
      ['bedrock:ListTagsForResource', `${bedrock}:knowledge-base/ABCDEFGHIJ`, 'ImplicitlyDenied'],
      ['bedrock:TagResource', `${bedrock}:application-inference-profile/abcd1234efgh`, 'ImplicitlyDenied'],
      ['bedrock:DeleteInferenceProfile', `${bedrock}:application-inference-profile/abcd1234efgh`, 'ImplicitlyDenied'],
      ['bedrock:DeleteProvisionedModelThroughput', `${bedrock}:provisioned-model/abcd1234efgh`, 'ImplicitlyDenied'],
      ['bedrock:InvokeModel', `${bedrock}:application-inference-profile/abcd1234efgh`, 'ImplicitlyDenied'],
      ['s3:PutObject', `${bucket}/waste-audit/2026-11-23T06-00-00Z/waste-audit.json`, 'Allowed'],
      ['s3:PutObject', `${bucket}/elsewhere/report.json`, 'ImplicitlyDenied'],
      ['s3:GetObject', `${bucket}/waste-audit/2026-11-23T06-00-00Z/waste-audit.json`, 'ImplicitlyDenied'],
      ['s3:DeleteObject', `${bucket}/waste-audit/2026-11-23T06-00-00Z/waste-audit.json`, 'ImplicitlyDenied'],
      ['sns:Publish', topicArn, 'Allowed'],
      ['sns:Publish', `arn:aws:sns:${REGION}:${ACCOUNT}:other-topic`, 'ImplicitlyDenied'],
      ['cloudwatch:PutMetricData', '*', 'ImplicitlyDenied'],
    ];
    for (const [action, resource, expected] of cases) {
      const result = await simulate(policies, { action, resource });
      expect({ action, resource, decision: result.decision }).toEqual({ action, resource, decision: expected });
      expect(result.ignoredContextKeys).toEqual([]);
    }
  });

  test('cdk-nag AwsSolutions: no unacknowledged finding; the acknowledgements are narrow', () => {
    const { app, stack, audit } = build();
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
    // Another wildcard on the same role is still reported: nothing was acknowledged wholesale.
    audit.role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [audit.reportBucket.arnForObjects('*')] }));
    expect(new AwsSolutionsChecks().validateScope(app).violations.map((v) => v.ruleName)).toEqual([
      `AwsSolutions-IAM5[Resource::<${logicalId(stack, audit.reportBucket)}.Arn>/*]`,
    ]);
  });

  test('a report bucket passed in (with a KMS key): no bucket created, GenerateDataKey on its key', () => {
    const app = testApp();
    const stack = new Stack(app, 'Audit', { env: ENV });
    const key = new kms.Key(stack, 'ReportKey', { enableKeyRotation: true });
    const reports = new s3.Bucket(stack, 'Reports', { encryptionKey: key, enforceSSL: true, serverAccessLogsPrefix: 'self/' });
    const audit = new WasteAudit(stack, 'Waste', { reportBucket: reports, reportPrefix: 'audits/bedrock/' });
    expect(audit.reportBucket).toBe(reports);
    const template = Template.fromStack(stack);
    expect(Object.keys(template.findResources('AWS::S3::Bucket'))).toEqual([stack.getLogicalId(reports.node.defaultChild as s3.CfnBucket)]);
    const statements = Object.values<any>(template.findResources('AWS::IAM::Policy'))[0].Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual({ Sid: 'WriteReports', Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [stack.getLogicalId(reports.node.defaultChild as s3.CfnBucket), 'Arn'] }, '/audits/bedrock/*']] } });
    expect(statements).toContainEqual({ Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } });
    expect(statements.some((s: any) => String(s.Action).startsWith('sns:'))).toBe(false);
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  });

  test('bad input', () => {
    const make = (props: WasteAuditProps) => () => build(props, false);
    expect(make({ lookback: Duration.hours(36) })).toThrow("Audit/Waste: invalid lookback '1 day 12 hours': the lookback is a whole number of days. Pass e.g. Duration.days(30)");
    expect(make({ lookback: Duration.days(500) })).toThrow("Audit/Waste: invalid lookback '500 days': the lookback is 1 to 455 days (CloudWatch keeps hourly data for 455 days). Pass e.g. Duration.days(30)");
    expect(make({ utilizationThreshold: 60 })).toThrow('Audit/Waste: invalid utilizationThreshold 60: the threshold is a fraction of capacity in (0, 1]. Pass e.g. 0.6 for 60%');
    expect(make({ modelUnitTokensPerMinute: { 'us.anthropic.claude-sonnet-4-5-20250929-v1:0': 1 } })).toThrow(
      "Audit/Waste: invalid modelUnitTokensPerMinute 'us.anthropic.claude-sonnet-4-5-20250929-v1:0': keys are foundation-model ids (no geo prefix, not ARNs). Use e.g. 'anthropic.claude-sonnet-4-5-20250929-v1:0'");
    expect(make({ modelUnitTokensPerMinute: { 'anthropic.claude-sonnet-4-5-20250929-v1:0': 0 } })).toThrow(
      "Audit/Waste: invalid modelUnitTokensPerMinute['anthropic.claude-sonnet-4-5-20250929-v1:0'] 0: tokens per minute per model unit must be a positive number. Pass the figure of your provisioned-throughput purchase");
    expect(make({ reportPrefix: '/reports' })).toThrow("Audit/Waste: invalid reportPrefix '/reports': the prefix is '' or a folder path ending with '/' (no leading '/', no '//'). Use 'reports/'");
    expect(make({ reportPrefix: 'a//b/' })).toThrow("Audit/Waste: invalid reportPrefix 'a//b/': the prefix is '' or a folder path ending with '/' (no leading '/', no '//'). Use 'a/b/'");
  });

  test('a missing bundle is a clear synth error', () => {
    const statics = WasteAudit as unknown as { assetDirectory: string };
    const saved = statics.assetDirectory;
    statics.assetDirectory = path.join(os.tmpdir(), 'cdk-bg-no-such-package', 'assets', 'waste-audit');
    try {
      expect(() => build()).toThrow(`Audit/Waste: the bundled waste-audit function is missing (${path.join(statics.assetDirectory, 'index.js')}). It is built with the library: run \`node_modules/.bin/tsx scripts/bundle-lambdas.ts\` in a checkout, or reinstall the package`);
    } finally {
      statics.assetDirectory = saved;
    }
    expect(saved).toEqual(path.dirname(WASTE_AUDIT_BUNDLE));
  });
});

describe('scripts/bundle-lambdas.ts', () => {
  test('every handler of src/*/handlers is bundled; at run time the bundle needs only Node.js and the runtime SDK', async () => {
    expect(findHandlers().map((h) => path.relative(path.resolve(__dirname, '../..'), h))).toContain(path.join('src', 'audit', 'handlers', 'waste-audit.lambda.ts'));
    expect(assetName('/x/src/audit/handlers/waste-audit.lambda.ts')).toEqual('waste-audit');
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-bg-bundle-'));
    try {
      const results = await bundleLambdas({ outDir });
      const waste = results.find((r) => r.entry === path.join('src', 'audit', 'handlers', 'waste-audit.lambda.ts'))!;
      const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
      expect(waste.externals.filter((m) => !builtins.has(m))).toEqual(RUNTIME_PROVIDED);
      expect(RUNTIME_PROVIDED).toEqual(['@aws-sdk/client-bedrock-agent']);
      const code = fs.readFileSync(path.join(outDir, 'waste-audit', 'index.js'), 'utf8');
      expect(code.startsWith('// Generated by scripts/bundle-lambdas.ts from src/audit/handlers/waste-audit.lambda.ts. Do not edit.\n')).toBe(true);
      expect(code === fs.readFileSync(WASTE_AUDIT_BUNDLE, 'utf8')).toBe(true);
      // minified, and within the size check
      expect(waste.bytes).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);
      expect(code.split('\n').length).toBeLessThan(200);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const loaded = require(path.join(outDir, 'waste-audit', 'index.js'));
      expect(typeof loaded.handler).toBe('function');
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  });

  test('two handlers with one name are refused', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-bg-bundle-root-'));
    try {
      for (const area of ['a', 'b']) {
        fs.mkdirSync(path.join(root, 'src', area, 'handlers'), { recursive: true });
        fs.writeFileSync(path.join(root, 'src', area, 'handlers', 'job.lambda.ts'), 'export const handler = async () => 1;\n');
      }
      await expect(bundleLambdas({ root })).rejects.toThrow(`two handlers would both be bundled into assets/job: ${path.join('src', 'a', 'handlers', 'job.lambda.ts')} and ${path.join('src', 'b', 'handlers', 'job.lambda.ts')}. Rename one`);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AppRun, ROOT, runApp } from './run-app';

describe('examples/quickstart.ts (the README app, plus AWS Control Tower proactive controls)', () => {
  let outdir: string;
  let run: AppRun;
  let template: Template;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-bg-quickstart-'));
    // As `npx projen example` runs it: CloudFormation schema validation on, three packs, any finding fails.
    run = runApp(path.join(ROOT, 'examples', 'quickstart.ts'), outdir);
    template = Template.fromJSON(JSON.parse(fs.readFileSync(path.join(outdir, 'Governance.template.json'), 'utf8')));
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('synthesizes with zero unacknowledged findings of BedrockGovernance, AwsSolutions and cfn-guard', () => {
    expect({ status: run.status, findings: run.findings }).toEqual({ status: 0, findings: [] });
  });

  test('every Control Tower control the library does not meet is acknowledged, on the resource, with a reason', () => {
    const controlTower = run.acknowledged
      .filter((a) => a.startsWith('cdk-validator-cfnguard '))
      .map((a) => a.replace(/ \(cdk-validator-cfnguard::[a-z0-9_]+: .+\)$/, ''));
    expect(controlTower).toEqual([
      'cdk-validator-cfnguard lambda_inside_vpc_check Governance/AWS679f53fac002430cb0da5b7982bd2287/Resource',
      'cdk-validator-cfnguard lambda_inside_vpc_check Governance/BedrockGovernanceCostAllocationTagActivator/Function/Resource',
      'cdk-validator-cfnguard s3_bucket_default_encryption_kms_check Governance/Gov/InvocationLogging/AccessLogsBucket/Resource',
      'cdk-validator-cfnguard s3_bucket_logging_enabled_check Governance/Gov/InvocationLogging/AccessLogsBucket/Resource',
      'cdk-validator-cfnguard s3_bucket_object_lock_enabled_check Governance/Gov/InvocationLogging/AccessLogsBucket/Resource',
      'cdk-validator-cfnguard s3_bucket_object_lock_enabled_check Governance/Gov/InvocationLogging/Bucket/Resource',
      'cdk-validator-cfnguard s3_event_notifications_enabled_check Governance/Gov/InvocationLogging/AccessLogsBucket/Resource',
      'cdk-validator-cfnguard s3_event_notifications_enabled_check Governance/Gov/InvocationLogging/Bucket/Resource',
    ]);
    // each with its own reason, acknowledged on the resource's construct (never on the stack or the app)
    for (const a of run.acknowledged.filter((x) => x.startsWith('cdk-validator-cfnguard '))) {
      expect(a).toMatch(/: .{40,}\)$/);
    }
  });

  test('docs/ACKNOWLEDGEMENTS.md lists exactly these acknowledgements', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'ACKNOWLEDGEMENTS.md'), 'utf8');
    const block = doc.split('<!-- control-tower:start (checked by test/examples/quickstart.test.ts) -->\n')[1]?.split('<!-- control-tower:end -->')[0];
    const rows = run.acknowledged
      .filter((a) => a.startsWith('cdk-validator-cfnguard '))
      .map((a) => {
        const [, rule, construct, id, reason] = /^cdk-validator-cfnguard (\S+) (\S+) \((\S+): (.+)\)$/.exec(a)!;
        expect(id).toBe(`cdk-validator-cfnguard::${rule}`);
        return `| \`${id}\` | \`${construct.replace(/\/Resource$/, '')}\` | ${reason} |`;
      });
    expect(block).toBe(['| acknowledged id | resource | reason |', '|---|---|---|', ...rows, ''].join('\n'));
  });

  test('the resources of a governed app', () => {
    template.resourceCountIs('AWS::Bedrock::ApplicationInferenceProfile', 4);
    // two team invoke policies and the guard
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 3);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: 'Deny Bedrock model calls that do not go through a tagged application inference profile, and changes to cost attribution',
      Roles: [{ Ref: Match.stringLikeRegexp('^SearchApiRole') }, { Ref: Match.stringLikeRegexp('^SupportWorkerRole') }],
    });
    template.resourceCountIs('Custom::AWS', 1);
    template.resourceCountIs('AWS::Budgets::Budget', 2);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'finops@example.com' });
  });

  test('every alarm notifies the alert topic', () => {
    const alarms = {
      ...template.findResources('AWS::CloudWatch::Alarm'),
      ...template.findResources('AWS::CloudWatch::CompositeAlarm'),
    };
    expect(Object.keys(alarms).length).toBeGreaterThan(0);
    const [topic] = Object.keys(template.findResources('AWS::SNS::Topic'));
    const withoutTopic = Object.entries(alarms)
      .filter(([, alarm]) => !JSON.stringify(alarm.Properties.AlarmActions ?? []).includes(`"Ref":"${topic}"`))
      .map(([id]) => id);
    expect(withoutTopic).toEqual([]);
  });

  test('the invocation-log bucket is SSE-KMS with the key the library creates', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: Match.anyValue(),
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GovInvocationLoggingKey'), 'Arn'] } },
        }],
      },
    });
  });
});

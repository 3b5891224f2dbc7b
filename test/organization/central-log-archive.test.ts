/**
 * The central invocation-log archive: the archive bucket and key (management or log-archive account) and the
 * member side (InvocationLogging's `archive`: replication role and rule). Who may replicate into the archive is
 * an access claim, so it is decided by @cloud-copilot/iam-simulate (Strict): the member template's replication
 * policy (resolved for a member account) as the identity policy, the archive's bucket or key policy (resolved for
 * the archive account) as the resource policy, across accounts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BedrockGovernanceChecks } from '../../src';
import { InvocationLogQueries } from '../../src/audit';
import { InvocationLogging } from '../../src/logging';
import { CentralInvocationLogArchive, MemberAccountStage } from '../../src/organization';
import { cleanupOutdirs, defaultAttributes, resolveIntrinsics, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const ORG_ID = 'o-abcdefghij';
const ARCHIVE_ACCOUNT = '999988887777';
const MEMBER = '444455556666';
const OTHER_MEMBER = '777788889999';
const OUTSIDER = '123412341234';
const REGION = 'us-east-1';
const BUCKET = `bedrock-invocation-log-archive-${ARCHIVE_ACCOUNT}-${REGION}`;
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const KEY_ARN = `arn:aws:kms:${REGION}:${ARCHIVE_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const DESTINATION = { bucketArn: BUCKET_ARN, keyArn: KEY_ARN, account: ARCHIVE_ACCOUNT };
const REPLICATION_ACTIONS = ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags', 's3:ObjectOwnerOverrideToBucketOwner'];
const replicationRole = (account: string) => `arn:aws:iam::${account}:role/bedrock-governance/log-archive/Member-ArchiveReplicationRole-ABC`;
const logObject = (account: string) => `${BUCKET_ARN}/AWSLogs/${account}/BedrockModelInvocationLogs/${REGION}/2026/12/02/09/log.json.gz`;

type Named = { name: string; policy: any };

function archiveStack(props: Partial<ConstructorParameters<typeof CentralInvocationLogArchive>[2]> = {}) {
  const app = testApp();
  const stack = new Stack(app, 'LogArchive', { env: { account: ARCHIVE_ACCOUNT, region: REGION } });
  const archive = new CentralInvocationLogArchive(stack, 'Archive', { organizationId: ORG_ID, ...props });
  return { app, stack, archive, template: Template.fromStack(stack) };
}

/** A member stack as a StackSet deploys it (no env), with logging replicated to the archive. */
function memberTemplate(): any {
  const app = testApp();
  const stage = new MemberAccountStage(app, 'Members');
  new InvocationLogging(stage.stack, 'Logs', { inlineHandler: true, archive: DESTINATION });
  return Template.fromStack(stage.stack).toJSON();
}

function only(template: any, type: string): [string, any] {
  const found = Object.entries<any>(template.Resources).filter(([, r]) => r.Type === type);
  expect(found).toHaveLength(1);
  return found[0];
}

/** The member's replication policy, resolved for one account. */
function replicationPolicy(template: any, account: string): Named[] {
  const [id, policy] = Object.entries<any>(template.Resources).find(([k, r]) => r.Type === 'AWS::IAM::Policy' && k.includes('ArchiveReplicationPolicy'))!;
  return [{ name: id, policy: resolveIntrinsics(policy.Properties.PolicyDocument, template, defaultAttributes(REGION, account), REGION, account) }];
}

/** The archive bucket's policy or the archive key's policy (not the access-log bucket's), resolved for the archive account. */
function resourcePolicyOf(template: any, type: string): any {
  const docs = Object.values<any>(template.Resources).filter((r) => r.Type === type)
    .map((r) => (type === 'AWS::KMS::Key' ? r.Properties.KeyPolicy : r.Properties.PolicyDocument))
    .filter((d) => d.Statement.some((st: any) => String(st.Sid).startsWith('AllowOrganizationLogReplication')));
  expect(docs).toHaveLength(1);
  const doc = docs[0];
  const base = defaultAttributes(REGION, ARCHIVE_ACCOUNT);
  // the archive bucket's ARN as S3 gives it: from its name
  const attrs = (id: string, resource: any, attribute: string) => (resource.Type === 'AWS::S3::Bucket' && attribute === 'Arn'
    ? `arn:aws:s3:::${resource.Properties.BucketName}` : base(id, resource, attribute));
  return resolveIntrinsics(doc, template, attrs, REGION, ARCHIVE_ACCOUNT);
}

/**
 * The evaluator does not model `kms:EncryptionContext:<key>` for KMS actions (it reports the key as ignored and the
 * condition never matches), so the KMS cells run on the policies without that one condition; the exact statements,
 * condition included, are asserted on the templates above.
 */
function withoutEncryptionContext<T>(policy: T): T {
  return JSON.parse(JSON.stringify(policy), (key, value) => {
    if (key === 'StringLike' && value && typeof value === 'object' && 'kms:EncryptionContext:aws:s3:arn' in value) {
      const { ['kms:EncryptionContext:aws:s3:arn']: _dropped, ...rest } = value;
      return Object.keys(rest).length > 0 ? rest : undefined;
    }
    return value;
  });
}

async function decide(
  identity: Named[], resourcePolicy: any, principal: string, orgId: string, action: string, resource: string, context: Record<string, string> = {},
): Promise<string> {
  const result = await runSimulation({
    identityPolicies: identity,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy,
    request: {
      principal,
      action,
      resource: { resource, accountId: ARCHIVE_ACCOUNT },
      // what AWS sets for every request from a role: its ARN, account and organization
      contextVariables: {
        'aws:PrincipalArn': principal, 'aws:PrincipalAccount': principal.split(':')[4], 'aws:PrincipalOrgID': orgId, 'aws:SecureTransport': 'true', ...context,
      },
    },
  }, { simulationMode: 'Strict' });
  if (result.resultType === 'error') {
    throw new Error(`simulation error for ${action} on ${resource}: ${JSON.stringify(result.errors)}`);
  }
  const ignored = result.resultType === 'single' ? (result.result.ignoredContextKeys ?? []) : result.results.flatMap((r) => r.ignoredContextKeys ?? []);
  expect(ignored).toEqual([]);
  return result.overallResult;
}

describe('CentralInvocationLogArchive', () => {
  test('a hardened SSE-KMS bucket with its own key, retained, whose policy admits the organization\'s replication roles into their own folder', () => {
    const { stack, archive, template } = archiveStack();
    const [keyId] = only(template.toJSON(), 'AWS::KMS::Key');
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        BucketName: BUCKET,
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] }, SSEAlgorithm: 'aws:kms' } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 400 })] },
      }),
      DeletionPolicy: 'Retain',
    });
    template.hasResource('AWS::KMS::Key', { Properties: Match.objectLike({ EnableKeyRotation: true }), DeletionPolicy: 'Retain' });
    const principalArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/bedrock-governance/log-archive/*']] };
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'AllowOrganizationLogReplication',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: REPLICATION_ACTIONS,
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [stack.getLogicalId(archive.bucket.node.defaultChild as s3.CfnBucket), 'Arn'] }, '/AWSLogs/${aws:PrincipalAccount}/BedrockModelInvocationLogs/*']] },
          Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_ID }, ArnLike: { 'aws:PrincipalArn': principalArn } },
        }]),
      },
    });
    const bucketArn = (suffix: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${BUCKET}${suffix}`]] });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Sid: 'AllowOrganizationLogReplicationToEncrypt',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
          Resource: '*',
          Condition: {
            StringEquals: { 'aws:PrincipalOrgID': ORG_ID, 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
            ArnLike: { 'aws:PrincipalArn': principalArn },
            StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucketArn(''), bucketArn('/*')] },
          },
        }]),
      },
    });
    expect(stack.resolve(archive.destination)).toEqual({
      bucketArn: { 'Fn::GetAtt': [stack.getLogicalId(archive.bucket.node.defaultChild as s3.CfnBucket), 'Arn'] },
      keyArn: { 'Fn::GetAtt': [keyId, 'Arn'] },
      account: ARCHIVE_ACCOUNT,
    });
  });

  test('sourceAccounts, keyPrefix, bucketName and retention', () => {
    const { template } = archiveStack({ sourceAccounts: [MEMBER], keyPrefix: 'org/logs', bucketName: 'my-archive', retention: Duration.days(90) });
    template.hasResourceProperties('AWS::S3::Bucket', { BucketName: 'my-archive', LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90 })] } });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowOrganizationLogReplication',
          Resource: { 'Fn::Join': ['', [Match.anyValue(), '/org/logs/AWSLogs/${aws:PrincipalAccount}/BedrockModelInvocationLogs/*']] },
          Condition: Match.objectLike({ StringEquals: { 'aws:PrincipalOrgID': ORG_ID, 'aws:PrincipalAccount': [MEMBER] } }),
        })]),
      },
    });
  });

  test('bad input names the construct, the prop, the value and the fix', () => {
    const app = testApp();
    const stack = new Stack(app, 'LogArchive', { env: { account: ARCHIVE_ACCOUNT, region: REGION } });
    expect(() => new CentralInvocationLogArchive(stack, 'A', { organizationId: 'org-1' })).toThrow(
      "LogArchive/A: invalid organizationId 'org-1': not an organization id (o- then 10 to 32 lower-case letters or digits). Pass the id shown by `aws organizations describe-organization`");
    expect(() => new CentralInvocationLogArchive(stack, 'B', { organizationId: ORG_ID, sourceAccounts: [] })).toThrow(
      'LogArchive/B: invalid sourceAccounts []: an empty list admits no account. Leave sourceAccounts out to admit every account of the organization, or name at least one');
    expect(() => new CentralInvocationLogArchive(stack, 'C', { organizationId: ORG_ID, sourceAccounts: ['4444'] })).toThrow(
      "LogArchive/C: invalid sourceAccounts '4444': an account id is 12 digits. Pass the id shown by `aws organizations list-accounts`");
    expect(() => new CentralInvocationLogArchive(stack, 'D', { organizationId: ORG_ID, keyPrefix: 'logs/' })).toThrow(
      "LogArchive/D: invalid keyPrefix 'logs/': the members' keyPrefix has no leading or trailing '/' and no '*'. Pass the same keyPrefix as the members' invocationLogging, or omit it");
    expect(() => new CentralInvocationLogArchive(stack, 'E', { organizationId: ORG_ID, bucketName: 'My_Archive' })).toThrow(
      "LogArchive/E: invalid bucketName 'My_Archive': a bucket name is 3-63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit. Pick a name such as 'bedrock-invocation-log-archive'");
    expect(() => new CentralInvocationLogArchive(stack, 'F', { organizationId: ORG_ID, retention: Duration.hours(36) })).toThrow(
      "LogArchive/F: invalid retention '1 day 12 hours': S3 lifecycle expiration is a whole number of days, at least 1. Use Duration.days(n) with a whole n >= 1");
  });
});

describe('InvocationLogging archive (member side)', () => {
  test('a replication rule for the logs prefix: SSE-KMS objects, replicas under the archive key, owned by the archive account', () => {
    const template = memberTemplate();
    const [bucketId, bucket] = Object.entries<any>(template.Resources).find(([k, r]) => r.Type === 'AWS::S3::Bucket' && k.startsWith('LogsBucket'))!;
    const [roleId, role] = Object.entries<any>(template.Resources).find(([k, r]) => r.Type === 'AWS::IAM::Role' && k.startsWith('LogsArchiveReplicationRole'))!;
    expect(role.Properties.Path).toBe('/bedrock-governance/log-archive/');
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' } }]);
    const prefix = { 'Fn::Join': ['', ['AWSLogs/', { Ref: 'AWS::AccountId' }, '/BedrockModelInvocationLogs/']] };
    expect(bucket.Properties.ReplicationConfiguration).toEqual({
      Role: { 'Fn::GetAtt': [roleId, 'Arn'] },
      Rules: [{
        Id: 'ArchiveInvocationLogs',
        Status: 'Enabled',
        Priority: 1,
        Filter: { Prefix: prefix },
        DeleteMarkerReplication: { Status: 'Disabled' },
        SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
        Destination: {
          Bucket: BUCKET_ARN,
          Account: ARCHIVE_ACCOUNT,
          AccessControlTranslation: { Owner: 'Destination' },
          EncryptionConfiguration: { ReplicaKmsKeyID: KEY_ARN },
        },
      }],
    });
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    // the exact statements of the replication role, resolved for one member account
    const [policy] = replicationPolicy(template, MEMBER);
    const source = `arn:aws:s3:::${bucketId}.Arn`.replace('arn:aws:s3:::', '');
    expect(policy.policy.Statement).toEqual([
      { Sid: 'ReadReplicationConfiguration', Effect: 'Allow', Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'], Resource: source },
      {
        Sid: 'ReadLogObjectVersions',
        Effect: 'Allow',
        Action: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
        Resource: `${source}/AWSLogs/${MEMBER}/BedrockModelInvocationLogs/*`,
      },
      { Sid: 'ReplicateToArchive', Effect: 'Allow', Action: REPLICATION_ACTIONS, Resource: `${BUCKET_ARN}/AWSLogs/${MEMBER}/BedrockModelInvocationLogs/*` },
      {
        Sid: 'DecryptLogObjects',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: expect.stringMatching(/^LogsKey[0-9A-F]{8}\.Arn$/),
        Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' }, StringLike: { 'kms:EncryptionContext:aws:s3:arn': [source, `${source}/*`] } },
      },
      {
        Sid: 'EncryptReplicas',
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
        Resource: KEY_ARN,
        Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' }, StringLike: { 'kms:EncryptionContext:aws:s3:arn': [BUCKET_ARN, `${BUCKET_ARN}/*`] } },
      },
    ]);
    // no CDK asset in the member template (the StackSet form)
    expect(JSON.stringify(template)).not.toMatch(/AssetParameters|cdk-hnb659fds-assets/);
  });

  test('bad archive input and a brought bucket are refused', () => {
    const app = testApp();
    const stack = new Stack(app, 'M', { env: { account: MEMBER, region: REGION } });
    expect(() => new InvocationLogging(stack, 'A', { archive: { ...DESTINATION, bucketArn: 'my-bucket' } })).toThrow(
      "M/A: invalid archive.bucketArn 'my-bucket': not the ARN of a bucket. Pass the archive bucket's ARN, e.g. 'arn:aws:s3:::bedrock-log-archive' (CentralInvocationLogArchive's destination.bucketArn)");
    expect(() => new InvocationLogging(new Stack(app, 'N', { env: { account: MEMBER, region: REGION } }), 'B', {
      archive: { ...DESTINATION, keyArn: `arn:aws:kms:${REGION}:${ARCHIVE_ACCOUNT}:alias/archive` },
    })).toThrow(
      `N/B: invalid archive.keyArn 'arn:aws:kms:${REGION}:${ARCHIVE_ACCOUNT}:alias/archive': not the ARN of a KMS key (an alias does not work in the replication role's policy). Pass the key ARN, arn:aws:kms:<region>:<account>:key/<id> (CentralInvocationLogArchive's destination.keyArn)`);
    expect(() => new InvocationLogging(new Stack(app, 'O', { env: { account: MEMBER, region: REGION } }), 'C', { archive: { ...DESTINATION, account: '9999' } })).toThrow(
      "O/C: invalid archive.account '9999': an account id is 12 digits. Pass the id of the account that owns the archive bucket");
    const p = new Stack(app, 'P', { env: { account: MEMBER, region: REGION } });
    const own = new s3.Bucket(p, 'Own', { objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED });
    expect(() => new InvocationLogging(p, 'D', { bucket: own, archive: DESTINATION })).toThrow(
      'P/D: invalid archive: it applies only to the bucket InvocationLogging creates, and a bucket was given (P/Own). Configure replication on your bucket, or drop the bucket prop');
  });
});

describe('who may replicate into the archive (iam-simulate, Strict, across accounts)', () => {
  const member = memberTemplate();
  const { template: archive } = archiveStack();
  const bucketPolicy = resourcePolicyOf(archive.toJSON(), 'AWS::S3::BucketPolicy');
  const keyPolicy = withoutEncryptionContext(resourcePolicyOf(archive.toJSON(), 'AWS::KMS::Key'));
  const kmsPolicy = (account: string) => withoutEncryptionContext(replicationPolicy(member, account));
  const viaS3 = { 'kms:ViaService': 's3.us-east-1.amazonaws.com' };
  const admin: Named[] = [{ name: 'AdministratorAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }];

  const cells: Array<[string, () => Promise<string>, string]> = [
    ...REPLICATION_ACTIONS.map((action): [string, () => Promise<string>, string] => [
      `member replication role: ${action} into its own folder`,
      () => decide(replicationPolicy(member, MEMBER), bucketPolicy, replicationRole(MEMBER), ORG_ID, action, logObject(MEMBER)), 'Allowed',
    ]),
    ['member replication role: into another member\'s folder',
      () => decide(replicationPolicy(member, MEMBER), bucketPolicy, replicationRole(MEMBER), ORG_ID, 's3:ReplicateObject', logObject(OTHER_MEMBER)), 'ImplicitlyDenied'],
    ['member administrator (not a replication role): into its own folder',
      () => decide(admin, bucketPolicy, `arn:aws:iam::${MEMBER}:role/Admin`, ORG_ID, 's3:ReplicateObject', logObject(MEMBER)), 'ImplicitlyDenied'],
    ['member administrator with a role of the replication path, writing into another member\'s folder',
      () => decide(admin, bucketPolicy, replicationRole(MEMBER), ORG_ID, 's3:ReplicateObject', logObject(OTHER_MEMBER)), 'ImplicitlyDenied'],
    ['account outside the organization, same template (same role path and policy)',
      () => decide(replicationPolicy(member, OUTSIDER), bucketPolicy, replicationRole(OUTSIDER), 'o-zzzzzzzzzz', 's3:ReplicateObject', logObject(OUTSIDER)), 'ImplicitlyDenied'],
    ['member replication role: s3:PutObject (not a replication action)',
      () => decide(replicationPolicy(member, MEMBER), bucketPolicy, replicationRole(MEMBER), ORG_ID, 's3:PutObject', logObject(MEMBER)), 'ImplicitlyDenied'],
    ['member replication role: s3:GetObject of the archive',
      () => decide(replicationPolicy(member, MEMBER), bucketPolicy, replicationRole(MEMBER), ORG_ID, 's3:GetObject', logObject(MEMBER)), 'ImplicitlyDenied'],
    ['member replication role: without TLS',
      () => decide(replicationPolicy(member, MEMBER), bucketPolicy, replicationRole(MEMBER), ORG_ID, 's3:ReplicateObject', logObject(MEMBER), { 'aws:SecureTransport': 'false' }), 'ExplicitlyDenied'],
    ['member replication role: kms:Encrypt with the archive key through S3',
      () => decide(kmsPolicy(MEMBER), keyPolicy, replicationRole(MEMBER), ORG_ID, 'kms:Encrypt', KEY_ARN, viaS3), 'Allowed'],
    ['member replication role: kms:GenerateDataKey through S3',
      () => decide(kmsPolicy(MEMBER), keyPolicy, replicationRole(MEMBER), ORG_ID, 'kms:GenerateDataKey', KEY_ARN, viaS3), 'Allowed'],
    ['member replication role: kms:Encrypt directly (not through S3)',
      () => decide(kmsPolicy(MEMBER), keyPolicy, replicationRole(MEMBER), ORG_ID, 'kms:Encrypt', KEY_ARN), 'ImplicitlyDenied'],
    ['member replication role: kms:Decrypt of the archive key',
      () => decide(kmsPolicy(MEMBER), keyPolicy, replicationRole(MEMBER), ORG_ID, 'kms:Decrypt', KEY_ARN, viaS3), 'ImplicitlyDenied'],
    ['account outside the organization: kms:Encrypt through S3',
      () => decide(kmsPolicy(OUTSIDER), keyPolicy, replicationRole(OUTSIDER), 'o-zzzzzzzzzz', 'kms:Encrypt', KEY_ARN, viaS3), 'ImplicitlyDenied'],
  ];

  test.each(cells.map(([name, run, expected]) => ({ name, run, expected })))('$name: $expected', async ({ run, expected }) => {
    expect(await run()).toBe(expected);
  });

  test('with sourceAccounts, an organization account not listed is refused', async () => {
    const listed = resourcePolicyOf(archiveStack({ sourceAccounts: [MEMBER] }).template.toJSON(), 'AWS::S3::BucketPolicy');
    expect(await decide(replicationPolicy(member, MEMBER), listed, replicationRole(MEMBER), ORG_ID, 's3:ReplicateObject', logObject(MEMBER))).toBe('Allowed');
    expect(await decide(replicationPolicy(member, OTHER_MEMBER), listed, replicationRole(OTHER_MEMBER), ORG_ID, 's3:ReplicateObject', logObject(OTHER_MEMBER))).toBe('ImplicitlyDenied');
  });
});

test('archive and member stacks: schema validation on, AwsSolutionsChecks and the governance pack without a finding', () => {
  const app = testApp({ builtinCloudFormationValidation: true });
  Validations.of(app).addPlugins(new BedrockGovernanceChecks(), new AwsSolutionsChecks(app));
  const stack = new Stack(app, 'LogArchive', { env: { account: ARCHIVE_ACCOUNT, region: REGION } });
  new CentralInvocationLogArchive(stack, 'Archive', { organizationId: ORG_ID });
  const stage = new MemberAccountStage(app, 'Members');
  new InvocationLogging(stage.stack, 'Logs', { inlineHandler: true, archive: DESTINATION });
  const assembly = app.synth();
  const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
  expect(report.pluginReports.flatMap((r: any) => r.violations ?? [])).toEqual([]);
});

test('under the AWS Control Tower proactive controls the archive and the replication add no open finding', () => {
  // The three open findings are those InvocationLogging's inline handler and its alarms without a topic had
  // before (test/examples/control-tower.test.ts covers the facade): none is on the archive or the replication.
  const app = testApp();
  Validations.of(app).addPlugins(new CfnGuardValidator());
  const stack = new Stack(app, 'LogArchive', { env: { account: ARCHIVE_ACCOUNT, region: REGION } });
  new CentralInvocationLogArchive(stack, 'Archive', { organizationId: ORG_ID });
  const stage = new MemberAccountStage(app, 'Members');
  new InvocationLogging(stage.stack, 'Logs', { inlineHandler: true, archive: DESTINATION });
  app.synth(); // the plain validator reports (it fails the synth only under StrictValidationPlugin)
  const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
  const open = report.pluginReports.flatMap((p: any) => p.violations.flatMap((v: any) => v.violatingConstructs.map((c: any) => `${v.ruleName} ${c.constructPath}`)));
  expect(open.sort()).toEqual([
    'cloudwatch_alarm_action_check Members/Member/Logs/S3DeliveryFailureAlarm/Resource',
    'cloudwatch_log_group_encrypted_check Members/Member/Logs/Handler/LogGroup/Resource',
    'lambda_inside_vpc_check Members/Member/Logs/Handler/Function/Resource',
  ]);
  const acknowledged = report.pluginReports.flatMap((p: any) => (p.suppressedViolations ?? []).map((v: any) => `${v.ruleName}: ${v.reason}`));
  expect(acknowledged.length).toBeGreaterThan(0);
  expect(acknowledged.every((a: string) => a.split(': ')[1].length > 40)).toBe(true);
});

test('queried from one place: one Glue table over the archive, partitioned by account and Region folders', () => {
  const stack = new Stack(testApp(), 'LogArchive', { env: { account: ARCHIVE_ACCOUNT, region: REGION } });
  const archive = new CentralInvocationLogArchive(stack, 'Archive', { organizationId: ORG_ID });
  const queries = new InvocationLogQueries(stack, 'Queries', {
    bucket: archive.bucket, logsAccounts: [MEMBER, OTHER_MEMBER], logsRegions: ['us-east-1', 'us-west-2'], databaseName: 'org_invocation_logs',
  });
  const reader = new iam.Role(stack, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });
  queries.grantQuery(reader);
  expect(() => new InvocationLogQueries(stack, 'Both', { bucket: archive.bucket, logsAccount: MEMBER, logsAccounts: [MEMBER] })).toThrow(
    'LogArchive/Both: invalid logsAccounts ["444455556666"]: logsAccount names a single folder and logsAccounts a partition over several. Pass one of them: logsAccounts for a central archive');
  expect(() => new InvocationLogQueries(stack, 'Bad', { bucket: archive.bucket, logsRegions: ['us-east-1', 'mars'] })).toThrow(
    "LogArchive/Bad: invalid logsRegions[1] 'mars': not a Region name. Use e.g. 'us-east-1'");
  expect(() => new InvocationLogQueries(stack, 'None', { bucket: archive.bucket, logsAccounts: [] })).toThrow(
    "LogArchive/None: invalid logsAccounts []: an empty list would make a table over no folder. Name at least one, e.g. ['111122223333']");
  const template = Template.fromStack(stack);
  const bucketRef = { Ref: stack.getLogicalId(archive.bucket.node.defaultChild as s3.CfnBucket) };
  template.hasResourceProperties('AWS::Glue::Table', {
    TableInput: Match.objectLike({
      Parameters: Match.objectLike({
        'projection.log_account.type': 'enum',
        'projection.log_account.values': `${MEMBER},${OTHER_MEMBER}`,
        'projection.log_region.type': 'enum',
        'projection.log_region.values': 'us-east-1,us-west-2',
        'storage.location.template': { 'Fn::Join': ['', ['s3://', bucketRef, '/AWSLogs/${log_account}/BedrockModelInvocationLogs/${log_region}/${log_hour}/']] },
      }),
      PartitionKeys: [
        { Name: 'log_account', Type: 'string', Comment: 'Account folder of the record (AWSLogs/<account>/)' },
        { Name: 'log_region', Type: 'string', Comment: 'Region folder of the record' },
        { Name: 'log_hour', Type: 'string', Comment: 'YYYY/MM/DD/HH folder of the record (UTC)' },
      ],
      StorageDescriptor: Match.objectLike({ Location: { 'Fn::Join': ['', ['s3://', bucketRef, '/AWSLogs/']] } }),
    }),
  });
  expect(queries.logsPrefix).toBe('AWSLogs/');
  // a reader of the queries may decrypt with the archive's key
  const [keyId] = only(template.toJSON(), 'AWS::KMS::Key');
  template.hasResourceProperties('AWS::IAM::Policy', {
    Roles: [{ Ref: stack.getLogicalId(reader.node.defaultChild as iam.CfnRole) }],
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [keyId, 'Arn'] } })]) },
  });
});

test('grantRead: reads under the logs prefix and decryption with the archive key', () => {
  const stack = new Stack(testApp(), 'LogArchive', { env: { account: ARCHIVE_ACCOUNT, region: REGION } });
  const archive = new CentralInvocationLogArchive(stack, 'Archive', { organizationId: ORG_ID, keyPrefix: 'org' });
  const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
  archive.grantRead(reader);
  const template = Template.fromStack(stack);
  const [keyId] = only(template.toJSON(), 'AWS::KMS::Key');
  const bucketId = stack.getLogicalId(archive.bucket.node.defaultChild as s3.CfnBucket);
  template.hasResourceProperties('AWS::IAM::Policy', {
    Roles: [{ Ref: stack.getLogicalId(reader.node.defaultChild as iam.CfnRole) }],
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Action: Match.arrayWith(['s3:GetObject*']),
          Resource: Match.arrayWith([{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/org/AWSLogs/*']] }]),
        }),
        Match.objectLike({ Action: Match.arrayWith(['kms:Decrypt']), Resource: { 'Fn::GetAtt': [keyId, 'Arn'] } }),
      ]),
    },
  });
});

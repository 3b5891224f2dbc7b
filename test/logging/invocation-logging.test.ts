import { App, CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks, NagRuleCompliance, rules } from 'cdk-nag';
import { onlyLogicalId, sdkCall, settingResource } from './logging-helpers';
import { BedrockMetricNames } from '../../src';
import { InvocationLogging, InvocationLoggingOnDelete, InvocationLoggingProps } from '../../src/logging';
import { ACCOUNT, ENV, cleanupOutdirs, resolveIntrinsics, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const SOURCE_CONDITIONS = {
  StringEquals: { 'aws:SourceAccount': ACCOUNT },
  ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:bedrock:us-east-1:${ACCOUNT}:*`]] } },
};

function setup(props: InvocationLoggingProps = {}, app: App = testApp()) {
  const stack = new Stack(app, 'S', { env: ENV });
  const logging = new InvocationLogging(stack, 'Logging', props);
  return { app, stack, logging, template: Template.fromStack(stack) };
}

function fullSetup() {
  const app = testApp();
  const stack = new Stack(app, 'S', { env: ENV });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const topic = new sns.Topic(stack, 'Alerts', { masterKey: key, enforceSSL: true });
  const logging = new InvocationLogging(stack, 'Logging', {
    keyPrefix: 'bedrock/prod',
    encryptionKey: key,
    cloudWatch: {},
    imageData: true,
    embeddingData: true,
    videoData: true,
    audioData: true,
    onDelete: InvocationLoggingOnDelete.DISABLE_LOGGING,
    alarmTopic: topic,
  });
  const template = Template.fromStack(stack);
  const ids = {
    bucket: template.getResourceId('AWS::S3::Bucket', { Properties: { BucketEncryption: Match.objectLike({ ServerSideEncryptionConfiguration: [Match.objectLike({ BucketKeyEnabled: true })] }) } }),
    logGroup: onlyLogicalId(template.toJSON(), 'AWS::Logs::LogGroup'),
    role: stack.getLogicalId(logging.role!.node.defaultChild as iam.CfnRole),
    key: stack.getLogicalId(key.node.defaultChild as kms.CfnKey),
    topic: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic),
  };
  return { app, stack, logging, key, topic, template, ids };
}

/** [construct path, rule id, reason] of every cdk-nag acknowledgement under the scope. */
function acknowledgements(scope: Stack): Array<[string, string, string]> {
  return scope.node.findAll().flatMap((c) => c.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m) => Object.entries<string>(m.data).map(([key, reason]) => [c.node.path, key.replace(/^Annotation::/, ''), reason] as [string, string, string])));
}

describe('InvocationLogging, defaults (S3 only)', () => {
  test('the custom resource calls PutModelInvocationLoggingConfiguration on create and update with exactly these parameters', () => {
    const { template } = setup();
    const json = template.toJSON();
    const bucket = template.getResourceId('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.anyValue() } });
    const expected = {
      service: 'Bedrock',
      action: 'putModelInvocationLoggingConfiguration',
      parameters: {
        loggingConfig: {
          s3Config: { bucketName: bucket },
          textDataDeliveryEnabled: true,
          imageDataDeliveryEnabled: false,
          embeddingDataDeliveryEnabled: false,
          videoDataDeliveryEnabled: false,
        },
      },
      physicalResourceId: { id: `bedrock-invocation-logging-${ACCOUNT}-us-east-1` },
    };
    expect(sdkCall(json, 'Create')).toEqual(expected);
    expect(sdkCall(json, 'Update')).toEqual(expected);
    // default onDelete: leave logging on, so no delete call at all
    expect(sdkCall(json, 'Delete')).toBeUndefined();
    const [, resource] = settingResource(json);
    expect(resource.Properties.InstallLatestAwsSdk).toBe(false);
    expect(Object.keys(resource.Properties).sort()).toEqual(['Create', 'InstallLatestAwsSdk', 'ServiceToken', 'Update']);
  });

  test('text logging can be turned off; audio is left out unless asked for', () => {
    const config = sdkCall(setup({ textData: false, audioData: false }).template.toJSON(), 'Create').parameters.loggingConfig;
    expect(config.textDataDeliveryEnabled).toBe(false);
    expect(config.videoDataDeliveryEnabled).toBe(false);
    expect('audioDataDeliveryEnabled' in config).toBe(false);
  });

  test('metric() builds AWS/Bedrock delivery metrics with overridable options', () => {
    const { logging, stack } = setup();
    const metric = logging.metric(BedrockMetricNames.LOGS_S3_DELIVERY_FAILURE, { period: Duration.hours(1), statistic: 'Maximum' });
    expect(metric.namespace).toBe('AWS/Bedrock');
    expect(metric.metricName).toBe('ModelInvocationLogsS3DeliveryFailure');
    expect(metric.period.toSeconds()).toBe(3600);
    expect(metric.statistic).toBe('Maximum');
    expect(metric.dimensions).toBeUndefined();
    expect(logging.metricCloudWatchDeliveryFailures().metricName).toBe(BedrockMetricNames.LOGS_CLOUDWATCH_DELIVERY_FAILURE);
    expect(logging.metricLargeDataS3DeliveryFailures().metricName).toBe(BedrockMetricNames.LARGE_DATA_S3_DELIVERY_FAILURE);
    expect(stack.resolve(logging.metricS3DeliveryFailures().toMetricConfig().metricStat?.period.toSeconds())).toBe(300);
  });

  test('the setting depends on the bucket policy; the provider may only put the setting', () => {
    const { template, stack, logging } = setup();
    const json = template.toJSON();
    const bucketPolicy = stack.getLogicalId((logging.bucket as s3.Bucket).policy!.node.defaultChild as s3.CfnBucketPolicy);
    const [, resource] = settingResource(json);
    expect(resource.DependsOn).toEqual(expect.arrayContaining([bucketPolicy]));
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{ Effect: 'Allow', Action: 'bedrock:PutModelInvocationLoggingConfiguration', Resource: '*' }],
        Version: '2012-10-17',
      },
    });
    // nothing may rewrite bucket policies, and no iam:PassRole without CloudWatch delivery
    const all = JSON.stringify(json);
    expect(all).not.toContain('s3:PutBucketPolicy');
    expect(all).not.toContain('iam:PassRole');
    expect(all).not.toContain('DeleteModelInvocationLoggingConfiguration');
  });

  test('the created bucket is hardened, retained, logged, and has the documented lifecycle', () => {
    const { template } = setup();
    const accessLogs = template.getResourceId('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.absent() } });
    template.resourceCountIs('AWS::S3::Bucket', 2);
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        // prompts and answers: SSE-KMS with the key the construct creates, and an S3 Bucket Key
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LoggingKey'), 'Arn'] } },
          }],
        },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: { Ref: accessLogs }, LogFilePrefix: 'bedrock-invocation-logs/' },
        LifecycleConfiguration: {
          Rules: [{
            Id: 'Retention',
            Status: 'Enabled',
            ExpirationInDays: 400,
            Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }, { StorageClass: 'GLACIER_IR', TransitionInDays: 90 }],
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
          }],
        },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    // the access-log bucket: hardened too, SSE-S3 (the only encryption S3 access logging delivers to), no ACLs
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: Match.absent(),
        AccessControl: Match.absent(),
        LifecycleConfiguration: {
          Rules: [{
            Id: 'Retention',
            Status: 'Enabled',
            ExpirationInDays: 400,
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
          }],
        },
      },
      DeletionPolicy: 'Retain',
    });
  });

  test('access logs are delivered by bucket policy, even when the app does not set the S3 feature flag', () => {
    const app = testApp({ context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': false } });
    const { template } = setup({}, app);
    const accessLogs = template.getResourceId('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.absent() } });
    const logBucket = template.getResourceId('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.anyValue() } });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: accessLogs },
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'AllowBedrockInvocationLogBucketAccessLogs',
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [accessLogs, 'Arn'] }, '/bedrock-invocation-logs/*']] },
          Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [logBucket, 'Arn'] } }, StringEquals: { 'aws:SourceAccount': ACCOUNT } },
        }]),
      },
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('LogDeliveryWrite');
  });

  test('the bucket policy lets bedrock.amazonaws.com put objects under the logs prefix only, for this account and Region; it is retained with the bucket', () => {
    const { template } = setup({ keyPrefix: 'bedrock' });
    const bucket = template.getResourceId('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.anyValue() } });
    template.hasResource('AWS::S3::BucketPolicy', {
      Properties: {
        Bucket: { Ref: bucket },
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Resource: [{ 'Fn::GetAtt': [bucket, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/*']] }],
            },
            {
              Sid: 'AllowBedrockModelInvocationLogs',
              Effect: 'Allow',
              Principal: { Service: 'bedrock.amazonaws.com' },
              Action: 's3:PutObject',
              Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, `/bedrock/AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/*`]] },
              Condition: SOURCE_CONDITIONS,
            },
          ],
          Version: '2012-10-17',
        },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('exposes the bucket, the prefixes and the S3 URI of the logs', () => {
    const { logging, stack, template } = setup({ keyPrefix: 'audit/bedrock' });
    const bucket = template.getResourceId('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.anyValue() } });
    expect(logging.keyPrefix).toBe('audit/bedrock');
    expect(logging.logsPrefix).toBe(`audit/bedrock/AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/`);
    expect(stack.resolve(logging.logsS3Uri)).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: bucket }, `/audit/bedrock/AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/`]] });
    expect(stack.resolve(logging.bucket.bucketName)).toEqual({ Ref: bucket });
    expect(logging.logGroup).toBeUndefined();
    expect(logging.role).toBeUndefined();
    expect(logging.onDelete).toBe(InvocationLoggingOnDelete.KEEP_LOGGING);
    expect(setup().logging.logsPrefix).toBe(`AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/`);
  });

  test('one S3 delivery-failure alarm: AWS/Bedrock, no dimensions, > 0, missing data not breaching, no action', () => {
    const { template, logging } = setup();
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Bedrock',
      MetricName: BedrockMetricNames.LOGS_S3_DELIVERY_FAILURE,
      Dimensions: Match.absent(),
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: Match.absent(),
      AlarmDescription: 'Amazon Bedrock could not deliver model invocation logs to S3 (ModelInvocationLogsS3DeliveryFailure > 0): check the bucket policy, key policy, log group and role',
    });
    expect(logging.deliveryAlarms).toHaveLength(1);
    expect(logging.deliveryAlarms[0].node.id).toBe('S3DeliveryFailureAlarm');
  });

  test('short retentions drop the transitions that would not pay off', () => {
    const of = (days: number) => Object.values<any>(setup({ retention: Duration.days(days) }).template
      .findResources('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.anyValue() } }))[0].Properties.LifecycleConfiguration.Rules[0];
    const short = of(45);
    expect(short.Transitions).toBeUndefined();
    expect(short.ExpirationInDays).toBe(45);
    expect(of(120).Transitions).toEqual([{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }]);
    expect(of(180).Transitions).toEqual([{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }, { StorageClass: 'GLACIER_IR', TransitionInDays: 90 }]);
    expect(of(3650).ExpirationInDays).toBe(3650);
  });

  test('a given server access logs bucket replaces the created one; delivery is granted by its policy, not an ACL', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: ENV });
    const central = new s3.Bucket(stack, 'Central', { enforceSSL: true, objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED });
    const logging = new InvocationLogging(stack, 'Logging', { serverAccessLogsBucket: central });
    const template = Template.fromStack(stack);
    const centralId = stack.getLogicalId(central.node.defaultChild as s3.CfnBucket);
    const logBucket = stack.getLogicalId(logging.bucket.node.defaultChild as s3.CfnBucket);
    template.resourceCountIs('AWS::S3::Bucket', 2);
    expect(logging.serverAccessLogsBucket).toBe(central);
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: { Ref: centralId }, LogFilePrefix: 'bedrock-invocation-logs/' },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: centralId },
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'AllowBedrockInvocationLogBucketAccessLogs',
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [centralId, 'Arn'] }, '/bedrock-invocation-logs/*']] },
          Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [logBucket, 'Arn'] } }, StringEquals: { 'aws:SourceAccount': ACCOUNT } },
        }]),
      },
    });
    // the app has no S3 feature flag: CDK would otherwise have switched the bucket to the LogDeliveryWrite ACL
    template.hasResourceProperties('AWS::S3::Bucket', { OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] }, AccessControl: Match.absent() });
    expect(JSON.stringify(template.toJSON())).not.toContain('LogDeliveryWrite');
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('an access-log bucket in another stack gets an account-scoped statement (no reference back, no cycle)', () => {
    const app = testApp();
    const shared = new Stack(app, 'Shared', { env: ENV });
    const central = new s3.Bucket(shared, 'Central', { enforceSSL: true });
    const stack = new Stack(app, 'S', { env: ENV });
    new InvocationLogging(stack, 'Logging', { serverAccessLogsBucket: central });
    Template.fromStack(shared).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowBedrockInvocationLogBucketAccessLogs',
          Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
        })]),
      },
    });
    expect(stack.dependencies).toContain(shared);
    expect(shared.dependencies).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });

  test('an imported access-log bucket cannot be changed: a warning prints the statement to add', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: ENV });
    const central = s3.Bucket.fromBucketName(stack, 'Central', 'org-access-logs');
    new InvocationLogging(stack, 'Logging', { serverAccessLogsBucket: central });
    Annotations.fromStack(stack).hasWarning('/S/Logging', Match.stringLikeRegexp(
      '^The server access logs bucket S/Central is not defined in this app, so its policy cannot be changed here\\. Add this statement to it, or S3 cannot deliver the access logs: \\{"Action":"s3:PutObject".*"Principal":\\{"Service":"logging.s3.amazonaws.com"\\}.*org-access-logs/bedrock-invocation-logs/\\*.*\\} \\[ack: cdk-bedrock-governance/logging:accessLogsPolicyNotAdded\\]$'));
    // CDK's own "policy not added" warning is acknowledged: the statement is ours to add
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('@aws-cdk/aws-s3:accessLogsPolicyNotAdded|Unable to add necessary logging'));
  });

  test('grantReadLogs allows reading the logs prefix with exact actions, and acknowledges only its prefix wildcard', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: ENV });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const logging = new InvocationLogging(stack, 'Logging', { encryptionKey: key, keyPrefix: 'bedrock' });
    const role = new iam.Role(stack, 'Athena', { assumedBy: new iam.ServicePrincipal('athena.amazonaws.com') });
    logging.grantReadLogs(role);
    const template = Template.fromStack(stack);
    const bucket = stack.getLogicalId(logging.bucket.node.defaultChild as s3.CfnBucket);
    const keyId = stack.getLogicalId(key.node.defaultChild as kms.CfnKey);
    const policy = Object.values<any>(template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }] },
    }))[0];
    const prefix = `bedrock/AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/`;
    expect(resolveIntrinsics(policy.Properties.PolicyDocument.Statement, template.toJSON())).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucket}.Arn/${prefix}*` },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: `${bucket}.Arn`, Condition: { StringLike: { 's3:prefix': `${prefix}*` } } },
      { Effect: 'Allow', Action: 's3:GetBucketLocation', Resource: `${bucket}.Arn` },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: `${keyId}.Arn` },
    ]);
    expect(acknowledgements(stack).filter(([path]) => path === 'S/Athena').map(([, id]) => id)).toEqual([
      `AwsSolutions-IAM5[Resource::<${bucket}.Arn>/${prefix}*]`,
    ]);
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  });
});

describe('InvocationLogging, CloudWatch + KMS + DISABLE_LOGGING + SNS', () => {
  let full: ReturnType<typeof fullSetup>;
  beforeAll(() => {
    full = fullSetup();
  });

  test('exact SDK calls: create/update put everything, delete turns logging off', () => {
    const { template, ids } = full;
    const json = template.toJSON();
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/${ids.role}`;
    const put = {
      service: 'Bedrock',
      action: 'putModelInvocationLoggingConfiguration',
      parameters: {
        loggingConfig: {
          s3Config: { bucketName: ids.bucket, keyPrefix: 'bedrock/prod' },
          cloudWatchConfig: {
            logGroupName: ids.logGroup,
            roleArn,
            largeDataDeliveryS3Config: { bucketName: ids.bucket, keyPrefix: 'bedrock/prod' },
          },
          textDataDeliveryEnabled: true,
          imageDataDeliveryEnabled: true,
          embeddingDataDeliveryEnabled: true,
          videoDataDeliveryEnabled: true,
          audioDataDeliveryEnabled: true,
        },
      },
      physicalResourceId: { id: `bedrock-invocation-logging-${ACCOUNT}-us-east-1` },
    };
    expect(sdkCall(json, 'Create')).toEqual(put);
    expect(sdkCall(json, 'Update')).toEqual(put);
    expect(sdkCall(json, 'Delete')).toEqual({ service: 'Bedrock', action: 'deleteModelInvocationLoggingConfiguration', parameters: {} });
  });

  test('the provider may put and delete the setting (Resource *) and pass only the CloudWatch role, only to Bedrock', () => {
    const { template, ids } = full;
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['bedrock:PutModelInvocationLoggingConfiguration', 'bedrock:DeleteModelInvocationLoggingConfiguration'],
            Resource: '*',
          },
          {
            Effect: 'Allow',
            Action: 'iam:PassRole',
            Resource: { 'Fn::GetAtt': [ids.role, 'Arn'] },
            Condition: { StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } },
          },
        ],
        Version: '2012-10-17',
      },
    });
  });

  test('the setting waits for the bucket policy, the key policy and the role', () => {
    const { template, stack, logging, ids } = full;
    const bucketPolicy = stack.getLogicalId((logging.bucket as s3.Bucket).policy!.node.defaultChild as s3.CfnBucketPolicy);
    const [, resource] = settingResource(template.toJSON());
    expect(resource.DependsOn).toEqual(expect.arrayContaining([bucketPolicy, ids.key, ids.role]));
  });

  test('the key policy lets bedrock.amazonaws.com generate data keys for this account and Region, and CloudWatch Logs use it for log groups', () => {
    const { template, ids } = full;
    const keyPolicy = template.toJSON().Resources[ids.key].Properties.KeyPolicy;
    expect(keyPolicy.Statement).toContainEqual({
      Sid: 'AllowBedrockModelInvocationLogs',
      Effect: 'Allow',
      Principal: { Service: 'bedrock.amazonaws.com' },
      Action: 'kms:GenerateDataKey',
      Resource: '*',
      Condition: SOURCE_CONDITIONS,
    });
    expect(keyPolicy.Statement).toContainEqual({
      Sid: 'AllowCloudWatchLogsForBedrockInvocationLogs',
      Effect: 'Allow',
      Principal: { Service: 'logs.us-east-1.amazonaws.com' },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:us-east-1:${ACCOUNT}:log-group:*`]] } } },
    });
    // the bucket is SSE-KMS with an S3 Bucket Key, the log group is encrypted with the same key
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [ids.key, 'Arn'] } } }] },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [ids.key, 'Arn'] }, RetentionInDays: 400 });
  });

  test('the role trusts bedrock.amazonaws.com for this account and Region only, and may write only the invocation log stream', () => {
    const { template, ids } = full;
    template.hasResourceProperties('AWS::IAM::Role', {
      Description: 'Assumed by Amazon Bedrock to deliver model invocation logs to CloudWatch Logs',
      AssumeRolePolicyDocument: {
        Statement: [{ Effect: 'Allow', Principal: { Service: 'bedrock.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: SOURCE_CONDITIONS }],
        Version: '2012-10-17',
      },
      Policies: [{
        PolicyName: 'DeliverInvocationLogs',
        PolicyDocument: {
          Statement: [{
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:us-east-1:${ACCOUNT}:log-group:`, { Ref: ids.logGroup }, ':log-stream:aws/bedrock/modelinvocations']] },
          }],
          Version: '2012-10-17',
        },
      }],
      ManagedPolicyArns: Match.absent(),
    });
  });

  test('with DISABLE_LOGGING the bucket policy and the role follow the normal removal policy', () => {
    const { template, ids, logging, stack } = full;
    const bucketPolicy = stack.getLogicalId((logging.bucket as s3.Bucket).policy!.node.defaultChild as s3.CfnBucketPolicy);
    const resources = template.toJSON().Resources;
    expect(resources[bucketPolicy].DeletionPolicy).toBeUndefined();
    expect(resources[ids.role].DeletionPolicy).toBeUndefined();
    // the data stays: buckets and log group keep RETAIN
    expect(resources[ids.bucket].DeletionPolicy).toBe('Retain');
    expect(resources[ids.logGroup].DeletionPolicy).toBe('Retain');
  });

  test('with KEEP_LOGGING the role and both bucket policies are retained too, so logging left on keeps working', () => {
    const { template, logging, stack } = setup({ cloudWatch: {} });
    const resources = template.toJSON().Resources;
    const role = stack.getLogicalId(logging.role!.node.defaultChild as iam.CfnRole);
    expect(resources[role].DeletionPolicy).toBe('Retain');
    const policies = Object.values<any>(resources).filter((r) => r.Type === 'AWS::S3::BucketPolicy');
    expect(policies.map((p) => p.DeletionPolicy)).toEqual(['Retain', 'Retain']);
  });

  test('three delivery alarms wired to the topic', () => {
    const { template, logging, ids } = full;
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    for (const metricName of [
      BedrockMetricNames.LOGS_S3_DELIVERY_FAILURE,
      BedrockMetricNames.LOGS_CLOUDWATCH_DELIVERY_FAILURE,
      BedrockMetricNames.LARGE_DATA_S3_DELIVERY_FAILURE,
    ]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Bedrock',
        MetricName: metricName,
        Dimensions: Match.absent(),
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: ids.topic }],
      });
    }
    expect(logging.deliveryAlarms.map((a) => a.node.id)).toEqual(['S3DeliveryFailureAlarm', 'CloudWatchDeliveryFailureAlarm', 'LargeDataS3DeliveryFailureAlarm']);
  });

  test('a given log group is used as is: no log group created, no log key statement, role scoped to its stream', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: ENV });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const group = new logs.LogGroup(stack, 'Mine', { logGroupName: '/org/bedrock', retention: logs.RetentionDays.ONE_MONTH });
    const logging = new InvocationLogging(stack, 'Logging', { cloudWatch: { logGroup: group }, encryptionKey: key });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    expect(logging.logGroup).toBe(group);
    const json = template.toJSON();
    expect(sdkCall(json, 'Create').parameters.loggingConfig.cloudWatchConfig.logGroupName).toBe(stack.getLogicalId(group.node.defaultChild as logs.CfnLogGroup));
    template.hasResourceProperties('AWS::IAM::Role', {
      Policies: [{
        PolicyName: 'DeliverInvocationLogs',
        PolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({ Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:us-east-1:${ACCOUNT}:log-group:`, { Ref: stack.getLogicalId(group.node.defaultChild as logs.CfnLogGroup) }, ':log-stream:aws/bedrock/modelinvocations']] } })],
        }),
      }],
    });
    expect(JSON.stringify(json)).not.toContain('AllowCloudWatchLogsForBedrockInvocationLogs');
  });
});

describe('InvocationLogging with a bucket you bring', () => {
  test('a bucket defined in the app gets the statement; nothing else is created for it', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: ENV });
    const mine = new s3.Bucket(stack, 'Mine', { enforceSSL: true, objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED });
    const logging = new InvocationLogging(stack, 'Logging', { bucket: mine, keyPrefix: 'llm' });
    const template = Template.fromStack(stack);
    const bucketId = stack.getLogicalId(mine.node.defaultChild as s3.CfnBucket);
    template.resourceCountIs('AWS::S3::Bucket', 1);
    expect(logging.bucket).toBe(mine);
    expect(logging.serverAccessLogsBucket).toBeUndefined();
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'AllowBedrockModelInvocationLogs',
          Effect: 'Allow',
          Principal: { Service: 'bedrock.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/llm/AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/*`]] },
          Condition: SOURCE_CONDITIONS,
        }]),
      },
    });
    const policyId = stack.getLogicalId(mine.policy!.node.defaultChild as s3.CfnBucketPolicy);
    expect(settingResource(template.toJSON())[1].DependsOn).toEqual(expect.arrayContaining([policyId]));
    // your bucket's policy keeps your removal policy
    expect(template.toJSON().Resources[policyId].DeletionPolicy).toBeUndefined();
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('a bucket in another stack of the app gets the statement there, and the stacks are ordered', () => {
    const app = testApp();
    const storage = new Stack(app, 'Storage', { env: ENV });
    const mine = new s3.Bucket(storage, 'Mine', { enforceSSL: true });
    const stack = new Stack(app, 'S', { env: ENV });
    new InvocationLogging(stack, 'Logging', { bucket: mine });
    Template.fromStack(storage).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowBedrockModelInvocationLogs' })]) },
    });
    expect(stack.dependencies).toContain(storage);
  });

  test('an imported bucket cannot be changed: a warning prints the statement to add', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: ENV });
    const imported = s3.Bucket.fromBucketName(stack, 'Imported', 'org-audit-logs');
    new InvocationLogging(stack, 'Logging', { bucket: imported });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.resourceCountIs('AWS::S3::BucketPolicy', 0);
    const statement = JSON.stringify({
      Action: 's3:PutObject',
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:bedrock:us-east-1:${ACCOUNT}:*`]] } } },
      Effect: 'Allow',
      Principal: { Service: 'bedrock.amazonaws.com' },
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::org-audit-logs/AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/*`]] },
      Sid: 'AllowBedrockModelInvocationLogs',
    });
    Annotations.fromStack(stack).hasWarning('/S/Logging',
      `The bucket S/Imported is not defined in this app, so its policy cannot be changed here. Add this statement to it, or Bedrock cannot deliver the logs: ${statement} [ack: cdk-bedrock-governance/logging:bucketPolicyNotAdded]`);
    expect(sdkCall(template.toJSON(), 'Create').parameters.loggingConfig.s3Config).toEqual({ bucketName: 'org-audit-logs' });
  });

  test('an imported key cannot be changed: a warning prints the statements to add', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: ENV });
    const key = kms.Key.fromKeyArn(stack, 'OrgKey', `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`);
    new InvocationLogging(stack, 'Logging', { encryptionKey: key });
    Annotations.fromStack(stack).hasWarning('/S/Logging', Match.stringLikeRegexp(
      '^The key S/OrgKey is not defined in this app, so its policy cannot be changed here\\. Add these statements to its key policy: \\[\\{"Action":"kms:GenerateDataKey".*"Principal":\\{"Service":"bedrock.amazonaws.com"\\}.*\\}\\] \\[ack: cdk-bedrock-governance/logging:keyPolicyNotAdded\\]$'));
    // the setting does not wait for a key resource that is not there
    const [, resource] = settingResource(Template.fromStack(stack).toJSON());
    expect(JSON.stringify(resource.DependsOn)).not.toContain('OrgKey');
  });
});

describe('InvocationLogging and cdk-nag', () => {
  test.each([
    ['defaults', (stack: Stack) => new InvocationLogging(stack, 'Logging')],
    ['CloudWatch, KMS, disable on delete, own access-log bucket', (stack: Stack) => {
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      const central = new s3.Bucket(stack, 'Central', {
        enforceSSL: true,
        versioned: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      });
      return new InvocationLogging(stack, 'Logging', {
        encryptionKey: key,
        cloudWatch: {},
        onDelete: InvocationLoggingOnDelete.DISABLE_LOGGING,
        serverAccessLogsBucket: central,
      });
    }],
  ])('%s: AwsSolutionsChecks pass with only reasoned acknowledgements', (name, build) => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: ENV });
    build(stack);
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
    expect(acknowledgements(stack).map(([path, id]) => `${path} ${id}`).filter((a) => a.includes(' AwsSolutions-'))).toEqual([
      'S/Logging/Resource/CustomResourcePolicy AwsSolutions-IAM5[Resource::*]',
      'S/AWS679f53fac002430cb0da5b7982bd2287 AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'S/AWS679f53fac002430cb0da5b7982bd2287 AwsSolutions-L1',
    ]);
    // the Control Tower controls that do not fit, each on its resource (test/examples/quickstart.test.ts runs them)
    expect(acknowledgements(stack).map(([path, id]) => `${path} ${id}`).filter((a) => a.includes(' cdk-validator-cfnguard::'))).toEqual(
      name === 'defaults' ? [
        'S/Logging/AccessLogsBucket cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check',
        'S/Logging/AccessLogsBucket cdk-validator-cfnguard::s3_bucket_logging_enabled_check',
        'S/Logging/AccessLogsBucket cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
        'S/Logging/AccessLogsBucket cdk-validator-cfnguard::s3_event_notifications_enabled_check',
        'S/Logging/Bucket cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
        'S/Logging/Bucket cdk-validator-cfnguard::s3_event_notifications_enabled_check',
        'S/AWS679f53fac002430cb0da5b7982bd2287 cdk-validator-cfnguard::lambda_inside_vpc_check',
      ] : [
        'S/Logging/Bucket cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
        'S/Logging/Bucket cdk-validator-cfnguard::s3_event_notifications_enabled_check',
        'S/AWS679f53fac002430cb0da5b7982bd2287 cdk-validator-cfnguard::lambda_inside_vpc_check',
      ]);
    for (const [, , reason] of acknowledgements(stack)) {
      expect(reason.length).toBeGreaterThan(80);
    }
    expect(acknowledgements(stack).find(([, id]) => id === 'AwsSolutions-IAM5[Resource::*]')![2]).toContain('support no resource-level permissions');
  });

  test('the acknowledged findings are real, on the exact resources (rules evaluated directly)', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: ENV });
    const logging = new InvocationLogging(stack, 'Logging');
    const policy = logging.node.findChild('Resource').node.findChild('CustomResourcePolicy').node.defaultChild as CfnResource;
    expect(rules.iam.IAMNoWildcardPermissions(policy)).toEqual(['Resource::*']);
    const providerRole = stack.node.findChild('AWS679f53fac002430cb0da5b7982bd2287').node.findChild('ServiceRole').node.defaultChild as CfnResource;
    expect(rules.iam.IAMNoManagedPolicies(providerRole)).toEqual(['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']);
    // the access-log bucket needs no S1 acknowledgement: it is the log bucket's access-log target
    const accessLogs = logging.serverAccessLogsBucket!.node.defaultChild as CfnResource;
    expect(rules.s3.S3BucketLoggingEnabled(accessLogs)).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('the full setup synthesizes with the built-in CloudFormation validation on', () => {
    const app = testApp({ builtinCloudFormationValidation: true });
    const stack = new Stack(app, 'S', { env: ENV });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new InvocationLogging(stack, 'Logging', {
      keyPrefix: 'bedrock',
      encryptionKey: key,
      cloudWatch: {},
      onDelete: InvocationLoggingOnDelete.DISABLE_LOGGING,
      removalPolicy: RemovalPolicy.DESTROY,
      alarmTopic: new sns.Topic(stack, 'Topic', { masterKey: key, enforceSSL: true }),
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });
});

/**
 * The policies of InvocationLogging, evaluated with the IAM simulator (Strict mode) rather than read:
 * the bucket policy, key policy and trust policy as Bedrock's service principal meets them, and the
 * identity policies of the CloudWatch role and of the custom resource's provider.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { serviceContext, simulateResourcePolicy } from './logging-helpers';
import { InvocationLogging, InvocationLoggingOnDelete, InvocationLoggingProps } from '../../src/logging';
import { ACCOUNT, ENV, REGION, cleanupOutdirs, resolveIntrinsics, testApp } from '../helpers/cfn';
import { RolePolicies, policiesOfRole, simulate } from '../helpers/iam';

afterAll(cleanupOutdirs);

const BEDROCK = 'bedrock.amazonaws.com';

function build(props: InvocationLoggingProps = {}) {
  const stack = new Stack(testApp(), 'S', { env: ENV });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const logging = new InvocationLogging(stack, 'Logging', { keyPrefix: 'bedrock', encryptionKey: key, cloudWatch: {}, ...props });
  const template = Template.fromStack(stack).toJSON();
  const bucketId = stack.getLogicalId(logging.bucket.node.defaultChild as s3.CfnBucket);
  const bucketPolicyId = stack.getLogicalId((logging.bucket as s3.Bucket).policy!.node.defaultChild as s3.CfnBucketPolicy);
  const roleId = stack.getLogicalId(logging.role!.node.defaultChild as iam.CfnRole);
  const keyId = stack.getLogicalId(key.node.defaultChild as kms.CfnKey);
  const resolve = (value: any) => resolveIntrinsics(value, template, (id, resource, attribute) => {
    if (resource.Type === 'AWS::S3::Bucket' && attribute === 'Arn') {
      return `arn:aws:s3:::${id.toLowerCase()}`;
    }
    if (resource.Type === 'AWS::IAM::Role' && attribute === 'Arn') {
      return `arn:aws:iam::${ACCOUNT}:role/${id}`;
    }
    return `${id}.${attribute}`;
  });
  return {
    template,
    bucketArn: `arn:aws:s3:::${bucketId.toLowerCase()}`,
    bucketPolicy: resolve(template.Resources[bucketPolicyId].Properties.PolicyDocument),
    keyPolicy: resolve(template.Resources[keyId].Properties.KeyPolicy),
    trustPolicy: resolve(template.Resources[roleId].Properties.AssumeRolePolicyDocument),
    roleId,
    roleArn: `arn:aws:iam::${ACCOUNT}:role/${roleId}`,
    logGroupId: Object.keys(template.Resources).find((id) => template.Resources[id].Type === 'AWS::Logs::LogGroup')!,
  };
}

/** The provider's policies: only the custom resource policy matters (the managed basic-execution policy only writes its own logs). */
function providerPolicies(template: any): RolePolicies {
  const policies = Object.entries<any>(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes('AWS679f53fac002430cb0da5b7982bd2287'))
    .map(([name, r]) => ({ name, policy: resolveIntrinsics(r.Properties.PolicyDocument, template) }));
  expect(policies).toHaveLength(1);
  return { identityPolicies: policies };
}

describe('bucket policy, as bedrock.amazonaws.com meets it', () => {
  const { bucketPolicy, bucketArn } = build();
  const logObject = `${bucketArn}/bedrock/AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/${REGION}/2026/04/19/13/20260419T1328Z_abc.json.gz`;

  test.each([
    ['a log file', BEDROCK, 's3:PutObject', logObject, {}, 'Allowed'],
    ['the permission-check object under the logs prefix', BEDROCK, 's3:PutObject', `${bucketArn}/bedrock/AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/amazon-bedrock-logs-permission-check`, {}, 'Allowed'],
    ['another prefix', BEDROCK, 's3:PutObject', `${bucketArn}/other/AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/x.json.gz`, {}, 'ImplicitlyDenied'],
    ['another account\'s folder', BEDROCK, 's3:PutObject', `${bucketArn}/bedrock/AWSLogs/444455556666/BedrockModelInvocationLogs/x.json.gz`, {}, 'ImplicitlyDenied'],
    ['on behalf of another account', BEDROCK, 's3:PutObject', logObject, { 'aws:SourceAccount': '444455556666', 'aws:SourceArn': `arn:aws:bedrock:${REGION}:444455556666:x` }, 'ImplicitlyDenied'],
    ['for another Region\'s Bedrock', BEDROCK, 's3:PutObject', logObject, { 'aws:SourceArn': `arn:aws:bedrock:eu-west-1:${ACCOUNT}:x` }, 'ImplicitlyDenied'],
    ['without TLS', BEDROCK, 's3:PutObject', logObject, { 'aws:SecureTransport': 'false' }, 'ExplicitlyDenied'],
    ['another service', 'logs.amazonaws.com', 's3:PutObject', logObject, {}, 'ImplicitlyDenied'],
    ['reading the logs', BEDROCK, 's3:GetObject', logObject, {}, 'ImplicitlyDenied'],
    ['rewriting the bucket policy', BEDROCK, 's3:PutBucketPolicy', bucketArn, {}, 'ImplicitlyDenied'],
  ])('%s', async (_name, principal, action, resource, overrides, expected) => {
    const context = serviceContext(overrides as Record<string, string>);
    const result = await simulateResourcePolicy(bucketPolicy, { principal, action, resource, context });
    expect(result).toEqual({ decision: expected, ignored: [] });
  });
});

describe('key policy, as bedrock.amazonaws.com meets it', () => {
  const { keyPolicy } = build();
  const keyArn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

  test.each([
    ['GenerateDataKey for this account and Region', 'kms:GenerateDataKey', {}, 'Allowed'],
    ['GenerateDataKey for another account', 'kms:GenerateDataKey', { 'aws:SourceAccount': '444455556666' }, 'ImplicitlyDenied'],
    ['GenerateDataKey for another Region\'s Bedrock', 'kms:GenerateDataKey', { 'aws:SourceArn': `arn:aws:bedrock:eu-west-1:${ACCOUNT}:x` }, 'ImplicitlyDenied'],
    ['Decrypt', 'kms:Decrypt', {}, 'ImplicitlyDenied'],
    ['ScheduleKeyDeletion', 'kms:ScheduleKeyDeletion', {}, 'ImplicitlyDenied'],
  ])('%s', async (_name, action, overrides, expected) => {
    const context = serviceContext(overrides as Record<string, string>);
    delete (context as any)['aws:SecureTransport'];
    const result = await simulateResourcePolicy(keyPolicy, { principal: BEDROCK, action, resource: keyArn, context });
    expect(result).toEqual({ decision: expected, ignored: [] });
  });
});

describe('the CloudWatch role', () => {
  const built = build();

  test.each([
    ['Bedrock of this account and Region', BEDROCK, {}, 'Allowed'],
    ['Bedrock for another account', BEDROCK, { 'aws:SourceAccount': '444455556666' }, 'ImplicitlyDenied'],
    ['Bedrock of another Region', BEDROCK, { 'aws:SourceArn': `arn:aws:bedrock:eu-west-1:${ACCOUNT}:x` }, 'ImplicitlyDenied'],
    ['another service', 'lambda.amazonaws.com', {}, 'ImplicitlyDenied'],
  ])('trust: %s', async (_name, principal, overrides, expected) => {
    const context = serviceContext(overrides as Record<string, string>);
    delete (context as any)['aws:SecureTransport'];
    const result = await simulateResourcePolicy(built.trustPolicy, { principal, action: 'sts:AssumeRole', resource: built.roleArn, context });
    expect(result).toEqual({ decision: expected, ignored: [] });
  });

  const group = (name: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`;
  test.each([
    ['CreateLogStream on the invocation stream', 'logs:CreateLogStream', `${group(built.logGroupId)}:log-stream:aws/bedrock/modelinvocations`, 'Allowed'],
    ['PutLogEvents on the invocation stream', 'logs:PutLogEvents', `${group(built.logGroupId)}:log-stream:aws/bedrock/modelinvocations`, 'Allowed'],
    ['PutLogEvents on another stream', 'logs:PutLogEvents', `${group(built.logGroupId)}:log-stream:other`, 'ImplicitlyDenied'],
    ['PutLogEvents in another log group', 'logs:PutLogEvents', `${group('other')}:log-stream:aws/bedrock/modelinvocations`, 'ImplicitlyDenied'],
    ['DeleteLogGroup', 'logs:DeleteLogGroup', group(built.logGroupId), 'ImplicitlyDenied'],
    ['s3:PutObject (large bodies are written under the bucket policy, not by the role)', 's3:PutObject', `${built.bucketArn}/bedrock/x`, 'ImplicitlyDenied'],
  ])('identity: %s', async (_name, action, resource, expected) => {
    const result = await simulate(policiesOfRole(built.template, built.roleId), { action, resource });
    expect(result).toEqual({ decision: expected, ignoredContextKeys: [] });
  });
});

describe('the custom resource provider', () => {
  const keep = build();
  const disable = build({ onDelete: InvocationLoggingOnDelete.DISABLE_LOGGING });

  test.each([
    ['put the setting (KEEP_LOGGING)', keep, 'bedrock:PutModelInvocationLoggingConfiguration', '*', {}, 'Allowed'],
    ['delete the setting (KEEP_LOGGING)', keep, 'bedrock:DeleteModelInvocationLoggingConfiguration', '*', {}, 'ImplicitlyDenied'],
    ['delete the setting (DISABLE_LOGGING)', disable, 'bedrock:DeleteModelInvocationLoggingConfiguration', '*', {}, 'Allowed'],
    ['pass the CloudWatch role to Bedrock', keep, 'iam:PassRole', keep.roleArn, { 'iam:PassedToService': BEDROCK }, 'Allowed'],
    ['pass the CloudWatch role to EC2', keep, 'iam:PassRole', keep.roleArn, { 'iam:PassedToService': 'ec2.amazonaws.com' }, 'ImplicitlyDenied'],
    ['pass another role to Bedrock', keep, 'iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/Admin`, { 'iam:PassedToService': BEDROCK }, 'ImplicitlyDenied'],
    ['rewrite the bucket policy', keep, 's3:PutBucketPolicy', keep.bucketArn, {}, 'ImplicitlyDenied'],
    ['read the logs', keep, 's3:GetObject', `${keep.bucketArn}/bedrock/x`, {}, 'ImplicitlyDenied'],
    ['invoke a model', keep, 'bedrock:InvokeModel', `arn:aws:bedrock:${REGION}::foundation-model/amazon.nova-micro-v1:0`, {}, 'ImplicitlyDenied'],
  ])('%s', async (_name, built, action, resource, context, expected) => {
    const result = await simulate(providerPolicies(built.template), { action, resource, context: context as Record<string, string> });
    expect(result).toEqual({ decision: expected, ignoredContextKeys: [] });
  });
});

describe('grantReadLogs', () => {
  const stack = new Stack(testApp(), 'S', { env: ENV });
  const logging = new InvocationLogging(stack, 'Logging', { keyPrefix: 'bedrock' });
  const role = new iam.Role(stack, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });
  logging.grantReadLogs(role);
  const template = Template.fromStack(stack).toJSON();
  const bucketId = stack.getLogicalId(logging.bucket.node.defaultChild as s3.CfnBucket);
  const attrs = (id: string, resource: any, attribute: string) =>
    resource.Type === 'AWS::S3::Bucket' && attribute === 'Arn' ? `arn:aws:s3:::${id.toLowerCase()}` : `${id}.${attribute}`;
  const policies = policiesOfRole(template, stack.getLogicalId(role.node.defaultChild as iam.CfnRole), attrs);
  const bucketArn = `arn:aws:s3:::${bucketId.toLowerCase()}`;
  const prefix = `bedrock/AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/`;

  test.each([
    ['read a log file', 's3:GetObject', `${bucketArn}/${prefix}${REGION}/2026/04/19/13/x.json.gz`, {}, 'Allowed'],
    ['read outside the logs prefix', 's3:GetObject', `${bucketArn}/other/x`, {}, 'ImplicitlyDenied'],
    ['list the logs prefix', 's3:ListBucket', bucketArn, { 's3:prefix': `${prefix}${REGION}/2026/` }, 'Allowed'],
    ['list the bucket root', 's3:ListBucket', bucketArn, { 's3:prefix': '' }, 'ImplicitlyDenied'],
    ['get the bucket location', 's3:GetBucketLocation', bucketArn, {}, 'Allowed'],
    ['write a log file', 's3:PutObject', `${bucketArn}/${prefix}x`, {}, 'ImplicitlyDenied'],
    ['delete a log file', 's3:DeleteObject', `${bucketArn}/${prefix}x`, {}, 'ImplicitlyDenied'],
  ])('%s', async (_name, action, resource, context, expected) => {
    const result = await simulate(policies, { action, resource, context: context as Record<string, string> });
    expect(result).toEqual({ decision: expected, ignoredContextKeys: [] });
  });
});

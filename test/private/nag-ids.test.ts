import { App, Aws, Fn, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { flattenForNag, iam5ResourceFindingIds } from '../../src/private/nag-ids';

describe('flattenForNag', () => {
  test('writes pseudo parameters, Refs and GetAtts as AwsSolutions-IAM5 names them', () => {
    const stack = new Stack(new App(), 'S');
    const bucket = new s3.CfnBucket(stack, 'Bucket');
    expect(flattenForNag(stack, `arn:${Aws.PARTITION}:bedrock:*::foundation-model/m`)).toBe('arn:<AWS::Partition>:bedrock:*::foundation-model/m');
    expect(flattenForNag(stack, Fn.join('', [bucket.attrArn, '/*']))).toBe('<Bucket.Arn>/*');
    expect(flattenForNag(stack, bucket.ref)).toBe('<Bucket>');
  });

  test('an ARN naming a resource is flattened again after the resource is renamed (only pseudo-parameter ARNs are kept)', () => {
    const stack = new Stack(new App(), 'S');
    const bucket = new s3.CfnBucket(stack, 'Bucket');
    const arn = Fn.join('', [bucket.attrArn, '/*']);
    expect(flattenForNag(stack, arn)).toBe('<Bucket.Arn>/*');
    bucket.overrideLogicalId('Renamed');
    expect(flattenForNag(stack, arn)).toBe('<Renamed.Arn>/*');
  });

  test('IAM5 finding ids: only wildcard resources, each once', () => {
    const stack = new Stack(new App(), 'S');
    const fm = `arn:${Aws.PARTITION}:bedrock:*::foundation-model/m`;
    expect(iam5ResourceFindingIds(stack, [fm, fm, `arn:${Aws.PARTITION}:bedrock:us-east-1::foundation-model/m`]))
      .toEqual(['AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/m]']);
  });
});

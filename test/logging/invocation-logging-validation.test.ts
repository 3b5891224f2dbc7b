import { App, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { sdkCall, settingResource } from './logging-helpers';
import { InvocationLogging, InvocationLoggingOnDelete, InvocationLoggingProps } from '../../src/logging';
import { GovernanceValidationError } from '../../src/private/errors';
import { ACCOUNT, ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

/** The function throws a GovernanceValidationError with exactly this message. */
function expectError(fn: () => unknown, message: string): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(GovernanceValidationError);
  expect((error as Error).message).toBe(message);
}

const SINGLETON_FIX = 'It is one setting per account and Region, and each would overwrite the other\'s. '
  + 'Keep a single InvocationLogging per account and Region, in one stack';

describe('InvocationLogging validation', () => {
  const make = (props: InvocationLoggingProps | ((stack: Stack) => InvocationLoggingProps)) => {
    const stack = new Stack(testApp(), 'S', { env: ENV });
    return new InvocationLogging(stack, 'Logging', typeof props === 'function' ? props(stack) : props);
  };

  test.each([
    ['', "S/Logging: invalid keyPrefix '': an empty prefix is not a prefix. Omit keyPrefix to write under the bucket root"],
    ['/bedrock', "S/Logging: invalid keyPrefix '/bedrock': S3 keys do not start with '/'. Use 'bedrock'"],
    ['bedrock/', "S/Logging: invalid keyPrefix 'bedrock/': Bedrock adds '/AWSLogs/...' after the prefix itself. Use 'bedrock'"],
    ['audit//bedrock', "S/Logging: invalid keyPrefix 'audit//bedrock': '//' makes an empty folder name in the key. Use 'audit/bedrock'"],
  ])('keyPrefix %j', (keyPrefix, message) => {
    expectError(() => make({ keyPrefix }), message);
  });

  test('a keyPrefix token is passed through', () => {
    const logging = make({ keyPrefix: Lazy.string({ produce: () => 'late' }) });
    expect(Stack.of(logging).resolve(logging.logsPrefix)).toBe(`late/AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/`);
  });

  test.each([
    [Duration.hours(36), "S/Logging: invalid retention '1 day 12 hours': S3 lifecycle expiration is a whole number of days, at least 1. Use Duration.days(n) with a whole n >= 1"],
    [Duration.hours(12), "S/Logging: invalid retention '12 hours': S3 lifecycle expiration is a whole number of days, at least 1. Use Duration.days(n) with a whole n >= 1"],
    [Duration.days(0), "S/Logging: invalid retention '0 days': S3 lifecycle expiration is a whole number of days, at least 1. Use Duration.days(n) with a whole n >= 1"],
  ])('retention %s', (retention, message) => {
    expectError(() => make({ retention }), message);
  });

  test('retention in another unit that is a whole number of days is fine', () => {
    const logging = make({ retention: Duration.minutes(2 * 24 * 60) });
    const bucket = Template.fromStack(Stack.of(logging)).findResources('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.anyValue() } });
    expect(Object.values<any>(bucket)[0].Properties.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(2);
  });

  test('props that only apply to the created bucket are rejected with a bucket of your own', () => {
    expectError(() => make((stack) => ({ bucket: new s3.Bucket(stack, 'Mine'), retention: Duration.days(90) })),
      'S/Logging: invalid retention: it applies only to the bucket InvocationLogging creates, and a bucket was given (S/Mine). Configure lifecycle rules on your bucket, or drop the bucket prop');
    expectError(() => make((stack) => ({ bucket: new s3.Bucket(stack, 'Mine'), serverAccessLogsBucket: new s3.Bucket(stack, 'Central') })),
      'S/Logging: invalid serverAccessLogsBucket: it applies only to the bucket InvocationLogging creates, and a bucket was given (S/Mine). Configure server access logging on your bucket, or drop the bucket prop');
  });

  test('cloudWatch.retention is rejected with a log group of your own', () => {
    expectError(() => make((stack) => ({ cloudWatch: { logGroup: new logs.LogGroup(stack, 'Mine'), retention: logs.RetentionDays.ONE_WEEK } })),
      'S/Logging: invalid cloudWatch.retention: it applies only to the log group InvocationLogging creates, and a log group was given (S/Mine). Set the retention on your log group, or drop cloudWatch.logGroup');
  });

  test('a bucket or log group in another Region or account is rejected', () => {
    expectError(() => make((stack) => ({ bucket: s3.Bucket.fromBucketAttributes(stack, 'Imported', { bucketName: 'eu-audit-logs', region: 'eu-west-1' }) })),
      "S/Logging: invalid bucket 'S/Imported': Bedrock delivers invocation logs only within its own account and Region (account 111122223333, Region us-east-1); this one is in account 111122223333, Region eu-west-1. Use one in account 111122223333 and Region us-east-1, or deploy InvocationLogging there");
    expectError(() => make((stack) => {
      const other = new Stack(stack.node.root as App, 'Other', { env: { account: '444455556666', region: 'us-east-1' } });
      return { cloudWatch: { logGroup: new logs.LogGroup(other, 'Group') } };
    }),
    "S/Logging: invalid cloudWatch.logGroup 'Other/Group': Bedrock delivers invocation logs only within its own account and Region (account 111122223333, Region us-east-1); this one is in account 444455556666, Region us-east-1. Use one in account 111122223333 and Region us-east-1, or deploy InvocationLogging there");
  });

  test('DESTROY with logging left on is rejected; DESTROY with DISABLE_LOGGING is fine', () => {
    expectError(() => make({ removalPolicy: RemovalPolicy.DESTROY }),
      'S/Logging: invalid removalPolicy DESTROY with onDelete KEEP_LOGGING: deleting the stack would delete the log bucket while Bedrock keeps logging to its name, which anyone could then claim. '
      + 'Set onDelete: InvocationLoggingOnDelete.DISABLE_LOGGING, or keep RemovalPolicy.RETAIN');
    const logging = make({ removalPolicy: RemovalPolicy.DESTROY, onDelete: InvocationLoggingOnDelete.DISABLE_LOGGING, cloudWatch: {} });
    const resources = Template.fromStack(Stack.of(logging)).toJSON().Resources;
    for (const type of ['AWS::S3::Bucket', 'AWS::Logs::LogGroup']) {
      const found = Object.values<any>(resources).filter((r) => r.Type === type);
      expect(found.length).toBeGreaterThan(0);
      expect(found.map((r) => r.DeletionPolicy)).toEqual(found.map(() => 'Delete'));
    }
  });
});

describe('InvocationLogging is one per account and Region', () => {
  test('a second one for the same account and Region, in another stack, is a synth error naming both', () => {
    const app = testApp();
    new InvocationLogging(new Stack(app, 'Platform', { env: ENV }), 'Logging');
    const team = new Stack(app, 'TeamStack', { env: ENV });
    const nested = new Construct(team, 'Observability');
    expectError(() => new InvocationLogging(nested, 'BedrockLogs'),
      'TeamStack/Observability/BedrockLogs: a second InvocationLogging for account 111122223333 and Region us-east-1: Platform/Logging already configures model invocation logging there. '
      + SINGLETON_FIX);
  });

  test('a second one in the same stack is an error too', () => {
    const stack = new Stack(testApp(), 'S', { env: ENV });
    new InvocationLogging(stack, 'Logging');
    expectError(() => new InvocationLogging(stack, 'Again'),
      `S/Again: a second InvocationLogging for account 111122223333 and Region us-east-1: S/Logging already configures model invocation logging there. ${SINGLETON_FIX}`);
  });

  test('other Regions, other accounts and other apps are independent', () => {
    const app = testApp();
    new InvocationLogging(new Stack(app, 'UsEast1', { env: ENV }), 'Logging');
    new InvocationLogging(new Stack(app, 'UsWest2', { env: { account: ACCOUNT, region: 'us-west-2' } }), 'Logging');
    new InvocationLogging(new Stack(app, 'OtherAccount', { env: { account: '444455556666', region: 'us-east-1' } }), 'Logging');
    new InvocationLogging(new Stack(testApp(), 'UsEast1', { env: ENV }), 'Logging');
  });

  test('env-agnostic stacks: one per stack, a warning, and the physical id follows the deployed account and Region', () => {
    const app = testApp();
    const a = new Stack(app, 'A');
    const b = new Stack(app, 'B');
    new InvocationLogging(a, 'Logging');
    new InvocationLogging(b, 'Logging');
    expectError(() => new InvocationLogging(a, 'Again'),
      `A/Again: a second InvocationLogging for the environment of stack A (account and Region unknown at synth time): A/Logging already configures model invocation logging there. ${SINGLETON_FIX}`);
    for (const stack of [a, b]) {
      Annotations.fromStack(stack).hasWarning(`/${stack.stackName}/Logging`,
        `The account or Region of stack ${stack.stackName} is not known at synth time, so only one InvocationLogging per stack can be checked. `
        + 'Model invocation logging is one setting per account and Region: make sure no other stack deployed to the same environment configures it, '
        + 'or give the stack an explicit env ({ account, region }) to have it checked across the app [ack: cdk-bedrock-governance/logging:envAgnostic]');
    }
    const json = Template.fromStack(b).toJSON();
    const create = settingResource(json)[1].Properties.Create;
    expect(JSON.stringify(create)).toContain('{"Ref":"AWS::AccountId"}');
    expect(JSON.stringify(create)).toContain('{"Ref":"AWS::Region"}');
    expect(sdkCall(json, 'Create').physicalResourceId).toEqual({ id: `bedrock-invocation-logging-${ACCOUNT}-us-east-1` });
  });

  test('a concrete stack gets no environment warning', () => {
    const stack = new Stack(testApp(), 'S', { env: ENV });
    new InvocationLogging(stack, 'Logging');
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

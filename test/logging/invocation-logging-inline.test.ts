import * as vm from 'vm';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { InvocationLogging, InvocationLoggingOnDelete } from '../../src/logging';
import { LOGGING_HANDLER_SOURCE } from '../../src/logging/private/logging-handler';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';
import { check, findingsOf } from '../nag/utils';

afterAll(cleanupOutdirs);

describe('InvocationLogging with inlineHandler', () => {
  test('an inline-code function (no asset, no AwsCustomResource) applies the setting, with the same IAM statement', () => {
    const app = testApp();
    const stack = new Stack(app, 'Logging', { env: ENV });
    new InvocationLogging(stack, 'Logging', { inlineHandler: true, onDelete: InvocationLoggingOnDelete.DISABLE_LOGGING });
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::AWS', 0);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Code: { ZipFile: LOGGING_HANDLER_SOURCE },
    });
    template.hasResourceProperties('Custom::BedrockInvocationLogging', {
      DeleteOnRemove: true,
      PhysicalId: 'bedrock-invocation-logging-111122223333-us-east-1',
      LoggingConfig: {
        s3Config: { bucketName: { Ref: Match.stringLikeRegexp('^LoggingBucket') } },
        textDataDeliveryEnabled: true,
        imageDataDeliveryEnabled: false,
        embeddingDataDeliveryEnabled: false,
        videoDataDeliveryEnabled: false,
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Action: ['bedrock:PutModelInvocationLoggingConfiguration', 'bedrock:DeleteModelInvocationLoggingConfiguration'],
          Effect: 'Allow',
          Resource: '*',
        }]),
      },
    });
    // the setting waits for the bucket policy (Bedrock checks that it can write)
    const setting = Object.values<any>(template.findResources('Custom::BedrockInvocationLogging'))[0];
    expect(setting.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^LoggingBucketPolicy/)]));
    expect(Object.keys(app.synth().getStackByName('Logging').assets)).toEqual([]);
  });
});

describe('the inline logging handler', () => {
  async function run(event: any, send: (input: any) => Promise<any> = async () => ({})) {
    const calls: Array<{ command: string; input: any }> = [];
    let put: any;
    class BedrockClient {
      public async send(command: any) {
        calls.push({ command: command.constructor.name, input: command.input });
        return send(command.input);
      }
    }
    class PutModelInvocationLoggingConfigurationCommand {
      constructor(public readonly input: any) {}
    }
    class DeleteModelInvocationLoggingConfigurationCommand {
      constructor(public readonly input: any) {}
    }
    const modules: Record<string, any> = {
      '@aws-sdk/client-bedrock': { BedrockClient, PutModelInvocationLoggingConfigurationCommand, DeleteModelInvocationLoggingConfigurationCommand },
      'https': {
        request: (options: any, callback: (res: any) => void) => ({
          on: () => undefined,
          end: (body: string) => {
            put = { options, body };
            callback({ resume: () => undefined, on: (name: string, fn: () => void) => name === 'end' && fn() });
          },
        }),
      },
    };
    const module = { exports: {} as any };
    vm.runInNewContext(LOGGING_HANDLER_SOURCE, {
      require: (name: string) => {
        if (!modules[name]) {
          throw new Error(`unexpected require ${name}`);
        }
        return modules[name];
      },
      module,
      exports: module.exports,
      console: { log: () => undefined },
      URL,
      Buffer,
    });
    await module.exports.handler(event);
    return { calls, response: JSON.parse(put.body), put };
  }

  const event = (requestType: string, props: any = {}) => ({
    RequestType: requestType,
    ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/stack/resource?X-Amz-Signature=abc',
    StackId: 'arn:aws:cloudformation:us-east-1:444455556666:stack/StackSet-members/guid',
    RequestId: 'request-1',
    LogicalResourceId: 'LoggingResource',
    PhysicalResourceId: requestType === 'Create' ? undefined : 'bedrock-invocation-logging-444455556666-us-east-1',
    ResourceProperties: {
      ServiceToken: 'arn',
      PhysicalId: 'bedrock-invocation-logging-444455556666-us-east-1',
      DeleteOnRemove: 'false',
      // as CloudFormation passes them: booleans become strings
      LoggingConfig: { s3Config: { bucketName: 'logs', keyPrefix: 'bedrock' }, textDataDeliveryEnabled: 'true', imageDataDeliveryEnabled: 'false' },
      ...props,
    },
  });

  test('is small enough to be inline code (ZipFile, 4,096 characters)', () => {
    expect(LOGGING_HANDLER_SOURCE.length).toBeLessThan(4096);
  });

  test('Create and Update put the setting with booleans restored, and answer SUCCESS with the fixed physical id', async () => {
    for (const type of ['Create', 'Update']) {
      const { calls, response, put } = await run(event(type));
      expect(calls).toEqual([{
        command: 'PutModelInvocationLoggingConfigurationCommand',
        input: { loggingConfig: { s3Config: { bucketName: 'logs', keyPrefix: 'bedrock' }, textDataDeliveryEnabled: true, imageDataDeliveryEnabled: false } },
      }]);
      expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'bedrock-invocation-logging-444455556666-us-east-1', RequestId: 'request-1' });
      expect(put.options).toMatchObject({ method: 'PUT', hostname: 'cloudformation-custom-resource-response-useast1.s3.amazonaws.com', path: '/stack/resource?X-Amz-Signature=abc' });
    }
  });

  test('Delete leaves the setting on unless DeleteOnRemove is true', async () => {
    expect((await run(event('Delete'))).calls).toEqual([]);
    const deleted = await run(event('Delete', { DeleteOnRemove: 'true' }));
    expect(deleted.calls).toEqual([{ command: 'DeleteModelInvocationLoggingConfigurationCommand', input: {} }]);
    expect(deleted.response.Status).toBe('SUCCESS');
  });

  test('an API error fails the resource with its message', async () => {
    const { response } = await run(event('Create'), async () => {
      throw new Error('ValidationException: Failed to validate permissions for log group');
    });
    expect(response).toMatchObject({ Status: 'FAILED', Reason: 'ValidationException: Failed to validate permissions for log group' });
  });
});

describe('the governance pack sees the inline setting', () => {
  test('BedrockGovernance-LOG1: covered in the same environment-agnostic stack, not in another Region', () => {
    const app = testApp();
    const member = new Stack(app, 'Member');
    new InvocationLogging(member, 'Logging', { inlineHandler: true });
    new iam.Policy(member, 'Grant', { statements: [new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['*'] })] });
    expect(findingsOf(check(member), 'BedrockGovernance-LOG1')).toEqual([]);

    const elsewhere = new Stack(app, 'Elsewhere', { env: { account: ENV.account, region: 'eu-west-1' } });
    new iam.Policy(elsewhere, 'Grant', { statements: [new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['*'] })] });
    const logged = new Stack(app, 'Logged', { env: ENV });
    new InvocationLogging(logged, 'Logging', { inlineHandler: true });
    expect(findingsOf(check(app), 'BedrockGovernance-LOG1')).toEqual([
      { id: 'BedrockGovernance-LOG1', paths: ['Elsewhere/Grant/Resource'], severity: 'error' },
    ]);
  });
});

import * as vm from 'vm';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CostAllocationTagActivation } from '../../src/billing';
import { TAG_ACTIVATION_HANDLER_SOURCE } from '../../src/billing/private/tag-activation-handler';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

function newStack(): Stack {
  return new Stack(testApp(), 'Billing', { env: ENV });
}

function chunks(template: Template): any[] {
  return Object.values<any>(template.findResources('Custom::CostAllocationTagActivation')).map((r) => r.Properties);
}

describe('CostAllocationTagActivation', () => {
  test('activates the three cost tag keys in one chunk, with an Errors output', () => {
    const stack = newStack();
    const activation = new CostAllocationTagActivation(stack, 'Tags');
    const template = Template.fromStack(stack);
    const fn = stack.getLogicalId(stack.node.findChild('BedrockGovernanceCostAllocationTagActivator').node.findChild('Function').node.defaultChild as any);
    expect(chunks(template)).toEqual([{
      ServiceToken: { 'Fn::GetAtt': [fn, 'Arn'] },
      ServiceTimeout: '300',
      TagKeys: ['team', 'cost-center', 'environment'],
      FailOnError: false,
    }]);
    expect(activation.tagKeys).toEqual(['team', 'cost-center', 'environment']);
    const chunkId = stack.getLogicalId(activation.chunks[0].node.defaultChild as any);
    expect(stack.resolve(activation.activationErrors)).toEqual([{ 'Fn::GetAtt': [chunkId, 'Errors'] }]);
    expect(stack.resolve(activation.failedTagKeys)).toEqual([{ 'Fn::GetAtt': [chunkId, 'FailedTagKeys'] }]);
    expect(template.toJSON().Outputs).toEqual({
      TagsChunk0ErrorsDCC62BFE: {
        Description: 'Cost allocation tag keys that AWS did not activate in chunk 0 of Billing/Tags: a JSON list of {TagKey, Code, Message}, [] when all were activated',
        Value: { 'Fn::GetAtt': [chunkId, 'Errors'] },
      },
    });
  });

  test('the function: inline handler, Node.js 24, its own role with only ce:UpdateCostAllocationTagsStatus and its log group', () => {
    const stack = newStack();
    new CostAllocationTagActivation(stack, 'Tags');
    const template = Template.fromStack(stack);
    const fnResource = Object.values<any>(template.findResources('AWS::Lambda::Function'))[0];
    expect(fnResource.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Timeout: 60,
      Code: { ZipFile: TAG_ACTIVATION_HANDLER_SOURCE },
    });
    template.resourceCountIs('AWS::Lambda::Function', 1);
    const roleId = fnResource.Properties.Role['Fn::GetAtt'][0];
    const policies = Object.values<any>(template.findResources('AWS::IAM::Policy')).filter((p) => p.Properties.Roles[0].Ref === roleId);
    expect(policies.map((p) => p.Properties.PolicyDocument.Statement)).toEqual([[
      { Effect: 'Allow', Action: 'ce:UpdateCostAllocationTagsStatus', Resource: '*' },
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [expect.stringMatching(/LogGroup/), 'Arn'] } },
    ]]);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }] },
    });
    expect(template.findResources('AWS::IAM::Role')[roleId].Properties.ManagedPolicyArns).toBeUndefined();
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  test('chunks of at most 20 keys: 21 keys make two custom resources, 50 make three', () => {
    const stack = newStack();
    const extra = Array.from({ length: 18 }, (_, i) => `project-${i}`);
    const activation = new CostAllocationTagActivation(stack, 'Tags', { additionalTagKeys: extra, failOnError: true });
    expect(activation.tagKeys).toHaveLength(21);
    expect(chunks(Template.fromStack(stack)).map((c) => [c.TagKeys, c.FailOnError])).toEqual([
      [['team', 'cost-center', 'environment', ...extra.slice(0, 17)], true],
      [['project-17'], true],
    ]);
    expect(Object.keys(Template.fromStack(stack).toJSON().Outputs)).toHaveLength(2);

    const stack50 = newStack();
    new CostAllocationTagActivation(stack50, 'Tags', { additionalTagKeys: Array.from({ length: 47 }, (_, i) => `k${i}`) });
    expect(chunks(Template.fromStack(stack50)).map((c) => c.TagKeys.length)).toEqual([20, 20, 10]);
  });

  test('addTagKeys fills the last chunk first, ignores duplicates; costTagKeys names the keys', () => {
    const stack = newStack();
    const activation = new CostAllocationTagActivation(stack, 'Tags', { costTagKeys: { team: 'squad', costCenter: 'cc' }, additionalTagKeys: ['project', 'squad'] });
    activation.addTagKeys(['project', 'owner']);
    activation.addTagKeys(Array.from({ length: 16 }, (_, i) => `k${i}`));
    expect(chunks(Template.fromStack(stack)).map((c) => c.TagKeys)).toEqual([
      ['squad', 'cc', 'environment', 'project', 'owner', ...Array.from({ length: 15 }, (_, i) => `k${i}`)],
      ['k15'],
    ]);
  });

  test('two activations in one stack share one function', () => {
    const stack = newStack();
    new CostAllocationTagActivation(stack, 'Tags');
    new CostAllocationTagActivation(stack, 'More', { costTagKeys: { team: 'owner', costCenter: 'budget-code', environment: 'stage' } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('Custom::CostAllocationTagActivation', 2);
  });

  test('more than 50 keys is an error', () => {
    const stack = newStack();
    expect(() => new CostAllocationTagActivation(stack, 'Tags', { additionalTagKeys: Array.from({ length: 48 }, (_, i) => `k${i}`) })).toThrow(
      'Billing/Tags: invalid tagKeys: 51 cost allocation tag keys would be activated, more than the limit of 50 (calls of at most 20 keys each). Activate the others with a second CostAllocationTagActivation');
    const activation = new CostAllocationTagActivation(stack, 'Ok', { additionalTagKeys: Array.from({ length: 47 }, (_, i) => `k${i}`) });
    expect(() => activation.addTagKeys(['k0', 'one-more'])).toThrow('Billing/Ok: invalid tagKeys: 51 cost allocation tag keys would be activated');
    expect(activation.tagKeys).toHaveLength(50);
  });

  test('invalid tag keys are errors', () => {
    const stack = newStack();
    expect(() => new CostAllocationTagActivation(stack, 'Tags', { additionalTagKeys: ['bad#key'] })).toThrow(
      "Billing/Tags: invalid tagKeys[3] 'bad#key': tag keys may contain only letters, digits, spaces and _ . : / = + - @. Remove the other characters");
    expect(() => new CostAllocationTagActivation(stack, 'Tags2', { additionalTagKeys: ['x'.repeat(129)] })).toThrow(
      `Billing/Tags2: invalid tagKeys[3] '${'x'.repeat(129)}': tag keys must be 1-128 characters long (got 129). Use a shorter, non-empty key`);
  });

  test('zero unacknowledged AwsSolutions findings', () => {
    const app = testApp();
    new CostAllocationTagActivation(new Stack(app, 'Billing', { env: ENV }), 'Tags');
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  });
});

/** The handler, run for real in a sandbox with a fake Cost Explorer client and a fake HTTPS response channel. */
describe('the tag activation handler', () => {
  interface Run {
    readonly response: any;
    readonly requests: any[];
    readonly clientConfig: any;
    readonly put: { options: any; body: string };
  }

  async function run(event: any, send: (input: any) => Promise<any>): Promise<Run> {
    const requests: any[] = [];
    let clientConfig: any;
    let put: any;
    class UpdateCostAllocationTagsStatusCommand {
      constructor(public readonly input: any) {}
    }
    class CostExplorerClient {
      constructor(config: any) {
        clientConfig = config;
      }
      public send(command: UpdateCostAllocationTagsStatusCommand): Promise<any> {
        requests.push(command.input);
        return send(command.input);
      }
    }
    const modules: Record<string, any> = {
      '@aws-sdk/client-cost-explorer': { CostExplorerClient, UpdateCostAllocationTagsStatusCommand },
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
    vm.runInNewContext(TAG_ACTIVATION_HANDLER_SOURCE, {
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
    return { response: JSON.parse(put.body), requests, clientConfig, put };
  }

  const event = (requestType: string, props: any = {}, physicalId?: string) => ({
    RequestType: requestType,
    ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/stack/resource?X-Amz-Signature=abc',
    StackId: 'arn:aws:cloudformation:us-east-1:111122223333:stack/Billing/guid',
    RequestId: 'request-1',
    LogicalResourceId: 'TagsChunk0',
    PhysicalResourceId: physicalId,
    ResourceProperties: { ServiceToken: 'arn', TagKeys: ['team', 'cost-center'], FailOnError: 'false', ...props },
  });

  test('is small enough to be inline code (ZipFile, 4,096 characters)', () => {
    expect(TAG_ACTIVATION_HANDLER_SOURCE.length).toBeLessThan(4096);
  });

  test('all keys activated: Active statuses sent to us-east-1, empty error attributes', async () => {
    const result = await run(event('Create'), async () => ({ Errors: [] }));
    expect(result.clientConfig).toEqual({ region: 'us-east-1' });
    expect(result.requests).toEqual([{ CostAllocationTagsStatus: [{ TagKey: 'team', Status: 'Active' }, { TagKey: 'cost-center', Status: 'Active' }] }]);
    expect(result.response).toEqual({
      Status: 'SUCCESS',
      Reason: 'OK',
      PhysicalResourceId: 'cost-allocation-tags-TagsChunk0',
      StackId: 'arn:aws:cloudformation:us-east-1:111122223333:stack/Billing/guid',
      RequestId: 'request-1',
      LogicalResourceId: 'TagsChunk0',
      NoEcho: false,
      Data: { ErrorCount: '0', FailedTagKeys: 'none', Errors: '[]' },
    });
    expect(result.put.options).toMatchObject({
      hostname: 'cloudformation-custom-resource-response-useast1.s3.amazonaws.com',
      path: '/stack/resource?X-Amz-Signature=abc',
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(result.put.body) },
    });
  });

  test('per-key Errors[] (not thrown by the API) become the attributes; the deployment goes on', async () => {
    const errors = [{ TagKey: 'cost-center', Code: 'TagKeysNotFoundException', Message: 'The tag key cost-center was not found' }];
    const result = await run(event('Update', {}, 'cost-allocation-tags-TagsChunk0'), async () => ({ Errors: errors }));
    expect(result.response.Status).toBe('SUCCESS');
    expect(result.response.PhysicalResourceId).toBe('cost-allocation-tags-TagsChunk0');
    expect(result.response.Data).toEqual({ ErrorCount: '1', FailedTagKeys: 'cost-center', Errors: JSON.stringify(errors) });
  });

  test('FailOnError: per-key errors fail the deployment with the keys in the reason', async () => {
    const errors = [{ TagKey: 'team', Code: 'TagKeysNotFoundException', Message: 'not found' }];
    const result = await run(event('Create', { FailOnError: 'true' }), async () => ({ Errors: errors }));
    expect(result.response.Status).toBe('FAILED');
    expect(result.response.Reason).toBe('AWS did not activate team (TagKeysNotFoundException)');
  });

  test('a failed call (e.g. access denied in a member account) is reported per key, or fails with FailOnError', async () => {
    const denied = async () => {
      const error = new Error('User is not authorized to perform ce:UpdateCostAllocationTagsStatus');
      error.name = 'AccessDeniedException';
      throw error;
    };
    const lenient = await run(event('Create'), denied);
    expect(lenient.response.Status).toBe('SUCCESS');
    expect(JSON.parse(lenient.response.Data.Errors)).toEqual([
      { TagKey: 'team', Code: 'AccessDeniedException', Message: 'User is not authorized to perform ce:UpdateCostAllocationTagsStatus' },
      { TagKey: 'cost-center', Code: 'AccessDeniedException', Message: 'User is not authorized to perform ce:UpdateCostAllocationTagsStatus' },
    ]);
    expect(lenient.response.Data.FailedTagKeys).toBe('team,cost-center');
    const strict = await run(event('Create', { FailOnError: 'true' }), denied);
    expect(strict.response).toMatchObject({ Status: 'FAILED', Reason: 'User is not authorized to perform ce:UpdateCostAllocationTagsStatus' });
  });

  test('delete does not deactivate anything', async () => {
    const result = await run(event('Delete', {}, 'cost-allocation-tags-TagsChunk0'), async () => {
      throw new Error('must not be called');
    });
    expect(result.requests).toEqual([]);
    expect(result.response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'cost-allocation-tags-TagsChunk0', Data: { ErrorCount: '0', Errors: '[]' } });
  });

  test('long error lists are truncated to stay under the 4 KB response limit', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `key-${i}`);
    const errors = keys.map((TagKey) => ({ TagKey, Code: 'TagKeysNotFoundException', Message: 'x'.repeat(150) }));
    const result = await run(event('Create', { TagKeys: keys }), async () => ({ Errors: errors }));
    expect(result.response.Data.ErrorCount).toBe('20');
    expect(result.response.Data.Errors).toHaveLength(2000 + '... (truncated: see the function log)'.length);
    expect(result.put.body.length).toBeLessThan(4096);
  });
});

describe('principal tag keys', () => {
  test('principalTagKeys adds iamPrincipal/<key> for each cost tag key, after the keys themselves', () => {
    const stack = new Stack(testApp(), 'Billing', { env: ENV });
    const activation = new CostAllocationTagActivation(stack, 'Tags', { costTagKeys: { team: 'squad' }, principalTagKeys: true, additionalTagKeys: ['project'] });
    expect(activation.tagKeys).toEqual(['squad', 'cost-center', 'environment', 'iamPrincipal/squad', 'iamPrincipal/cost-center', 'iamPrincipal/environment', 'project']);
    Template.fromStack(stack).hasResourceProperties('Custom::CostAllocationTagActivation', {
      TagKeys: ['squad', 'cost-center', 'environment', 'iamPrincipal/squad', 'iamPrincipal/cost-center', 'iamPrincipal/environment', 'project'],
    });
  });

  test('off by default on the construct', () => {
    const stack = new Stack(testApp(), 'Billing', { env: ENV });
    expect(new CostAllocationTagActivation(stack, 'Tags').tagKeys).toEqual(['team', 'cost-center', 'environment']);
  });
});

/**
 * TAG1, LOG1, BUD1, BUD2 and KB1 on plain L1 resources and hand-written AwsCustomResources.
 */
import { CfnParameter, CfnTag, CustomResource, Fn, Lazy, Stack, Tags } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { agnosticStack, check, findingIds, findingsOf, newStack, ruleErrors } from './utils';
import { ACCOUNT, ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const TAG1 = 'BedrockGovernance-TAG1';
const LOG1 = 'BedrockGovernance-LOG1';
const BUD1 = 'BedrockGovernance-BUD1';
const BUD2 = 'BedrockGovernance-BUD2';
const KB1 = 'BedrockGovernance-KB1';
const NOVA_LITE_ARN = 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0';

const TAGS: CfnTag[] = [
  { key: 'team', value: 'search' },
  { key: 'cost-center', value: 'CC-1' },
  { key: 'environment', value: 'prod' },
];

function profile(stack: Stack, id: string, tags: CfnTag[] = TAGS): bedrock.CfnApplicationInferenceProfile {
  return new bedrock.CfnApplicationInferenceProfile(stack, id, { inferenceProfileName: id, modelSource: { copyFrom: NOVA_LITE_ARN }, tags });
}

interface LoggingCallOptions {
  readonly service?: string;
  readonly action?: string;
  readonly region?: string;
  readonly assumedRoleArn?: string;
  readonly loggingConfig?: Record<string, unknown>;
}

/** A hand-written AwsCustomResource that sets invocation logging, as a user would write it. */
function loggingResource(stack: Stack, id: string, options: LoggingCallOptions = {}): cr.AwsCustomResource {
  const call: cr.AwsSdkCall = {
    service: options.service ?? 'Bedrock',
    action: options.action ?? 'putModelInvocationLoggingConfiguration',
    parameters: { loggingConfig: options.loggingConfig ?? { s3Config: { bucketName: 'invocation-logs', keyPrefix: 'bedrock' }, textDataDeliveryEnabled: true } },
    physicalResourceId: cr.PhysicalResourceId.of('invocation-logging'),
    region: options.region,
    assumedRoleArn: options.assumedRoleArn,
  };
  return new cr.AwsCustomResource(stack, id, {
    installLatestAwsSdk: false,
    onCreate: call,
    onUpdate: call,
    policy: cr.AwsCustomResourcePolicy.fromStatements([
      new iam.PolicyStatement({ actions: ['bedrock:PutModelInvocationLoggingConfiguration'], resources: ['*'] }),
    ]),
  });
}

function budget(stack: Stack, id: string, budgetData: Partial<budgets.CfnBudget.BudgetDataProperty>, withNotification = true): budgets.CfnBudget {
  return new budgets.CfnBudget(stack, id, {
    budget: { budgetType: 'COST', timeUnit: 'MONTHLY', budgetLimit: { amount: 100, unit: 'USD' }, ...budgetData },
    notificationsWithSubscribers: withNotification ? [{
      notification: { notificationType: 'ACTUAL', comparisonOperator: 'GREATER_THAN', threshold: 80, thresholdType: 'PERCENTAGE' },
      subscribers: [{ subscriptionType: 'EMAIL', address: 'finops@example.com' }],
    }] : undefined,
  });
}

describe('BedrockProfileCostTags (TAG1)', () => {
  test('Compliance: L1 tags, and tags added with Tags.of (seen once the aspects ran, as during synthesis)', () => {
    const app = testApp();
    const stack = new Stack(app, 'Stack', { env: ENV });
    profile(stack, 'Tagged');
    const late = profile(stack, 'Late', [{ key: 'team', value: 'search' }]);
    Tags.of(late).add('cost-center', 'CC-1');
    Tags.of(late).add('environment', 'prod');
    app.synth();
    expect(findingIds(check(stack), TAG1)).toEqual([]);
  });

  test('Compliance: custom cost tag keys', () => {
    const stack = newStack();
    profile(stack, 'P', [{ key: 'squad', value: 's' }, { key: 'cost-center', value: 'c' }, { key: 'stage', value: 'dev' }]);
    expect(findingIds(check(stack, { costTagKeys: { team: 'squad', environment: 'stage' } }), TAG1)).toEqual([]);
    expect(findingIds(check(stack), TAG1)).toEqual([`${TAG1}[Tag::environment]`, `${TAG1}[Tag::team]`]);
  });

  test('Noncompliance: missing and empty tags, one finding per key', () => {
    const stack = newStack();
    profile(stack, 'Untagged', []);
    profile(stack, 'Blank', [{ key: 'team', value: ' ' }, { key: 'cost-center', value: 'CC-1' }, { key: 'Environment', value: 'prod' }]);
    expect(findingsOf(check(stack), TAG1)).toEqual([
      { id: `${TAG1}[Tag::cost-center]`, paths: ['Stack/Untagged'], severity: 'error' },
      { id: `${TAG1}[Tag::environment]`, paths: ['Stack/Blank', 'Stack/Untagged'], severity: 'error' },
      { id: `${TAG1}[Tag::team]`, paths: ['Stack/Blank', 'Stack/Untagged'], severity: 'error' },
    ]);
  });

  test('Validation failure: a tag value that is a token', () => {
    const stack = newStack();
    const team = new CfnParameter(stack, 'Team');
    profile(stack, 'P', [{ key: 'team', value: team.valueAsString }, { key: 'cost-center', value: 'c' }, { key: 'environment', value: 'e' }]);
    expect(ruleErrors(check(stack), TAG1)).toEqual(["Stack/P: the value of tag 'team' is not a literal string, so it cannot be checked"]);
  });
});

describe('BedrockInvocationLoggingMissing (LOG1)', () => {
  describe('Compliance', () => {
    test('a hand-written AwsCustomResource in the same stack (bucket name from a token: an Fn::Join call)', () => {
      const stack = newStack();
      profile(stack, 'P');
      const bucketName = new CfnParameter(stack, 'BucketName').valueAsString;
      loggingResource(stack, 'Logging', { loggingConfig: { s3Config: { bucketName } } });
      const report = check(stack);
      expect(findingIds(report, LOG1)).toEqual([]);
      expect(ruleErrors(report, LOG1)).toEqual([]);
    });

    test('SDK v3 names, CloudWatch destination, in another stack of the same environment', () => {
      const app = testApp();
      const usage = new Stack(app, 'Usage', { env: ENV });
      const logging = new Stack(app, 'Logging', { env: ENV });
      profile(usage, 'P');
      new iam.Policy(usage, 'Grant', { statements: [new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['*'] })] });
      loggingResource(logging, 'Logging', {
        service: '@aws-sdk/client-bedrock',
        action: 'PutModelInvocationLoggingConfigurationCommand',
        loggingConfig: { cloudWatchConfig: { logGroupName: 'bedrock', roleArn: `arn:aws:iam::${ACCOUNT}:role/log` } },
      });
      expect(findingIds(check(usage), LOG1)).toEqual([]);
    });

    test('environment-agnostic stacks, and a call that targets the stack Region explicitly', () => {
      const app = testApp();
      const usage = new Stack(app, 'Usage');
      const logging = new Stack(app, 'Logging');
      profile(usage, 'P');
      loggingResource(logging, 'Logging', { region: logging.region });
      expect(findingIds(check(app), LOG1)).toEqual([]);
    });

    test('not applicable: no Bedrock, or only wildcard grants', () => {
      const stack = newStack();
      new iam.Policy(stack, 'Admin', { statements: [new iam.PolicyStatement({ actions: ['*'], resources: ['*'] })] });
      new iam.Policy(stack, 'Read', { statements: [new iam.PolicyStatement({ actions: ['bedrock:GetFoundationModel', 's3:GetObject'], resources: ['*'] })] });
      expect(findingIds(check(stack), LOG1)).toEqual([]);
    });
  });

  describe('Noncompliance', () => {
    test('profiles and explicit invoke grants with no logging', () => {
      const stack = newStack();
      profile(stack, 'P');
      new iam.Policy(stack, 'Grant', { statements: [new iam.PolicyStatement({ actions: ['bedrock:Invoke*'], resources: ['*'] })] });
      expect(findingsOf(check(stack), LOG1)).toEqual([{ id: LOG1, paths: ['Stack/Grant/Resource', 'Stack/P'], severity: 'error' }]);
    });

    test.each<[string, LoggingCallOptions]>([
      ['another Region', { region: 'eu-west-1' }],
      ['another account', { assumedRoleArn: 'arn:aws:iam::444455556666:role/logging' }],
      ['no destination', { loggingConfig: { textDataDeliveryEnabled: true } }],
      ['another action', { action: 'deleteModelInvocationLoggingConfiguration' }],
      ['another service', { service: 'BedrockAgent' }],
    ])('logging set for %s does not count', (_name, options) => {
      const stack = newStack();
      profile(stack, 'P');
      loggingResource(stack, 'Logging', options);
      expect(findingIds(check(stack), LOG1)).toEqual([LOG1]);
    });

    test('logging in a stack of another environment, or in a concrete env for an agnostic usage', () => {
      const app = testApp();
      const usage = new Stack(app, 'Usage');
      profile(usage, 'P');
      loggingResource(new Stack(app, 'Logging', { env: ENV }), 'Logging');
      loggingResource(new Stack(app, 'Other', { env: { account: ACCOUNT, region: 'us-west-2' } }), 'Logging');
      expect(findingsOf(check(app), LOG1)).toEqual([{ id: LOG1, paths: ['Usage/P'], severity: 'error' }]);
    });

    test('a custom resource backed by its own Lambda is not recognised: what its handler does is not in the template', () => {
      const stack = newStack();
      profile(stack, 'P');
      new CustomResource(stack, 'SetsLogging', {
        serviceToken: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:set-bedrock-logging`,
        properties: { Service: 'Bedrock', Action: 'putModelInvocationLoggingConfiguration', BucketName: 'invocation-logs' },
      });
      expect(findingIds(check(stack), LOG1)).toEqual([LOG1]);
    });
  });

  test('Validation failure: a logging call whose Region is a token', () => {
    const stack = newStack();
    profile(stack, 'P');
    loggingResource(stack, 'Logging', { region: new CfnParameter(stack, 'LogRegion').valueAsString });
    expect(ruleErrors(check(stack), LOG1)).toEqual([
      'Stack/P: no invocation logging is configured for this account and Region, but the target account or Region of Stack/Logging/Resource/Default cannot be resolved at synth time',
    ]);
  });
});

describe('BedrockTeamWithoutBudget (BUD1)', () => {
  test.each<[string, Partial<budgets.CfnBudget.BudgetDataProperty>]>([
    ['FilterExpression Tags, bare key', { filterExpression: { tags: { key: 'team', values: ['search'] } } }],
    ['FilterExpression Tags, user: key, inside And', {
      filterExpression: { and: [{ tags: { key: 'user:team', values: ['other', 'search'] } }, { dimensions: { key: 'BILLING_ENTITY', values: ['AWS Marketplace'] } }] },
    }],
    ['case-insensitive match', { filterExpression: { tags: { key: 'team', values: ['SEARCH'], matchOptions: ['EQUALS', 'CASE_INSENSITIVE'] } } }],
    ['prefix match', { filterExpression: { tags: { key: 'team', values: ['sea'], matchOptions: ['STARTS_WITH'] } } }],
    ['legacy CostFilters', { costFilters: { TagKeyValue: ['user:team$search'] } }],
  ])('Compliance: %s', (_name, data) => {
    const stack = newStack();
    profile(stack, 'P');
    budget(stack, 'Budget', data);
    expect(findingIds(check(stack), BUD1)).toEqual([]);
  });

  test('Compliance: a budget in another stack, a custom team key; profiles without a team tag are TAG1\'s', () => {
    const app = testApp();
    const usage = new Stack(app, 'Usage', { env: ENV });
    profile(usage, 'P', [{ key: 'squad', value: 'search' }]);
    profile(usage, 'NoTeam', []);
    budget(new Stack(app, 'Budgets', { env: ENV }), 'Budget', { filterExpression: { tags: { key: 'squad', values: ['search'] } } });
    expect(findingIds(check(app, { costTagKeys: { team: 'squad' } }), 'BedrockGovernance-BUD1')).toEqual([]);
  });

  test.each<[string, Partial<budgets.CfnBudget.BudgetDataProperty> | undefined]>([
    ['no budget', undefined],
    ['another team', { filterExpression: { tags: { key: 'team', values: ['ads'] } } }],
    ['another tag key', { filterExpression: { tags: { key: 'cost-center', values: ['search'] } } }],
    ['under Not', { filterExpression: { not: { tags: { key: 'team', values: ['search'] } } } }],
    ['ABSENT', { filterExpression: { tags: { key: 'team', values: ['search'], matchOptions: ['ABSENT'] } } }],
    ['case differs', { filterExpression: { tags: { key: 'team', values: ['Search'] } } }],
    ['a USAGE budget', { budgetType: 'USAGE', filterExpression: { tags: { key: 'team', values: ['search'] } } }],
    ['legacy CostFilters without user:', { costFilters: { TagKeyValue: ['team$search'] } }],
  ])('Noncompliance: %s', (_name, data) => {
    const stack = newStack();
    profile(stack, 'P');
    if (data !== undefined) {
      budget(stack, 'Budget', data);
    }
    expect(findingsOf(check(stack), BUD1)).toEqual([{ id: BUD1, paths: ['Stack/P'], severity: 'warning' }]);
  });

  test('Validation failure: the team value, or a budget filter, is a token', () => {
    const stack = newStack();
    profile(stack, 'P', [{ key: 'team', value: Fn.importValue('TeamName') }]);
    expect(ruleErrors(check(stack), BUD1)).toEqual(["Stack/P: the value of tag 'team' is not a literal string, so its budget cannot be found"]);

    const other = newStack();
    profile(other, 'P');
    budget(other, 'Budget', { filterExpression: { tags: { key: 'team', values: [Fn.importValue('TeamName')] } } });
    expect(ruleErrors(check(other), BUD1)).toEqual([
      'Stack/P: no budget filters on team=search, but the filters of Stack/Budget cannot be resolved at synth time',
    ]);
  });
});

describe('BudgetNotificationsWithSubscribers (BUD2)', () => {
  test('Compliance', () => {
    const stack = newStack();
    budget(stack, 'Budget', {});
    expect(findingIds(check(stack), BUD2)).toEqual([]);
  });

  test('Noncompliance', () => {
    const stack = newStack();
    budget(stack, 'Silent', {}, false);
    new budgets.CfnBudget(stack, 'Empty', { budget: { budgetType: 'COST', timeUnit: 'MONTHLY' }, notificationsWithSubscribers: [] });
    new budgets.CfnBudget(stack, 'NoSubscribers', {
      budget: { budgetType: 'COST', timeUnit: 'MONTHLY' },
      notificationsWithSubscribers: [{
        notification: { notificationType: 'FORECASTED', comparisonOperator: 'GREATER_THAN', threshold: 100 },
        subscribers: [],
      }],
    });
    expect(findingsOf(check(stack), BUD2)).toEqual([{ id: BUD2, paths: ['Stack/Empty', 'Stack/NoSubscribers', 'Stack/Silent'], severity: 'error' }]);
  });

  test('Tokens inside the list are resolved: entries or subscribers that resolve to nothing drop out', () => {
    const stack = newStack();
    const notification = { notificationType: 'ACTUAL', comparisonOperator: 'GREATER_THAN', threshold: 80 };
    const subscriber = { subscriptionType: 'SNS', address: Lazy.string({ produce: () => 'arn:aws:sns:us-east-1:111122223333:alerts' }) };
    // a Lazy subscriber that produces nothing: no subscriber left
    new budgets.CfnBudget(stack, 'LazySubscriberGone', {
      budget: { budgetType: 'COST', timeUnit: 'MONTHLY' },
      notificationsWithSubscribers: [{ notification, subscribers: [Lazy.any({ produce: () => undefined }) as any] }],
    });
    // a Lazy notification that produces nothing: no notification left
    new budgets.CfnBudget(stack, 'LazyNotificationGone', {
      budget: { budgetType: 'COST', timeUnit: 'MONTHLY' },
      notificationsWithSubscribers: [Lazy.any({ produce: () => undefined }) as any],
    });
    // a list token of subscribers (resolved to one) and a token address inside a plain subscriber: compliant
    new budgets.CfnBudget(stack, 'TokenSubscribers', {
      budget: { budgetType: 'COST', timeUnit: 'MONTHLY' },
      notificationsWithSubscribers: [
        { notification, subscribers: Lazy.any({ produce: () => [subscriber] }) as any },
        { notification, subscribers: [subscriber] },
      ],
    });
    expect(findingsOf(check(stack), BUD2)).toEqual([{ id: BUD2, paths: ['Stack/LazyNotificationGone', 'Stack/LazySubscriberGone'], severity: 'error' }]);
  });

  test('Validation failure', () => {
    const stack = newStack();
    new budgets.CfnBudget(stack, 'Budget', {
      budget: { budgetType: 'COST', timeUnit: 'MONTHLY' },
      notificationsWithSubscribers: Fn.conditionIf('HasAlerts', [], Fn.ref('AWS::NoValue')) as any,
    });
    expect(ruleErrors(check(stack), BUD2)).toEqual(['Stack/Budget: NotificationsWithSubscribers is not a literal list, so it cannot be checked']);
  });
});

describe('BedrockKnowledgeBaseOpenSearchServerless (KB1)', () => {
  function knowledgeBase(stack: Stack, id: string, type: string): void {
    new bedrock.CfnKnowledgeBase(stack, id, {
      name: id,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/kb`,
      knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0' } },
      storageConfiguration: { type },
    });
  }

  test('Compliance', () => {
    const stack = agnosticStack();
    knowledgeBase(stack, 'Vectors', 'S3_VECTORS');
    knowledgeBase(stack, 'Aurora', 'RDS');
    expect(findingIds(check(stack), KB1)).toEqual([]);
  });

  test('Noncompliance', () => {
    const stack = agnosticStack();
    knowledgeBase(stack, 'Search', 'OPENSEARCH_SERVERLESS');
    expect(findingsOf(check(stack), KB1)).toEqual([{ id: KB1, paths: ['Stack/Search'], severity: 'warning' }]);
  });

  test('Validation failure', () => {
    const stack = agnosticStack();
    knowledgeBase(stack, 'Search', new CfnParameter(stack, 'StorageType').valueAsString);
    // cdk-nag's NagRules.resolveIfPrimitive message.
    expect(ruleErrors(check(stack), KB1)).toEqual([
      'The parameter resolved to to a non-primitive value "{"Ref":"StorageType"}", therefore the rule could not be validated.',
    ]);
  });
});

import { Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { only, twoTeams } from './budgets-fixtures';
import { BedrockModel, Team } from '../../src';
import {
  BudgetCostMetric, BudgetNotificationType, BudgetServiceScope, BudgetThresholdType, CostTagKeyForm, GovernanceAlertTopic, TeamBudget,
} from '../../src/budgets';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const notification = (type: string, threshold: number, thresholdType = 'PERCENTAGE') => ({
  NotificationType: type, ComparisonOperator: 'GREATER_THAN', Threshold: threshold, ThresholdType: thresholdType,
});

describe('TeamBudget', () => {
  test('a monthly COST budget in USD filtered by the team tag with FilterExpression and Metrics, default notifications to topic and emails', () => {
    const { stack, alpha } = twoTeams();
    const alerts = new GovernanceAlertTopic(stack, 'Alerts');
    const budget = new TeamBudget(stack, 'Budget', { team: alpha, monthlyLimitUsd: 5000, topic: alerts.topic, emails: ['finops@example.com'] });
    const template = Template.fromStack(stack);
    const { id, resource } = only(template, 'AWS::Budgets::Budget');
    const topicId = stack.getLogicalId(alerts.topic.node.defaultChild as sns.CfnTopic);
    const subscribers = [{ SubscriptionType: 'SNS', Address: { Ref: topicId } }, { SubscriptionType: 'EMAIL', Address: 'finops@example.com' }];
    expect(resource.Properties).toEqual({
      Budget: {
        BudgetName: expect.stringMatching(/^S-Budget-[0-9A-F]{8}$/),
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: 5000, Unit: 'USD' },
        FilterExpression: { Tags: { Key: 'team', Values: ['alpha'], MatchOptions: ['EQUALS'] } },
        Metrics: ['UnblendedCost'],
      },
      NotificationsWithSubscribers: [
        { Notification: notification('ACTUAL', 50), Subscribers: subscribers },
        { Notification: notification('ACTUAL', 80), Subscribers: subscribers },
        { Notification: notification('ACTUAL', 100), Subscribers: subscribers },
        { Notification: notification('FORECASTED', 100), Subscribers: subscribers },
      ],
    });
    // never the deprecated forms
    expect(JSON.stringify(resource)).not.toMatch(/CostFilters|CostTypes/);
    expect(stack.resolve(budget.budgetName)).toEqual({ Ref: id });
    expect(budget.filterTagKey).toBe('team');
    expect(budget.emails).toEqual(['finops@example.com']);
  });

  test('the tag key form is a choice (UNVERIFIED), and follows the configured team tag key', () => {
    const { stack, alpha } = twoTeams();
    const owned = new Team(stack, 'Owned', {
      teamName: 'owned', costCenter: 'CC', environment: 'dev', models: [BedrockModel.NOVA_MICRO], costTagKeys: { team: 'owner-team' },
    });
    new TeamBudget(stack, 'Prefixed', { team: alpha, monthlyLimitUsd: 10, emails: ['a@example.com'], tagKeyForm: CostTagKeyForm.USER_PREFIXED, budgetName: 'alpha-bedrock' });
    new TeamBudget(stack, 'Bare', { team: owned, monthlyLimitUsd: 10, emails: ['a@example.com'], budgetName: 'owned-bedrock' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: { BudgetName: 'alpha-bedrock', FilterExpression: { Tags: { Key: 'user:team', Values: ['alpha'] } } },
    });
    template.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: { BudgetName: 'owned-bedrock', FilterExpression: { Tags: { Key: 'owner-team', Values: ['owned'] } } },
    });
  });

  test('service scopes: Bedrock or Marketplace, and Bedrock only with a warning about Marketplace billing', () => {
    const { stack, alpha } = twoTeams();
    new TeamBudget(stack, 'Both', { team: alpha, monthlyLimitUsd: 10, emails: ['a@example.com'], serviceScope: BudgetServiceScope.BEDROCK_AND_MARKETPLACE });
    new TeamBudget(stack, 'Narrow', { team: alpha, monthlyLimitUsd: 10, emails: ['a@example.com'], serviceScope: BudgetServiceScope.BEDROCK_SERVICE_ONLY });
    const template = Template.fromStack(stack);
    const tag = { Tags: { Key: 'team', Values: ['alpha'], MatchOptions: ['EQUALS'] } };
    const service = { Dimensions: { Key: 'SERVICE', Values: ['Amazon Bedrock'], MatchOptions: ['EQUALS'] } };
    const budgetsByPath = Object.values<any>(template.findResources('AWS::Budgets::Budget'));
    expect(budgetsByPath.map((b) => b.Properties.Budget.FilterExpression)).toEqual([
      { And: [tag, { Or: [service, { Dimensions: { Key: 'BILLING_ENTITY', Values: ['AWS Marketplace'], MatchOptions: ['EQUALS'] } }] }] },
      { And: [tag, service] },
    ]);
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/S/Narrow', Match.stringLikeRegexp('serviceScope BEDROCK_SERVICE_ONLY misses Claude and other third-party models'));
    expect(annotations.findWarning('/S/Both', Match.anyValue())).toEqual([]);
  });

  test('custom alerts, absolute thresholds and cost metric', () => {
    const { stack, alpha } = twoTeams();
    new TeamBudget(stack, 'Budget', {
      team: alpha,
      monthlyLimitUsd: 2000,
      emails: ['a@example.com'],
      costMetric: BudgetCostMetric.NET_AMORTIZED_COST,
      alerts: [
        { threshold: 1000 },
        { threshold: 1500, thresholdType: BudgetThresholdType.ABSOLUTE_VALUE, notificationType: BudgetNotificationType.FORECASTED },
      ],
    });
    const { resource } = only(Template.fromStack(stack), 'AWS::Budgets::Budget');
    expect(resource.Properties.Budget.Metrics).toEqual(['NetAmortizedCost']);
    expect(resource.Properties.NotificationsWithSubscribers.map((n: any) => n.Notification)).toEqual([
      notification('ACTUAL', 1000),
      notification('FORECASTED', 1500, 'ABSOLUTE_VALUE'),
    ]);
  });

  test('tokens are passed through unchecked', () => {
    const { stack, alpha } = twoTeams();
    const limit = Lazy.number({ produce: () => 750 });
    new TeamBudget(stack, 'Budget', { team: alpha, monthlyLimitUsd: limit, emails: ['a@example.com'] });
    Template.fromStack(stack).hasResourceProperties('AWS::Budgets::Budget', { Budget: { BudgetLimit: { Amount: 750, Unit: 'USD' } } });
  });
});

describe('TeamBudget validation', () => {
  const make = (props: any) => {
    const stack = new Stack(testApp(), 'S', { env: ENV });
    const team = new Team(stack, 'T', { teamName: 'search', costCenter: 'CC', environment: 'prod', models: [BedrockModel.NOVA_MICRO] });
    return new TeamBudget(stack, 'Budget', { team, monthlyLimitUsd: 100, emails: ['a@example.com'], ...props });
  };

  test.each([
    [0, 'S/Budget: invalid monthlyLimitUsd 0: amounts in USD must be finite numbers greater than 0. Pass the monthly budget in USD, e.g. 5000'],
    [-50, 'S/Budget: invalid monthlyLimitUsd -50: amounts in USD must be finite numbers greater than 0. Pass the monthly budget in USD, e.g. 5000'],
    [Number.POSITIVE_INFINITY, 'S/Budget: invalid monthlyLimitUsd Infinity: amounts in USD must be finite numbers greater than 0. Pass the monthly budget in USD, e.g. 5000'],
  ])('monthlyLimitUsd %p', (monthlyLimitUsd, message) => {
    expect(() => make({ monthlyLimitUsd })).toThrow(message);
  });

  test.each([0, -1, 1000.5, 5000])('percentage threshold %p is outside (0, 1000]', (threshold) => {
    expect(() => make({ alerts: [{ threshold: 50 }, { threshold }] }))
      .toThrow(`S/Budget: invalid alerts[1].threshold ${threshold}: percentage thresholds must be greater than 0 and at most 1000. Pass e.g. 80 for 80% of the budget`);
  });

  test('the bounds themselves: 1000% is accepted, a tiny positive threshold too', () => {
    expect(() => make({ alerts: [{ threshold: 1000 }, { threshold: 0.5 }] })).not.toThrow();
  });

  test('absolute thresholds must be positive', () => {
    expect(() => make({ alerts: [{ threshold: 0, thresholdType: BudgetThresholdType.ABSOLUTE_VALUE }] }))
      .toThrow('S/Budget: invalid alerts[0].threshold 0: amounts in USD must be finite numbers greater than 0. Pass the amount in USD, e.g. 1000');
  });

  test('more than 10 email subscribers', () => {
    const emails = Array.from({ length: 11 }, (_, i) => `u${i}@example.com`);
    expect(() => make({ emails }))
      .toThrow(`S/Budget: invalid emails ${JSON.stringify(emails)}: 11 email subscribers, but AWS takes at most 10 per notification (plus one SNS topic). Subscribe the extra addresses to an SNS topic and pass the topic instead`);
    expect(() => make({ emails: emails.slice(0, 10) })).not.toThrow();
  });

  test('no subscriber at all', () => {
    expect(() => make({ emails: [] }))
      .toThrow('S/Budget: a budget needs at least one subscriber. Pass topic (e.g. a GovernanceAlertTopic) or emails');
  });

  test('duplicate, missing and too many alerts', () => {
    expect(() => make({ alerts: [{ threshold: 80 }, { threshold: 80, notificationType: BudgetNotificationType.ACTUAL }] }))
      .toThrow('S/Budget: invalid alerts[1] {"threshold":80,"notificationType":"ACTUAL"}: the same notification as alerts[0]; AWS Budgets rejects duplicates. List each threshold once');
    expect(() => make({ alerts: [{ threshold: 80 }, { threshold: 80, notificationType: BudgetNotificationType.FORECASTED }] })).not.toThrow();
    expect(() => make({ alerts: [] }))
      .toThrow('S/Budget: invalid alerts []: a budget without notifications notifies no one. Pass at least one alert, or omit alerts for the defaults');
    expect(() => make({ alerts: Array.from({ length: 11 }, (_, i) => ({ threshold: 10 * (i + 1) })) }))
      .toThrow('S/Budget: invalid alerts 11: a budget takes at most 10 notifications. Drop some thresholds');
  });

  test('budget names', () => {
    expect(() => make({ budgetName: 'team:search' }))
      .toThrow("S/Budget: invalid budgetName 'team:search': budget names may not contain ':', '\\' or '/action/'. Remove those characters");
    expect(() => make({ budgetName: 'a/action/b' }))
      .toThrow("S/Budget: invalid budgetName 'a/action/b': budget names may not contain ':', '\\' or '/action/'. Remove those characters");
    expect(() => make({ budgetName: 'x'.repeat(101) }))
      .toThrow(`S/Budget: invalid budgetName '${'x'.repeat(101)}': budget names must be 1-100 characters long (got 101). Use a shorter name`);
  });
});

describe('TeamBudget linkedAccounts', () => {
  test('ANDs the LINKED_ACCOUNT dimension with the tag filter, flattening the service scope', () => {
    const { stack, alpha } = twoTeams();
    new TeamBudget(stack, 'Plain', { team: alpha, monthlyLimitUsd: 10, emails: ['a@example.com'], linkedAccounts: ['444455556666'], budgetName: 'plain' });
    new TeamBudget(stack, 'Scoped', {
      team: alpha,
      monthlyLimitUsd: 10,
      emails: ['a@example.com'],
      linkedAccounts: ['444455556666'],
      budgetName: 'scoped',
      serviceScope: BudgetServiceScope.BEDROCK_SERVICE_ONLY,
    });
    const template = Template.fromStack(stack);
    const tag = { Tags: { Key: 'team', Values: ['alpha'], MatchOptions: ['EQUALS'] } };
    const account = { Dimensions: { Key: 'LINKED_ACCOUNT', Values: ['444455556666'], MatchOptions: ['EQUALS'] } };
    template.hasResourceProperties('AWS::Budgets::Budget', { Budget: Match.objectLike({ BudgetName: 'plain', FilterExpression: { And: [tag, account] } }) });
    template.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: Match.objectLike({
        BudgetName: 'scoped',
        FilterExpression: { And: [tag, { Dimensions: { Key: 'SERVICE', Values: ['Amazon Bedrock'], MatchOptions: ['EQUALS'] } }, account] },
      }),
    });
  });

  test('refuses an empty list, a malformed id and a duplicate; passes tokens through', () => {
    const { stack, alpha } = twoTeams();
    const base = { team: alpha, monthlyLimitUsd: 10, emails: ['a@example.com'] };
    expect(() => new TeamBudget(stack, 'Empty', { ...base, linkedAccounts: [] })).toThrow(
      'S/Empty: invalid linkedAccounts []: an empty account filter would match no spend. Leave linkedAccounts out to count every account, or name at least one');
    expect(() => new TeamBudget(stack, 'Bad', { ...base, linkedAccounts: ['4444-5555-6666'] })).toThrow(
      "S/Bad: invalid linkedAccounts[0] '4444-5555-6666': an account id is 12 digits. Pass the id shown by `aws organizations list-accounts`");
    expect(() => new TeamBudget(stack, 'Twice', { ...base, linkedAccounts: ['444455556666', '444455556666'] })).toThrow(
      "S/Twice: invalid linkedAccounts[1] '444455556666': the account is listed twice. List each account once");
    const token = new TeamBudget(stack, 'Token', { ...base, linkedAccounts: [Lazy.string({ produce: () => '444455556666' })] });
    expect(token.linkedAccounts).toHaveLength(1);
  });
});

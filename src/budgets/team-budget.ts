import { Annotations } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { filterTagKey } from './private/tags';
import { defaultName, validateBudgetName, validateEmails, validatePercentThreshold, validatePositiveUsd } from './private/validation';
import { CostTagKeyForm } from './tag-key-form';
import { GovernanceValidationError, invalidProp } from '../private/errors';
import { isUnresolved } from '../private/validate';
import { Team } from '../teams/team';

/** The cost metric a budget tracks. */
export enum BudgetCostMetric {
  /** Unblended cost: what the usage costs at the rates of the month it ran (the Budgets default). */
  UNBLENDED_COST = 'UnblendedCost',
  /** Blended cost (consolidated billing averages). */
  BLENDED_COST = 'BlendedCost',
  /** Amortized cost (upfront fees spread over the term). */
  AMORTIZED_COST = 'AmortizedCost',
  /** Unblended cost after discounts. */
  NET_UNBLENDED_COST = 'NetUnblendedCost',
  /** Amortized cost after discounts. */
  NET_AMORTIZED_COST = 'NetAmortizedCost',
}

/**
 * Which services' spend a team budget counts, besides the team tag filter.
 *
 * Claude and other third-party models on Bedrock are billed through AWS Marketplace, not under the
 * "Amazon Bedrock" service: a budget filtered on SERVICE = Amazon Bedrock alone misses most model
 * spend. The team tag sits on the team's application inference profiles and reaches their billing
 * lines, so the tag filter alone already scopes the budget to the team's model use.
 */
export enum BudgetServiceScope {
  /** Only the team tag filter: every service whose lines carry the tag (recommended). */
  ALL_SERVICES = 'ALL_SERVICES',
  /**
   * The team tag, and either SERVICE = `Amazon Bedrock` or BILLING_ENTITY = `AWS Marketplace`
   * (excludes other resources tagged with the team tag). The dimension values are UNVERIFIED
   * spellings of the Cost Explorer values.
   */
  BEDROCK_AND_MARKETPLACE = 'BEDROCK_AND_MARKETPLACE',
  /**
   * The team tag and SERVICE = `Amazon Bedrock` only. Misses third-party models billed through AWS
   * Marketplace (Claude among them): the construct warns when you choose it.
   */
  BEDROCK_SERVICE_ONLY = 'BEDROCK_SERVICE_ONLY',
}

/** Whether a notification or action compares actual or forecasted spend. */
export enum BudgetNotificationType {
  /** Spend so far this month. */
  ACTUAL = 'ACTUAL',
  /** Spend AWS forecasts for the whole month. */
  FORECASTED = 'FORECASTED',
}

/** How a budget threshold is expressed. */
export enum BudgetThresholdType {
  /** A percentage of the budget limit, in (0, 1000]. */
  PERCENTAGE = 'PERCENTAGE',
  /** An amount in USD, greater than 0. */
  ABSOLUTE_VALUE = 'ABSOLUTE_VALUE',
}

/** One budget notification: notify when actual or forecasted spend passes a threshold. */
export interface BudgetAlert {
  /**
   * Actual or forecasted spend.
   *
   * @default BudgetNotificationType.ACTUAL
   */
  readonly notificationType?: BudgetNotificationType;

  /** The threshold: a percentage in (0, 1000] of the limit, or an amount in USD. */
  readonly threshold: number;

  /**
   * How `threshold` is expressed.
   *
   * @default BudgetThresholdType.PERCENTAGE
   */
  readonly thresholdType?: BudgetThresholdType;
}

/** Options of a team budget, as the `BedrockGovernance` facade passes them. */
export interface TeamBudgetOptions {
  /** The monthly limit in USD, greater than 0. */
  readonly monthlyLimitUsd: number;

  /**
   * The budget name (unique in the account; no `:` or `\`). Changing it replaces the budget.
   *
   * @default - derived from the construct path, e.g. `Stack-Gov-search-Budget-1A2B3C4D`
   */
  readonly budgetName?: string;

  /**
   * How the team tag key is spelled in the filter. UNVERIFIED: see `CostTagKeyForm`.
   *
   * @default CostTagKeyForm.BARE
   */
  readonly tagKeyForm?: CostTagKeyForm;

  /**
   * The cost metric tracked.
   *
   * @default BudgetCostMetric.UNBLENDED_COST
   */
  readonly costMetric?: BudgetCostMetric;

  /**
   * Which services' spend counts besides the tag filter.
   *
   * @default BudgetServiceScope.ALL_SERVICES
   */
  readonly serviceScope?: BudgetServiceScope;

  /**
   * The notifications, at most 10. Changing them replaces the budget (its history stays in Cost Explorer).
   *
   * @default - ACTUAL at 50%, 80% and 100%, FORECASTED at 100%
   */
  readonly alerts?: BudgetAlert[];

  /**
   * Count only the spend of these linked accounts (12-digit ids), besides the tag filter: the filter becomes
   * the team tag AND the `LINKED_ACCOUNT` dimension. For a budget in an organization's management account,
   * where the tag filter alone covers every linked account; in a member account the budget sees only that
   * account anyway.
   *
   * @default - no account filter: every account whose spend the budget's account sees
   * @see https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Expression.html
   */
  readonly linkedAccounts?: string[];
}

/** Properties of a `TeamBudget`. */
export interface TeamBudgetProps extends TeamBudgetOptions {
  /** The team whose tagged spend the budget tracks. */
  readonly team: Team;

  /**
   * The SNS topic notified. Its policy must let `budgets.amazonaws.com` publish and its key must let
   * it encrypt: use a `GovernanceAlertTopic`.
   *
   * @default - no topic (then `emails` is required)
   */
  readonly topic?: sns.ITopic;

  /**
   * Email addresses notified directly by AWS Budgets, at most 10.
   *
   * @default - no email (then `topic` is required)
   */
  readonly emails?: string[];
}

/** The default notifications: ACTUAL 50/80/100% and FORECASTED 100%. */
const DEFAULT_ALERTS: BudgetAlert[] = [
  { notificationType: BudgetNotificationType.ACTUAL, threshold: 50 },
  { notificationType: BudgetNotificationType.ACTUAL, threshold: 80 },
  { notificationType: BudgetNotificationType.ACTUAL, threshold: 100 },
  { notificationType: BudgetNotificationType.FORECASTED, threshold: 100 },
];

/** A budget takes at most this many notifications. */
const MAX_ALERTS = 10;

const ACCOUNT_ID = /^\d{12}$/;

/** Cost Explorer dimension values (UNVERIFIED spellings). */
const SERVICE_BEDROCK = 'Amazon Bedrock';
const BILLING_ENTITY_MARKETPLACE = 'AWS Marketplace';

/**
 * A monthly COST budget in USD over the spend that carries a team's cost tag.
 *
 * The budget filters with `FilterExpression` on the team tag and always sets `Metrics` (the
 * deprecated `CostFilters` and `CostTypes` are never used). AWS Budgets refreshes its data several
 * times a day, so notifications come hours after the spend; use `TeamUsageAlarms` for
 * near-real-time estimates from CloudWatch token metrics.
 *
 * @resource AWS::Budgets::Budget
 */
export class TeamBudget extends Construct {
  /** The team the budget tracks. */
  public readonly team: Team;

  /** The name of the budget (resolves to the deployed name). */
  public readonly budgetName: string;

  /** The tag key as written in the filter, e.g. `team` or `user:team`. */
  public readonly filterTagKey: string;

  /**
   * The topic notified.
   *
   * @default - none
   */
  public readonly topic?: sns.ITopic;

  /** The email addresses notified. */
  public readonly emails: string[];

  /** The linked accounts the budget is restricted to (empty: no account filter). */
  public readonly linkedAccounts: string[];

  /** The underlying L1 resource. */
  public readonly resource: budgets.CfnBudget;

  constructor(scope: Construct, id: string, props: TeamBudgetProps) {
    super(scope, id);
    this.team = props.team;
    this.topic = props.topic;
    this.emails = [...(props.emails ?? [])];
    this.linkedAccounts = [...(props.linkedAccounts ?? [])];

    validatePositiveUsd(this, 'monthlyLimitUsd', props.monthlyLimitUsd, 'Pass the monthly budget in USD, e.g. 5000');
    validateEmails(this, 'emails', this.emails);
    if (!this.topic && this.emails.length === 0) {
      throw new GovernanceValidationError(this,
        'a budget needs at least one subscriber. Pass topic (e.g. a GovernanceAlertTopic) or emails');
    }
    const budgetName = props.budgetName ?? defaultName(this, 100);
    validateBudgetName(this, budgetName);

    const alerts = props.alerts ?? DEFAULT_ALERTS;
    validateAlerts(this, alerts);
    if (props.linkedAccounts !== undefined) {
      validateLinkedAccounts(this, props.linkedAccounts);
    }

    this.filterTagKey = filterTagKey(props.team, props.tagKeyForm);
    const scoped = budgetFilter(this.filterTagKey, props.team.teamName, props.serviceScope ?? BudgetServiceScope.ALL_SERVICES);
    const filterExpression = this.linkedAccounts.length === 0 ? scoped : {
      and: [...((scoped.and as budgets.CfnBudget.ExpressionProperty[] | undefined) ?? [scoped]), { dimensions: { key: 'LINKED_ACCOUNT', values: this.linkedAccounts, matchOptions: ['EQUALS'] } }],
    };
    if (props.serviceScope === BudgetServiceScope.BEDROCK_SERVICE_ONLY) {
      Annotations.of(this).addWarningV2('cdk-bedrock-governance:budgetBedrockServiceOnly',
        'serviceScope BEDROCK_SERVICE_ONLY misses Claude and other third-party models, which AWS bills through AWS Marketplace, '
        + 'not under the Amazon Bedrock service. Use BudgetServiceScope.ALL_SERVICES or BEDROCK_AND_MARKETPLACE.');
    }

    const subscribers: budgets.CfnBudget.SubscriberProperty[] = [
      ...(this.topic ? [{ subscriptionType: 'SNS', address: this.topic.topicArn }] : []),
      ...this.emails.map((address) => ({ subscriptionType: 'EMAIL', address })),
    ];

    this.resource = new budgets.CfnBudget(this, 'Resource', {
      budget: {
        budgetName,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: props.monthlyLimitUsd, unit: 'USD' },
        filterExpression,
        metrics: [props.costMetric ?? BudgetCostMetric.UNBLENDED_COST],
      },
      notificationsWithSubscribers: alerts.map((alert) => ({
        notification: {
          notificationType: alert.notificationType ?? BudgetNotificationType.ACTUAL,
          comparisonOperator: 'GREATER_THAN',
          threshold: alert.threshold,
          thresholdType: alert.thresholdType ?? BudgetThresholdType.PERCENTAGE,
        },
        subscribers,
      })),
    });
    this.budgetName = this.resource.ref;
  }
}

function budgetFilter(tagKey: string, teamName: string, scope: BudgetServiceScope): budgets.CfnBudget.ExpressionProperty {
  const tagFilter: budgets.CfnBudget.ExpressionProperty = { tags: { key: tagKey, values: [teamName], matchOptions: ['EQUALS'] } };
  const service: budgets.CfnBudget.ExpressionProperty = { dimensions: { key: 'SERVICE', values: [SERVICE_BEDROCK], matchOptions: ['EQUALS'] } };
  switch (scope) {
    case BudgetServiceScope.BEDROCK_AND_MARKETPLACE:
      return {
        and: [tagFilter, {
          or: [service, { dimensions: { key: 'BILLING_ENTITY', values: [BILLING_ENTITY_MARKETPLACE], matchOptions: ['EQUALS'] } }],
        }],
      };
    case BudgetServiceScope.BEDROCK_SERVICE_ONLY:
      return { and: [tagFilter, service] };
    default:
      return tagFilter;
  }
}

function validateLinkedAccounts(scope: Construct, accounts: string[]): void {
  if (accounts.length === 0) {
    throw invalidProp(scope, 'linkedAccounts', [], 'an empty account filter would match no spend',
      'Leave linkedAccounts out to count every account, or name at least one');
  }
  const seen = new Set<string>();
  accounts.forEach((account, index) => {
    if (isUnresolved(account)) {
      return;
    }
    if (!ACCOUNT_ID.test(account)) {
      throw invalidProp(scope, `linkedAccounts[${index}]`, account, 'an account id is 12 digits', 'Pass the id shown by `aws organizations list-accounts`');
    }
    if (seen.has(account)) {
      throw invalidProp(scope, `linkedAccounts[${index}]`, account, 'the account is listed twice', 'List each account once');
    }
    seen.add(account);
  });
}

function validateAlerts(scope: Construct, alerts: BudgetAlert[]): void {
  if (alerts.length === 0) {
    throw invalidProp(scope, 'alerts', [], 'a budget without notifications notifies no one', 'Pass at least one alert, or omit alerts for the defaults');
  }
  if (alerts.length > MAX_ALERTS) {
    throw invalidProp(scope, 'alerts', alerts.length, `a budget takes at most ${MAX_ALERTS} notifications`, 'Drop some thresholds');
  }
  const seen = new Map<string, number>();
  alerts.forEach((alert, index) => {
    const type = alert.thresholdType ?? BudgetThresholdType.PERCENTAGE;
    if (type === BudgetThresholdType.PERCENTAGE) {
      validatePercentThreshold(scope, `alerts[${index}].threshold`, alert.threshold);
    } else {
      validatePositiveUsd(scope, `alerts[${index}].threshold`, alert.threshold, 'Pass the amount in USD, e.g. 1000');
    }
    if (isUnresolved(alert.threshold)) {
      return;
    }
    const key = `${alert.notificationType ?? BudgetNotificationType.ACTUAL}/${type}/${alert.threshold}`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw invalidProp(scope, `alerts[${index}]`, alert, `the same notification as alerts[${first}]; AWS Budgets rejects duplicates`, 'List each threshold once');
    }
    seen.set(key, index);
  });
}

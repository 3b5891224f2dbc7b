import { Annotations, Stack } from 'aws-cdk-lib';
import * as ce from 'aws-cdk-lib/aws-ce';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { filterTagKey } from './private/tags';
import { defaultName, validateCostExplorerName, validateEmails, validatePositiveUsd } from './private/validation';
import { CostTagKeyForm } from './tag-key-form';
import { GovernanceValidationError, invalidProp } from '../private/errors';
import { isUnresolved } from '../private/validate';
import { Team } from '../teams/team';

/** What an anomaly monitor watches. */
export enum AnomalyMonitorKind {
  /** A CUSTOM monitor over the spend tagged with the teams' team tag values. */
  TEAM_TAGS = 'TEAM_TAGS',
  /** The DIMENSIONAL monitor of every AWS service (one per account). */
  AWS_SERVICES = 'AWS_SERVICES',
  /** An existing monitor, referenced by ARN. */
  EXISTING = 'EXISTING',
}

/**
 * The anomaly monitor a `CostAnomalyDetection` creates or subscribes to.
 */
export class AnomalyMonitorScope {
  /**
   * A CUSTOM monitor over the spend tagged with these teams' names
   * (`{"Tags":{"Key":"team","Values":[...]}}`). All teams must share the team tag key.
   *
   * @param teams the teams watched (at least one)
   * @param tagKeyForm how the tag key is spelled (UNVERIFIED, see `CostTagKeyForm`; default BARE,
   * the form of Cost Explorer expressions)
   */
  public static teams(teams: Team[], tagKeyForm?: CostTagKeyForm): AnomalyMonitorScope {
    return new AnomalyMonitorScope(AnomalyMonitorKind.TEAM_TAGS, [...teams], tagKeyForm ?? CostTagKeyForm.BARE, undefined);
  }

  /**
   * The DIMENSIONAL monitor of every AWS service. AWS allows one such monitor per account, and new
   * accounts may already have one (`Default-Services-Monitor`): subscribe to it with
   * `fromMonitorArn()` instead of creating a second.
   */
  public static awsServices(): AnomalyMonitorScope {
    return new AnomalyMonitorScope(AnomalyMonitorKind.AWS_SERVICES, [], CostTagKeyForm.BARE, undefined);
  }

  /** An existing monitor: only the subscription is created. */
  public static fromMonitorArn(monitorArn: string): AnomalyMonitorScope {
    return new AnomalyMonitorScope(AnomalyMonitorKind.EXISTING, [], CostTagKeyForm.BARE, monitorArn);
  }

  /** What the monitor watches. */
  public readonly kind: AnomalyMonitorKind;

  /** @internal */
  public readonly _teams: Team[];

  /** @internal */
  public readonly _tagKeyForm: CostTagKeyForm;

  /**
   * The ARN of the existing monitor.
   *
   * @default - undefined unless EXISTING
   */
  public readonly monitorArn?: string;

  private constructor(kind: AnomalyMonitorKind, teams: Team[], tagKeyForm: CostTagKeyForm, monitorArn: string | undefined) {
    this.kind = kind;
    this._teams = teams;
    this._tagKeyForm = tagKeyForm;
    this.monitorArn = monitorArn;
  }
}

/** How often Cost Anomaly Detection sends alerts. */
export enum AnomalyAlertFrequency {
  /** Each anomaly as it is detected; only to an SNS topic. */
  IMMEDIATE = 'IMMEDIATE',
  /** A daily summary; only to email addresses. */
  DAILY = 'DAILY',
  /** A weekly summary; only to email addresses. */
  WEEKLY = 'WEEKLY',
}

/** How an absolute and a percentage impact threshold combine when both are given. */
export enum AnomalyThresholdCombination {
  /** Alert only when the impact passes both (fewer, larger alerts). */
  AND = 'AND',
  /** Alert when the impact passes either. */
  OR = 'OR',
}

/** Options of an anomaly alert subscription. */
export interface AnomalySubscriptionOptions {
  /**
   * How often alerts are sent. IMMEDIATE goes only to `topic`; DAILY and WEEKLY only to `emails`.
   *
   * @default - IMMEDIATE when a topic is given, DAILY otherwise
   */
  readonly frequency?: AnomalyAlertFrequency;

  /**
   * The SNS topic for IMMEDIATE alerts. Its policy must let `costalerts.amazonaws.com` publish and
   * its key must let it encrypt: use a `GovernanceAlertTopic`.
   *
   * @default - no topic
   */
  readonly topic?: sns.ITopic;

  /**
   * Email addresses for DAILY or WEEKLY summaries, at most 10.
   *
   * @default - no email
   */
  readonly emails?: string[];

  /**
   * Alert when an anomaly's total impact is at least this many USD.
   *
   * @default - 100, when thresholdPercent is not given either
   */
  readonly thresholdUsd?: number;

  /**
   * Alert when an anomaly's total impact is at least this percentage above the expected spend.
   *
   * @default - no percentage threshold
   */
  readonly thresholdPercent?: number;

  /**
   * How the two thresholds combine when both are given.
   *
   * @default AnomalyThresholdCombination.AND
   */
  readonly thresholdCombination?: AnomalyThresholdCombination;

  /**
   * The subscription name.
   *
   * @default - derived from the construct path
   */
  readonly subscriptionName?: string;
}

/** Properties of a `CostAnomalyDetection`. */
export interface CostAnomalyDetectionProps extends AnomalySubscriptionOptions {
  /** The monitor to create, or the existing one to subscribe to. */
  readonly monitor: AnomalyMonitorScope;

  /**
   * The monitor name.
   *
   * @default - derived from the construct path
   */
  readonly monitorName?: string;
}

/** The absolute impact threshold used when none is given. */
const DEFAULT_THRESHOLD_USD = 100;

/**
 * AWS Cost Anomaly Detection for Bedrock spend: a monitor (CUSTOM over the teams' tag values, or the
 * DIMENSIONAL AWS-services monitor) and an alert subscription with an absolute and/or percentage
 * impact threshold. IMMEDIATE alerts go to an SNS topic, DAILY and WEEKLY summaries to email.
 *
 * Cost Anomaly Detection learns from roughly ten days of history and works on billing data, so it
 * reacts in hours to days, not minutes. The `AWS::CE::*` resource types have been reported to exist
 * only in us-east-1 (UNVERIFIED): the construct warns when the stack is elsewhere.
 *
 * @resource AWS::CE::AnomalyMonitor
 * @see https://docs.aws.amazon.com/cost-management/latest/userguide/manage-ad.html
 */
export class CostAnomalyDetection extends Construct {
  /** The ARN of the monitor (created or existing). */
  public readonly monitorArn: string;

  /**
   * The monitor, when this construct created it.
   *
   * @default - undefined for an existing monitor
   */
  public readonly monitor?: ce.CfnAnomalyMonitor;

  /**
   * The subscription created from the props.
   *
   * @default - undefined when neither topic nor emails was given
   */
  public readonly subscription?: ce.CfnAnomalySubscription;

  constructor(scope: Construct, id: string, props: CostAnomalyDetectionProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    if (!isUnresolved(region) && region !== 'us-east-1') {
      Annotations.of(this).addWarningV2('cdk-bedrock-governance:anomalyRegion',
        `The stack is in ${region}. AWS::CE::AnomalyMonitor and AWS::CE::AnomalySubscription have been reported to exist only in us-east-1; `
        + 'if the deployment fails with "Unrecognized resource types", put this construct in a us-east-1 stack.');
    }

    const spec = props.monitor;
    if (spec.kind === AnomalyMonitorKind.EXISTING) {
      this.monitorArn = spec.monitorArn!;
    } else {
      const monitorName = props.monitorName ?? defaultName(this, 1024);
      validateCostExplorerName(this, 'monitorName', monitorName);
      if (spec.kind === AnomalyMonitorKind.TEAM_TAGS) {
        this.monitor = new ce.CfnAnomalyMonitor(this, 'Resource', {
          monitorName,
          monitorType: 'CUSTOM',
          monitorSpecification: Stack.of(this).toJsonString({ Tags: teamTagSpecification(this, spec) }),
        });
      } else {
        Annotations.of(this).addWarningV2('cdk-bedrock-governance:anomalyServicesMonitor',
          'AWS allows one AWS-services (DIMENSIONAL SERVICE) anomaly monitor per account, and new accounts may already have one. '
          + 'If the deployment fails because it exists, use AnomalyMonitorScope.fromMonitorArn() with its ARN.');
        this.monitor = new ce.CfnAnomalyMonitor(this, 'Resource', {
          monitorName,
          monitorType: 'DIMENSIONAL',
          monitorDimension: 'SERVICE',
        });
      }
      this.monitorArn = this.monitor.attrMonitorArn;
    }

    if (props.topic !== undefined || props.emails !== undefined) {
      this.subscription = this.createSubscription('Subscription', props, '');
    }
  }

  /**
   * Add an alert subscription to the monitor, e.g. IMMEDIATE alerts to a topic beside a DAILY email
   * summary.
   */
  public addSubscription(id: string, options: AnomalySubscriptionOptions): ce.CfnAnomalySubscription {
    return this.createSubscription(id, options, `${id}.`);
  }

  private createSubscription(id: string, options: AnomalySubscriptionOptions, prefix: string): ce.CfnAnomalySubscription {
    const emails = options.emails ?? [];
    const frequency = options.frequency ?? (options.topic ? AnomalyAlertFrequency.IMMEDIATE : AnomalyAlertFrequency.DAILY);
    validateSubscribers(this, prefix, frequency, options.topic, emails);
    const expression = thresholdExpression(this, prefix, options);
    const subscriptionName = options.subscriptionName ?? `${defaultName(this, 1000)}-${id}`;
    validateCostExplorerName(this, `${prefix}subscriptionName`, subscriptionName);
    return new ce.CfnAnomalySubscription(this, id, {
      subscriptionName,
      monitorArnList: [this.monitorArn],
      frequency,
      thresholdExpression: Stack.of(this).toJsonString(expression),
      subscribers: [
        ...(options.topic ? [{ type: 'SNS', address: options.topic.topicArn }] : []),
        ...emails.map((address) => ({ type: 'EMAIL', address })),
      ],
    });
  }
}

function teamTagSpecification(scope: Construct, spec: AnomalyMonitorScope): Record<string, unknown> {
  const teams = spec._teams;
  if (teams.length === 0) {
    throw invalidProp(scope, 'monitor', [], 'AnomalyMonitorScope.teams() needs at least one team', 'Pass the teams to watch');
  }
  const keys = new Set(teams.map((t) => filterTagKey(t, spec._tagKeyForm)));
  if (keys.size > 1) {
    throw invalidProp(scope, 'monitor', [...keys],
      'the teams use different team tag keys, and one monitor filters on one key', 'Create one CostAnomalyDetection per tag key');
  }
  const names = teams.map((t) => t.teamName);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) {
    throw invalidProp(scope, 'monitor', duplicate, 'the team is listed twice', 'List each team once');
  }
  return { Key: [...keys][0], Values: names };
}

function validateSubscribers(
  scope: Construct, prefix: string, frequency: AnomalyAlertFrequency, topic: sns.ITopic | undefined, emails: string[],
): void {
  validateEmails(scope, `${prefix}emails`, emails);
  if (frequency === AnomalyAlertFrequency.IMMEDIATE) {
    if (emails.length > 0) {
      throw invalidProp(scope, `${prefix}emails`, emails,
        'IMMEDIATE anomaly alerts go only to an SNS topic', 'Pass topic (and subscribe the addresses to it), or use AnomalyAlertFrequency.DAILY or WEEKLY for emails');
    }
    if (!topic) {
      throw new GovernanceValidationError(scope, 'IMMEDIATE anomaly alerts need an SNS topic. Pass topic, or use AnomalyAlertFrequency.DAILY or WEEKLY with emails');
    }
  } else {
    if (topic) {
      throw invalidProp(scope, `${prefix}frequency`, frequency,
        `${frequency} anomaly summaries go only to email addresses, not to an SNS topic`, 'Use AnomalyAlertFrequency.IMMEDIATE for the topic, and addSubscription() for an email summary');
    }
    if (emails.length === 0) {
      throw new GovernanceValidationError(scope, `${frequency} anomaly summaries need at least one email address. Pass emails`);
    }
  }
}

function thresholdExpression(scope: Construct, prefix: string, options: AnomalySubscriptionOptions): Record<string, unknown> {
  const usd = options.thresholdUsd ?? (options.thresholdPercent === undefined ? DEFAULT_THRESHOLD_USD : undefined);
  const parts: Array<Record<string, unknown>> = [];
  if (usd !== undefined) {
    validatePositiveUsd(scope, `${prefix}thresholdUsd`, usd, 'Pass the smallest anomaly impact worth an alert, e.g. 100');
    parts.push(impact('ANOMALY_TOTAL_IMPACT_ABSOLUTE', usd));
  }
  if (options.thresholdPercent !== undefined) {
    const pct = options.thresholdPercent;
    if (!isUnresolved(pct) && !(Number.isFinite(pct) && pct > 0)) {
      throw invalidProp(scope, `${prefix}thresholdPercent`, pct, 'the impact percentage must be a finite number greater than 0', 'Pass e.g. 20 for 20% above the expected spend');
    }
    parts.push(impact('ANOMALY_TOTAL_IMPACT_PERCENTAGE', pct));
  }
  if (parts.length === 1) {
    return parts[0];
  }
  return options.thresholdCombination === AnomalyThresholdCombination.OR ? { Or: parts } : { And: parts };
}

function impact(key: string, value: number): Record<string, unknown> {
  return { Dimensions: { Key: key, MatchOptions: ['GREATER_THAN_OR_EQUAL'], Values: [String(value)] } };
}

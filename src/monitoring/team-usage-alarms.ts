import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BedrockModel } from '../models/bedrock-model';
import { CacheTtl } from '../models/pricing';
import { invalidProp } from '../private/errors';
import { recordCompositeParts } from './private/alarm-parts';
import { smoothedCacheRatio } from './private/math';
import {
  AlarmEnv, PlainCompositeAlarm, PlainMathAlarm, PlainTerm, chunkPlain, plainCostTerm, plainFilledTerm, plainSmoothedCacheRatio, plainSum,
} from './private/plain-alarm';
import { BedrockMetricNames } from '../models/metric-names';
import { isUnresolved } from '../private/validate';
import { TeamInferenceProfile } from '../profiles/team-inference-profile';
import { Team } from '../teams/team';

/** An alarm on a count that must stay high for a while (throttles, server errors). */
export interface SustainedCountAlarmOptions {
  /**
   * Create the alarm.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Alarm when the count per period is at least this.
   *
   * @default - 10 throttles, 5 server errors
   */
  readonly threshold?: number;

  /**
   * The period the count is summed over (a multiple of one minute).
   *
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;

  /**
   * How many periods are evaluated.
   *
   * @default 3
   */
  readonly evaluationPeriods?: number;

  /**
   * How many of the evaluated periods must breach.
   *
   * @default - 3 for throttles (sustained), 2 for server errors
   */
  readonly datapointsToAlarm?: number;
}

/** A team's prompt caching: when given, cache-hit-ratio floors are alarmed and cache writes priced. */
export interface TeamCachingOptions {
  /**
   * Alarm when the cache hit ratio, reads / (reads + writes + uncached input), falls below this
   * fraction in (0, 1].
   *
   * @default - the team's `caching.expectedHitRatio`, else 0.5
   */
  readonly minCacheHitRatio?: number;

  /**
   * Which cache-write price the spend estimates use.
   *
   * @default - the team's `caching.cacheWriteTtl`, else CacheTtl.FIVE_MINUTES
   */
  readonly cacheWriteTtl?: CacheTtl;

  /**
   * The period the ratio is computed over (a multiple of one minute).
   *
   * @default Duration.hours(1)
   */
  readonly period?: Duration;

  /**
   * How many consecutive periods must be below the floor.
   *
   * @default 3
   */
  readonly evaluationPeriods?: number;
}

/** Options of a team's usage alarms, as the `BedrockGovernance` facade passes them. */
export interface TeamUsageAlarmsOptions {
  /**
   * Alarm when the team's estimated spend in one hour passes this many USD (all its profiles).
   *
   * @default - no team spend alarm
   */
  readonly hourlySpendUsd?: number;

  /**
   * Per-model hourly spend limits in USD, keyed by the model's short name (e.g. `claude-haiku-4-5`).
   *
   * @default - no per-profile spend alarm
   */
  readonly profileHourlySpendUsd?: Record<string, number>;

  /**
   * Sustained-throttle alarms.
   *
   * @default - at least 10 throttles in each of 3 consecutive 5-minute periods
   */
  readonly throttles?: SustainedCountAlarmOptions;

  /**
   * Server-error alarms.
   *
   * @default - at least 5 server errors in 2 of 3 consecutive 5-minute periods
   */
  readonly serverErrors?: SustainedCountAlarmOptions;

  /**
   * The team uses prompt caching: alarm on a cache-hit-ratio floor and price cache writes at this TTL.
   *
   * @default - from the team's `caching` (floor = its expectedHitRatio) when it has one; otherwise no
   * cache alarm and cache writes priced at the 5-minute rate
   */
  readonly caching?: TeamCachingOptions;

  /**
   * Create an alarm per profile (per model).
   *
   * @default true
   */
  readonly perProfile?: boolean;

  /**
   * Create team-wide alarms (sums over the team's profiles). Team-wide throttle, server-error and
   * cache alarms are skipped for a one-profile team when profile alarms are on (they would be the
   * same alarm twice); the team spend alarm is kept for them whenever `hourlySpendUsd` is set.
   *
   * @default true
   */
  readonly teamWide?: boolean;
}

/** Properties of `TeamUsageAlarms`. */
export interface TeamUsageAlarmsProps extends TeamUsageAlarmsOptions {
  /** The team whose profiles are watched. */
  readonly team: Team;

  /**
   * The topic every alarm notifies. An encrypted topic's key must let `cloudwatch.amazonaws.com`
   * use it: use a `GovernanceAlertTopic`.
   *
   * @default - no action (add your own to `createdAlarms()`)
   */
  readonly topic?: sns.ITopic;
}

/** The alarms of one profile. */
export interface ProfileUsageAlarms {
  /**
   * Estimated spend per hour.
   *
   * @default - none
   */
  readonly spend?: cloudwatch.IAlarm;

  /**
   * Sustained throttles.
   *
   * @default - none
   */
  readonly throttles?: cloudwatch.IAlarm;

  /**
   * Server errors.
   *
   * @default - none
   */
  readonly serverErrors?: cloudwatch.IAlarm;

  /**
   * Cache hit ratio below the floor.
   *
   * @default - none
   */
  readonly cacheHitRatio?: cloudwatch.IAlarm;
}

const HOURS_PER_MONTH = 730;
/** CloudWatch: period x evaluation periods may not pass one day. */
const MAX_EVALUATION_SECONDS = 86400;
const SPEND_PERIOD = Duration.hours(1);
const THROTTLE_DEFAULTS = { threshold: 10, period: Duration.minutes(5), evaluationPeriods: 3, datapointsToAlarm: 3 };
const SERVER_ERROR_DEFAULTS = { threshold: 5, period: Duration.minutes(5), evaluationPeriods: 3, datapointsToAlarm: 2 };
const CACHE_DEFAULTS = { minCacheHitRatio: 0.5, period: Duration.hours(1), evaluationPeriods: 3 };

/**
 * Near-real-time alarms on a team's Bedrock use, from the CloudWatch metrics of its application
 * inference profiles (minutes, where AWS Budgets lags by hours):
 *
 * - estimated spend per hour (token metrics times the catalogue prices), per profile and per team;
 * - sustained throttles and server errors, per profile and per team;
 * - a cache-hit-ratio floor when the team says it uses prompt caching.
 *
 * CloudWatch evaluates at most 10 metrics in a metric-math alarm, and each profile's cost reads 4
 * (input, output, cache-read and cache-write tokens). A team-wide alarm therefore sums at most 2
 * profiles' cost (10 throttle or error counts, 3 profiles' cache ratios). A larger team gets one
 * alarm per group of profiles, each with the team threshold divided by the number of groups (a
 * cache floor stays the same), combined by a composite alarm that notifies: whenever the team total
 * passes the threshold, at least one group passes its share, so the composite never misses a breach;
 * it can fire early when one group carries more than its share. Missing data never breaches.
 */
export class TeamUsageAlarms extends Construct {
  /**
   * An hourly spend threshold derived from a monthly budget: the average hourly burn (monthly / 730)
   * times a burst factor, rounded to the cent.
   *
   * @param monthlyBudgetUsd the monthly budget in USD
   * @param burstFactor how many times the average hourly burn is tolerated (default 3)
   */
  public static hourlySpendFromMonthlyBudget(monthlyBudgetUsd: number, burstFactor?: number): number {
    const factor = burstFactor ?? 3;
    return Math.round((monthlyBudgetUsd / HOURS_PER_MONTH) * factor * 100) / 100;
  }

  /** The team watched. */
  public readonly team: Team;

  /**
   * The team-wide spend alarm (a composite alarm for teams with more than 2 profiles).
   *
   * @default - none
   */
  public readonly teamSpendAlarm?: cloudwatch.IAlarm;

  /**
   * The team-wide throttle alarm.
   *
   * @default - none
   */
  public readonly teamThrottleAlarm?: cloudwatch.IAlarm;

  /**
   * The team-wide server-error alarm.
   *
   * @default - none
   */
  public readonly teamServerErrorAlarm?: cloudwatch.IAlarm;

  /**
   * The team-wide cache-hit-ratio alarm.
   *
   * @default - none
   */
  public readonly teamCacheHitRatioAlarm?: cloudwatch.IAlarm;

  private readonly created: cloudwatch.IAlarm[] = [];
  private readonly byModel = new Map<string, ProfileUsageAlarms>();
  private readonly action?: cloudwatch.IAlarmAction;
  private readonly cacheWriteTtl: CacheTtl;
  private readonly env: AlarmEnv;

  constructor(scope: Construct, id: string, props: TeamUsageAlarmsProps) {
    super(scope, id);
    const team = props.team;
    this.team = team;
    this.action = props.topic ? new actions.SnsAction(props.topic) : undefined;
    const cachingInput = props.caching ?? (team.caching ? {} : undefined);
    this.cacheWriteTtl = props.caching?.cacheWriteTtl ?? team.caching?.cacheWriteTtl ?? CacheTtl.FIVE_MINUTES;
    const stack = Stack.of(this);
    this.env = { account: stack.account, region: stack.region };
    for (const profile of team.profiles) {
      const region = profile.stack.region;
      if (!Token.isUnresolved(region) && !Token.isUnresolved(stack.region) && region !== stack.region) {
        throw invalidProp(this, 'team', team.teamName, `its profiles are in ${region} and the alarms in ${stack.region}: an alarm reads metrics of its own region only`,
          'Create the alarms in a stack of the team\'s region');
      }
    }

    if (props.hourlySpendUsd !== undefined) {
      validatePositive(this, 'hourlySpendUsd', props.hourlySpendUsd);
    }
    const profileSpend = props.profileHourlySpendUsd ?? {};
    const shortNames = team.profiles.map((p) => p.model.shortName);
    for (const [key, value] of Object.entries(profileSpend)) {
      if (!shortNames.includes(key)) {
        throw invalidProp(this, 'profileHourlySpendUsd', key, `team '${team.teamName}' has no model with that short name`, `Use one of: ${shortNames.join(', ')}`);
      }
      validatePositive(this, `profileHourlySpendUsd['${key}']`, value);
    }
    const throttles = countOptions(this, 'throttles', props.throttles, THROTTLE_DEFAULTS);
    const serverErrors = countOptions(this, 'serverErrors', props.serverErrors, SERVER_ERROR_DEFAULTS);
    const caching = cachingInput ? cachingOptions(this, cachingInput, team.caching?.expectedHitRatio) : undefined;

    const profileAlarms = props.perProfile ?? true;
    const teamAlarms = props.teamWide ?? true;
    const prefix = `Team ${team.teamName}`;

    if (profileAlarms) {
      for (const profile of team.profiles) {
        this.addProfileAlarms(profile, prefix, profileSpend[profile.model.shortName], throttles, serverErrors, caching);
      }
    }

    if (teamAlarms) {
      const duplicateOfProfile = profileAlarms && team.profiles.length === 1;
      if (props.hourlySpendUsd !== undefined) {
        this.teamSpendAlarm = this.teamSumAlarm('TeamSpend', `${prefix}: estimated Bedrock spend above $${props.hourlySpendUsd} per hour`,
          (p, i) => plainCostTerm(this.env, p, `p${i}_`, SPEND_PERIOD, this.cacheWriteTtl), props.hourlySpendUsd,
          { evaluationPeriods: 1, datapointsToAlarm: 1, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD });
      }
      if (!duplicateOfProfile && throttles) {
        this.teamThrottleAlarm = this.teamSumAlarm('TeamThrottles', `${prefix}: sustained Bedrock throttling (at least ${throttles.threshold} throttled requests per ${throttles.period.toHumanString()})`,
          (p, i) => plainFilledTerm(this.env, `p${i}_throttles`, p, BedrockMetricNames.INVOCATION_THROTTLES, throttles.period), throttles.threshold,
          { ...throttles, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD });
      }
      if (!duplicateOfProfile && serverErrors) {
        this.teamServerErrorAlarm = this.teamSumAlarm('TeamServerErrors', `${prefix}: Bedrock server errors (at least ${serverErrors.threshold} per ${serverErrors.period.toHumanString()})`,
          (p, i) => plainFilledTerm(this.env, `p${i}_serverErrors`, p, BedrockMetricNames.INVOCATION_SERVER_ERRORS, serverErrors.period), serverErrors.threshold,
          { ...serverErrors, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD });
      }
      if (!duplicateOfProfile && caching) {
        this.teamCacheHitRatioAlarm = this.teamCacheAlarm(prefix, caching);
      }
    }
  }

  /** Every alarm this construct created, group alarms of large teams included. */
  public createdAlarms(): cloudwatch.IAlarm[] {
    return [...this.created];
  }

  /** The alarms of the team's profile for a model. */
  public profileAlarms(model: BedrockModel): ProfileUsageAlarms {
    const profile = this.team.profile(model);
    return this.byModel.get(profile.model.shortName) ?? {};
  }

  private addProfileAlarms(
    profile: TeamInferenceProfile, prefix: string, spendUsd: number | undefined,
    throttles: ResolvedCount | undefined, serverErrors: ResolvedCount | undefined, caching: ResolvedCaching | undefined,
  ): void {
    const name = profile.model.shortName;
    const what = `${prefix}, ${profile.model.displayName}`;
    let spend: cloudwatch.IAlarm | undefined;
    if (spendUsd !== undefined) {
      spend = this.alarm(`${name}Spend`, `${what}: estimated spend above $${spendUsd} per hour`,
        profile.metricEstimatedCostUsd({ period: SPEND_PERIOD, cacheWriteTtl: this.cacheWriteTtl }), spendUsd,
        { evaluationPeriods: 1, datapointsToAlarm: 1, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD }, true);
    }
    const throttleAlarm = throttles && this.alarm(`${name}Throttles`,
      `${what}: sustained throttling (at least ${throttles.threshold} throttled requests per ${throttles.period.toHumanString()})`,
      profile.metricInvocationThrottles({ period: throttles.period }), throttles.threshold,
      { ...throttles, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD }, true);
    const errorAlarm = serverErrors && this.alarm(`${name}ServerErrors`,
      `${what}: server errors (at least ${serverErrors.threshold} per ${serverErrors.period.toHumanString()})`,
      profile.metricInvocationServerErrors({ period: serverErrors.period }), serverErrors.threshold,
      { ...serverErrors, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD }, true);
    let cacheAlarm: cloudwatch.IAlarm | undefined;
    if (caching) {
      const ratio = smoothedCacheRatio([profile], () => 'p0_', caching.period);
      cacheAlarm = this.alarm(`${name}CacheHitRatio`,
        `${what}: prompt-cache hit ratio below ${caching.minCacheHitRatio} for ${caching.evaluationPeriods} x ${caching.period.toHumanString()}`,
        new cloudwatch.MathExpression({ ...ratio, period: caching.period, label: `${profile.model.displayName} cache hit ratio` }), caching.minCacheHitRatio,
        floorShape(caching), true);
    }
    this.byModel.set(name, { spend, throttles: throttleAlarm, serverErrors: errorAlarm, cacheHitRatio: cacheAlarm });
  }

  /**
   * A team-wide alarm on a sum over the profiles. One alarm when the sum fits the 10-metric limit;
   * otherwise one alarm per group at threshold / groups, and a composite alarm (any group) that notifies.
   */
  private teamSumAlarm(
    id: string, description: string, termOf: (profile: TeamInferenceProfile, index: number) => PlainTerm,
    threshold: number, shape: AlarmShape,
  ): cloudwatch.IAlarm {
    const indexed = this.team.profiles.map((profile, index) => ({ profile, index }));
    // each profile's term is built once, not once per candidate group chunkPlain tries
    const terms = indexed.map(({ profile, index }) => termOf(profile, index));
    const combine = (chunk: typeof indexed) => plainSum(chunk.map(({ index }) => terms[index]));
    const chunks = chunkPlain(indexed, combine);
    if (chunks.length === 1) {
      return this.mathAlarm(id, description, combine(chunks[0]), threshold, shape, true);
    }
    const share = roundShare(threshold / chunks.length);
    const parts = chunks.map((chunk, i) => this.mathAlarm(`${id}Part${i + 1}`,
      `${description}: part ${i + 1} of ${chunks.length} (${chunk.map((c) => c.profile.model.displayName).join(', ')}) at its share ${share}`,
      combine(chunk), share, shape, false));
    return this.composite(id, description, parts);
  }

  private teamCacheAlarm(prefix: string, caching: ResolvedCaching): cloudwatch.IAlarm {
    const description = `${prefix}: prompt-cache hit ratio below ${caching.minCacheHitRatio} for ${caching.evaluationPeriods} x ${caching.period.toHumanString()}`;
    const shape = floorShape(caching);
    const indexed = this.team.profiles.map((profile, index) => ({ profile, index }));
    const combine = (chunk: typeof indexed) => plainSmoothedCacheRatio(this.env, chunk.map((c) => c.profile), (i) => `p${chunk[i].index}_`, caching.period);
    const chunks = chunkPlain(indexed, combine);
    if (chunks.length === 1) {
      return this.mathAlarm('TeamCacheHitRatio', description, combine(chunks[0]), caching.minCacheHitRatio, shape, true);
    }
    // The team ratio is a weighted mean of the group ratios: if every group is at or above the floor,
    // so is the team, so "any group below the floor" never misses a team breach.
    const parts = chunks.map((chunk, i) => this.mathAlarm(`TeamCacheHitRatioPart${i + 1}`,
      `${description}: part ${i + 1} of ${chunks.length} (${chunk.map((c) => c.profile.model.displayName).join(', ')})`,
      combine(chunk), caching.minCacheHitRatio, shape, false));
    return this.composite('TeamCacheHitRatio', description, parts);
  }

  /** Records a created alarm, and makes it notify the alert action when there is one and `notify` is set. */
  private register<T extends cloudwatch.AlarmBase>(alarm: T, notify: boolean): T {
    if (notify && this.action) {
      alarm.addAlarmAction(this.action);
    }
    this.created.push(alarm);
    return alarm;
  }

  /** A team-wide metric-math alarm, written as plain CloudFormation data (see `PlainMathAlarm`). */
  private mathAlarm(
    id: string, description: string, term: PlainTerm, threshold: number, shape: AlarmShape, notify: boolean,
  ): cloudwatch.IAlarm {
    const alarm = new PlainMathAlarm(this, id, {
      alarmDescription: truncate(description),
      term,
      threshold,
      evaluationPeriods: shape.evaluationPeriods,
      datapointsToAlarm: shape.datapointsToAlarm,
      comparisonOperator: shape.comparisonOperator,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    return this.register(alarm, notify);
  }

  private alarm(
    id: string, description: string, metric: cloudwatch.IMetric, threshold: number, shape: AlarmShape, notify: boolean,
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmDescription: truncate(description),
      metric,
      threshold,
      evaluationPeriods: shape.evaluationPeriods,
      datapointsToAlarm: shape.datapointsToAlarm,
      comparisonOperator: shape.comparisonOperator,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    return this.register(alarm, notify);
  }

  private composite(id: string, description: string, parts: cloudwatch.IAlarm[]): cloudwatch.IAlarm {
    const alarm = new PlainCompositeAlarm(this, id, {
      alarmDescription: truncate(`${description} (any of ${parts.length} parts)`),
      anyOf: parts,
    });
    // a dashboard that lists the composite leaves its parts out
    recordCompositeParts(alarm, parts);
    return this.register(alarm, true);
  }
}

interface AlarmShape {
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly comparisonOperator: cloudwatch.ComparisonOperator;
}

interface ResolvedCount {
  readonly threshold: number;
  readonly period: Duration;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

interface ResolvedCaching {
  readonly minCacheHitRatio: number;
  readonly period: Duration;
  readonly evaluationPeriods: number;
}

/** Alarm descriptions are at most 1,024 characters. */
function truncate(text: string): string {
  return text.length <= 1024 ? text : `${text.slice(0, 1021)}...`;
}

function roundShare(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** @param fix the hint, in the prop's own unit (dollars per hour, a count per period) */
function validatePositive(scope: Construct, prop: string, value: number, fix: string = 'Pass e.g. 5 for $5 per hour'): void {
  if (!isUnresolved(value) && !(Number.isFinite(value) && value > 0)) {
    throw invalidProp(scope, prop, value, 'must be a finite number greater than 0', fix);
  }
}

function validatePeriod(scope: Construct, prop: string, period: Duration, evaluationPeriods: number): void {
  const seconds = period.toSeconds();
  if (seconds < 60 || seconds % 60 !== 0) {
    throw invalidProp(scope, prop, period.toHumanString(), 'Bedrock metrics are published per minute, so alarm periods must be whole minutes', 'Pass e.g. Duration.minutes(5)');
  }
  if (seconds * evaluationPeriods > MAX_EVALUATION_SECONDS) {
    throw invalidProp(scope, prop, period.toHumanString(),
      `period x evaluationPeriods (${evaluationPeriods}) exceeds CloudWatch's evaluation range of one day`, 'Use fewer or shorter periods');
  }
}

function validateEvaluation(scope: Construct, prop: string, evaluationPeriods: number, datapointsToAlarm: number): void {
  if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1) {
    throw invalidProp(scope, `${prop}.evaluationPeriods`, evaluationPeriods, 'must be a whole number of at least 1', 'Pass e.g. 3');
  }
  if (!Number.isInteger(datapointsToAlarm) || datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods) {
    throw invalidProp(scope, `${prop}.datapointsToAlarm`, datapointsToAlarm, `must be a whole number from 1 to evaluationPeriods (${evaluationPeriods})`, 'Pass e.g. 2');
  }
}

/** A floor that must be breached in every evaluated period. */
function floorShape(caching: ResolvedCaching): AlarmShape {
  return {
    evaluationPeriods: caching.evaluationPeriods,
    datapointsToAlarm: caching.evaluationPeriods,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
  };
}

function countOptions(
  scope: Construct, prop: string, options: SustainedCountAlarmOptions | undefined, defaults: ResolvedCount,
): ResolvedCount | undefined {
  if (options?.enabled === false) {
    return undefined;
  }
  const resolved: ResolvedCount = {
    threshold: options?.threshold ?? defaults.threshold,
    period: options?.period ?? defaults.period,
    evaluationPeriods: options?.evaluationPeriods ?? defaults.evaluationPeriods,
    datapointsToAlarm: options?.datapointsToAlarm ?? Math.min(defaults.datapointsToAlarm, options?.evaluationPeriods ?? defaults.evaluationPeriods),
  };
  validatePositive(scope, `${prop}.threshold`, resolved.threshold,
    `Pass a count per period, e.g. ${defaults.threshold} for at least ${defaults.threshold} ${prop === 'throttles' ? 'throttled requests' : 'server errors'} in each ${defaults.period.toHumanString()}`);
  validateEvaluation(scope, prop, resolved.evaluationPeriods, resolved.datapointsToAlarm);
  validatePeriod(scope, `${prop}.period`, resolved.period, resolved.evaluationPeriods);
  return resolved;
}

function cachingOptions(scope: Construct, options: TeamCachingOptions, teamExpected: number | undefined): ResolvedCaching {
  const resolved: ResolvedCaching = {
    minCacheHitRatio: options.minCacheHitRatio ?? teamExpected ?? CACHE_DEFAULTS.minCacheHitRatio,
    period: options.period ?? CACHE_DEFAULTS.period,
    evaluationPeriods: options.evaluationPeriods ?? CACHE_DEFAULTS.evaluationPeriods,
  };
  const ratio = resolved.minCacheHitRatio;
  if (!isUnresolved(ratio) && !(Number.isFinite(ratio) && ratio > 0 && ratio <= 1)) {
    throw invalidProp(scope, 'caching.minCacheHitRatio', ratio, 'the floor is a fraction in (0, 1]', 'Pass e.g. 0.6 for 60% of input tokens read from the cache');
  }
  validateEvaluation(scope, 'caching', resolved.evaluationPeriods, resolved.evaluationPeriods);
  validatePeriod(scope, 'caching.period', resolved.period, resolved.evaluationPeriods);
  return resolved;
}

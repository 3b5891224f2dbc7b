import { ArnFormat, Duration, Lazy, Names } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { MAX_ALARM_METRICS, MAX_EXPRESSION_LENGTH } from './math';
import { compactExpression, renameIds, shortId } from './plain-widget';
import { BedrockMetricNames } from '../../models/metric-names';
import { CacheTtl } from '../../models/pricing';
import { GovernanceValidationError } from '../../private/errors';
import { measureHeavier } from '../../private/placement-measure';
import type { ITeamInferenceProfile } from '../../profiles/team-inference-profile';

/**
 * Metric-math alarms written as plain CloudFormation data (`CfnAlarm` properties), not as `Metric` /
 * `MathExpression` objects rendered by the `Alarm` L2, at a fraction of the construction cost: a team-wide
 * alarm reads up to 10 metrics and a facade creates several per team. The keys are in the order the L2 writes
 * them; the template is lighter than the L2's: no label on the expression, short metric ids and no spaces in
 * the expression (`writtenTerm`, as the dashboards write theirs).
 *
 * Terms are built with descriptive ids (`p0_inputTokens`, `p2_throttles`: the profile's index in the team and
 * the metric), which only this module sees; an alarm writes them short.
 */

/** One `MetricStat` query of an alarm, as CloudFormation takes it. */
type MetricQuery = cloudwatch.CfnAlarm.MetricDataQueryProperty;

/** A metric an alarm reads: its `MetricStat`, and the account when it is not the alarm's own. */
export interface MetricRead {
  readonly metricStat: cloudwatch.CfnAlarm.MetricStatProperty;
  readonly accountId?: string;
}

/** An expression and the metrics (by id) its ids stand for. */
export interface PlainTerm {
  readonly expression: string;
  readonly metrics: Record<string, MetricRead>;
}

/** The account and region of the alarms' stack: metrics of another account name it, as `Alarm` does. */
export interface AlarmEnv {
  readonly account: string;
  readonly region: string;
}

/**
 * The `MetricStat` of a profile's Bedrock metric (sum over `period`), built once per profile, metric and
 * period: a team's alarms share them.
 */
const metricReads = new WeakMap<ITeamInferenceProfile, Map<string, MetricRead>>();

function metricRead(env: AlarmEnv, profile: ITeamInferenceProfile, metricName: string, period: Duration): MetricRead {
  let byKey = metricReads.get(profile);
  if (!byKey) {
    byKey = new Map();
    metricReads.set(profile, byKey);
  }
  const seconds = period.toSeconds();
  const key = `${metricName}/${seconds}/${env.account}`;
  let read = byKey.get(key);
  if (!read) {
    const account = profile.stack.account;
    read = {
      metricStat: {
        metric: {
          dimensions: [{ name: BedrockMetricNames.MODEL_ID_DIMENSION, value: profile.inferenceProfileId }],
          metricName,
          namespace: BedrockMetricNames.NAMESPACE,
        },
        period: seconds,
        stat: cloudwatch.Stats.SUM,
      },
      accountId: account === env.account ? undefined : account,
    };
    byKey.set(key, read);
  }
  return read;
}

/**
 * The cost expressions by price set: the profile's own `metricEstimatedCostUsd()` is the one source of the
 * formula, asked once per distinct set of rates (a handful of models x routings x cache-write TTLs).
 */
const costExpressions = new Map<string, string>();

function costExpression(profile: ITeamInferenceProfile, period: Duration, cacheWriteTtl: CacheTtl): string {
  const rates = profile.model.effectiveRates(profile.routing, cacheWriteTtl);
  const key = [rates.inputUsdPerMillionTokens, rates.outputUsdPerMillionTokens, rates.cacheReadUsdPerMillionTokens,
    rates.cacheWriteUsdPerMillionTokens].join('/');
  let expression = costExpressions.get(key);
  if (expression === undefined) {
    expression = profile.metricEstimatedCostUsd({ period, cacheWriteTtl }).expression;
    costExpressions.set(key, expression);
  }
  return expression;
}

/** The estimated cost of a profile with its metric ids prefixed (`p0_inputTokens`, ...). */
export function plainCostTerm(env: AlarmEnv, profile: ITeamInferenceProfile, prefix: string, period: Duration, cacheWriteTtl: CacheTtl): PlainTerm {
  const ids: Record<string, string> = {
    inputTokens: BedrockMetricNames.INPUT_TOKEN_COUNT,
    outputTokens: BedrockMetricNames.OUTPUT_TOKEN_COUNT,
    cacheReadTokens: BedrockMetricNames.CACHE_READ_INPUT_TOKEN_COUNT,
    cacheWriteTokens: BedrockMetricNames.CACHE_WRITE_INPUT_TOKEN_COUNT,
  };
  let expression = costExpression(profile, period, cacheWriteTtl);
  const metrics: Record<string, MetricRead> = {};
  for (const [id, metricName] of Object.entries(ids)) {
    expression = expression.replace(new RegExp(`\\b${id}\\b`, 'g'), `${prefix}${id}`);
    metrics[`${prefix}${id}`] = metricRead(env, profile, metricName, period);
  }
  return { expression, metrics };
}

/** One metric of a profile under an id, zero when missing. */
export function plainFilledTerm(env: AlarmEnv, id: string, profile: ITeamInferenceProfile, metricName: string, period: Duration): PlainTerm {
  return { expression: `FILL(${id}, 0)`, metrics: { [id]: metricRead(env, profile, metricName, period) } };
}

/** Sum terms: `a + b + c`, ids merged. */
export function plainSum(terms: PlainTerm[]): PlainTerm {
  return {
    expression: terms.map((t) => t.expression).join(' + '),
    metrics: Object.assign({}, ...terms.map((t) => t.metrics)),
  };
}

/**
 * Cache hit ratio of one or more profiles, smoothed by one token (the formula of `smoothedCacheRatio`):
 * `(reads + 1) / (reads + writes + input + 1)`.
 */
export function plainSmoothedCacheRatio(
  env: AlarmEnv, profiles: ITeamInferenceProfile[], prefixOf: (index: number) => string, period: Duration,
): PlainTerm {
  const reads: PlainTerm[] = [];
  const writes: PlainTerm[] = [];
  const inputs: PlainTerm[] = [];
  profiles.forEach((profile, index) => {
    const p = prefixOf(index);
    reads.push(plainFilledTerm(env, `${p}cacheReadTokens`, profile, BedrockMetricNames.CACHE_READ_INPUT_TOKEN_COUNT, period));
    writes.push(plainFilledTerm(env, `${p}cacheWriteTokens`, profile, BedrockMetricNames.CACHE_WRITE_INPUT_TOKEN_COUNT, period));
    inputs.push(plainFilledTerm(env, `${p}inputTokens`, profile, BedrockMetricNames.INPUT_TOKEN_COUNT, period));
  });
  const r = plainSum(reads);
  const all = plainSum([...reads, ...writes, ...inputs]);
  return { expression: `(${r.expression} + 1) / (${all.expression} + 1)`, metrics: all.metrics };
}

/**
 * A term as an alarm writes it: its metrics, in order, under the ids `a`, `b`, `c`, ... (`shortId`, the
 * dashboards' scheme: one character for the at most 10 metrics of an alarm) and its expression with the ids
 * renamed and without spaces (`compactExpression`): the same math, character for character otherwise.
 */
export function writtenTerm(term: PlainTerm): PlainTerm {
  const names = new Map<string, string>();
  const metrics: Record<string, MetricRead> = {};
  for (const [id, read] of Object.entries(term.metrics)) {
    const short = shortId(names.size);
    names.set(id, short);
    metrics[short] = read;
  }
  return { expression: compactExpression(renameIds(term.expression, names)), metrics };
}

/** Whether a term fits one alarm: at most 10 metrics and a 1,024-character expression as written. */
export function fitsAlarm(term: PlainTerm): boolean {
  return Object.keys(term.metrics).length <= MAX_ALARM_METRICS && writtenTerm(term).expression.length <= MAX_EXPRESSION_LENGTH;
}

/**
 * The `Metrics` of a metric-math alarm, as `writtenTerm` writes them: the expression (returned; its id the one
 * after its metrics', e.g. `d` after `a`, `b`, `c`) and the metrics it reads. The expression carries no label:
 * the alarm's description says what it watches, and a label would repeat it in the template for every alarm.
 */
export function alarmQueries(term: PlainTerm): MetricQuery[] {
  const written = writtenTerm(term);
  const reads = Object.entries(written.metrics);
  const queries: MetricQuery[] = [{ expression: written.expression, id: shortId(reads.length), returnData: true }];
  for (const [id, read] of reads) {
    queries.push({ accountId: read.accountId, id, metricStat: read.metricStat, returnData: false });
  }
  return queries;
}

/**
 * The characters an alarm's `Metrics` save written short (`writtenTerm`) against how they were written before:
 * the term's own ids (`p0_inputTokens`), the expression with its spaces, returned as `expr_1`.
 */
function charactersSaved(term: PlainTerm, queries: MetricQuery[]): number {
  const former = term.expression.length + 'expr_1'.length + Object.keys(term.metrics).join('').length;
  const written = queries.reduce((n, q) => n + q.id.length + (q.expression?.length ?? 0), 0);
  return former - written;
}

/** Properties of `PlainMathAlarm`. */
export interface PlainMathAlarmProps {
  readonly alarmDescription: string;
  /** What the alarm computes (written with `alarmQueries`). */
  readonly term: PlainTerm;
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly comparisonOperator: cloudwatch.ComparisonOperator;
  readonly treatMissingData: cloudwatch.TreatMissingData;
}

/**
 * An alarm over a CloudFormation resource this module writes itself: its ARN and name as `Alarm` and `CompositeAlarm`
 * give them (the resource's `Arn` attribute and `Ref`, the physical name when it is known).
 */
abstract class PlainAlarmBase extends cloudwatch.AlarmBase {
  protected abstract readonly resource: cloudwatch.CfnAlarm | cloudwatch.CfnCompositeAlarm;

  public get alarmArn(): string {
    return this.getResourceArnAttribute(this.resource.attrArn, {
      service: 'cloudwatch', resource: 'alarm', resourceName: this.physicalName, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  public get alarmName(): string {
    return this.getResourceNameAttribute(this.resource.ref);
  }
}

/**
 * A metric-math alarm from plain data: an `AlarmBase` (so `addAlarmAction()`, `alarmArn`, composite alarm
 * rules and alarm-status widgets work as with `Alarm`) over a `CfnAlarm` with the id `Resource`, the path
 * and logical id an `Alarm` would have.
 */
export class PlainMathAlarm extends PlainAlarmBase {
  protected readonly resource: cloudwatch.CfnAlarm;

  constructor(scope: Construct, id: string, props: PlainMathAlarmProps) {
    super(scope, id);
    const metrics = alarmQueries(props.term);
    this.resource = new cloudwatch.CfnAlarm(this, 'Resource', {
      alarmDescription: props.alarmDescription,
      comparisonOperator: props.comparisonOperator,
      threshold: props.threshold,
      datapointsToAlarm: props.datapointsToAlarm,
      evaluationPeriods: props.evaluationPeriods,
      treatMissingData: props.treatMissingData,
      alarmActions: Lazy.uncachedList({ produce: () => this.alarmActionArns }),
      metrics,
    });
    // Team placement measures a team's resources to fill stacks: it counts the alarm at its former weight, so the
    // shorter ids move no team of a deployed sharded app into another stack.
    measureHeavier(this.resource, charactersSaved(props.term, metrics));
  }

}

/** Properties of `PlainCompositeAlarm`. */
export interface PlainCompositeAlarmProps {
  readonly alarmDescription: string;
  /** The alarms it combines: in ALARM when any of them is. */
  readonly anyOf: cloudwatch.IAlarm[];
}

/** A composite alarm's rule holds at most 10,240 characters (CloudWatch; the `CompositeAlarm` L2 checks the same). */
const MAX_ALARM_RULE_LENGTH = 10_240;

/**
 * A composite alarm in ALARM when any of its parts is, as `CompositeAlarm` with `AlarmRule.anyOf(...parts)` writes
 * it (the same `AlarmName`, rule and properties: the template is identical), without the L2's property
 * injection and rule objects: the facade creates one per team whose spend is split across alarms. An
 * `AlarmBase`, so `addAlarmAction()`, `alarmArn` and alarm-status widgets work as with `CompositeAlarm`.
 */
export class PlainCompositeAlarm extends PlainAlarmBase {
  protected readonly resource: cloudwatch.CfnCompositeAlarm;

  constructor(scope: Construct, id: string, props: PlainCompositeAlarmProps) {
    // the name CompositeAlarm generates: the construct's unique id, its middle cut out past 240 characters
    super(scope, id, { physicalName: Lazy.string({ produce: () => compositeAlarmName(this) }) });
    const rule = `(${props.anyOf.map((part) => `ALARM("${part.alarmArn}")`).join(' OR ')})`;
    if (rule.length > MAX_ALARM_RULE_LENGTH) {
      throw new GovernanceValidationError(this,
        `the rule combining ${props.anyOf.length} alarms is about ${rule.length} characters, over the ${MAX_ALARM_RULE_LENGTH} a composite alarm holds. Split the team's models across more teams`);
    }
    this.resource = new cloudwatch.CfnCompositeAlarm(this, 'Resource', {
      alarmName: this.physicalName,
      alarmRule: rule,
      alarmDescription: props.alarmDescription,
      alarmActions: Lazy.uncachedList({ produce: () => this.alarmActionArns }),
    });
  }

}

function compositeAlarmName(alarm: Construct): string {
  const name = Names.uniqueId(alarm);
  return name.length > 240 ? name.substring(0, 120) + name.substring(name.length - 120) : name;
}

/**
 * Group items into chunks whose combined term fits one alarm: each item joins the
 * current chunk while the combined term still fits, else starts the next one.
 */
export function chunkPlain<T>(items: T[], combine: (chunk: T[]) => PlainTerm): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  for (const item of items) {
    const candidate = [...current, item];
    if (current.length === 0 || fitsAlarm(combine(candidate))) {
      current = candidate;
    } else {
      chunks.push(current);
      current = [item];
    }
  }
  if (current.length > 0) {
    chunks.push(current);
  }
  return chunks;
}

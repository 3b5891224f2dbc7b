import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { ITeamInferenceProfile } from '../../profiles/team-inference-profile';

/** CloudWatch evaluates at most 10 metrics in one metric-math alarm. */
export const MAX_ALARM_METRICS = 10;

/** CloudWatch rejects metric-math expressions longer than 1,024 characters. */
export const MAX_EXPRESSION_LENGTH = 1024;

/** A dashboard graph holds at most 500 metrics and expressions. */
export const MAX_GRAPH_ENTRIES = 500;

/** An expression and the metrics (or expressions) its ids stand for. */
export interface MathTerm {
  readonly expression: string;
  readonly usingMetrics: Record<string, cloudwatch.IMetric>;
}

/** A single metric of a profile under a prefixed id, zero when missing. */
export function filledTerm(id: string, metric: cloudwatch.IMetric): MathTerm {
  return { expression: `FILL(${id}, 0)`, usingMetrics: { [id]: metric } };
}

/** The metrics (not expressions) an expression reads, counting nested expressions. */
export function metricCount(usingMetrics: Record<string, cloudwatch.IMetric>): number {
  let count = 0;
  for (const metric of Object.values(usingMetrics)) {
    count += metric instanceof cloudwatch.MathExpression ? metricCount(metric.usingMetrics) : 1;
  }
  return count;
}

/** Sum terms: `a + b + c`, ids merged. */
export function sumTerms(terms: MathTerm[]): MathTerm {
  return {
    expression: terms.map((t) => t.expression).join(' + '),
    usingMetrics: Object.assign({}, ...terms.map((t) => t.usingMetrics)),
  };
}

/**
 * Cache hit ratio of one or more profiles, smoothed by one token:
 * `(reads + 1) / (reads + writes + input + 1)`. With traffic the smoothing changes the ratio by at
 * most 1/(tokens + 1); with no traffic at all the ratio is 1, never a division by zero, so a quiet
 * team never breaches a floor.
 */
export function smoothedCacheRatio(profiles: ITeamInferenceProfile[], prefixOf: (index: number) => string, period: Duration): MathTerm {
  const reads: MathTerm[] = [];
  const writes: MathTerm[] = [];
  const inputs: MathTerm[] = [];
  const sum = { period, statistic: cloudwatch.Stats.SUM };
  profiles.forEach((profile, index) => {
    const p = prefixOf(index);
    reads.push(filledTerm(`${p}cacheReadTokens`, profile.metricCacheReadInputTokens(sum)));
    writes.push(filledTerm(`${p}cacheWriteTokens`, profile.metricCacheWriteInputTokens(sum)));
    inputs.push(filledTerm(`${p}inputTokens`, profile.metricInputTokens(sum)));
  });
  const r = sumTerms(reads);
  const all = sumTerms([...reads, ...writes, ...inputs]);
  return { expression: `(${r.expression} + 1) / (${all.expression} + 1)`, usingMetrics: all.usingMetrics };
}

/**
 * Exact cache hit ratio of one profile for graphs: `FILL(reads, 0) / (FILL(reads, 0) + FILL(writes, 0) + input)`.
 * Input is not filled, so hours without traffic show as gaps rather than as 0.
 */
export function exactCacheRatio(profile: ITeamInferenceProfile, prefix: string, period: Duration): MathTerm {
  const sum = { period, statistic: cloudwatch.Stats.SUM };
  const r = `${prefix}cacheReadTokens`;
  const w = `${prefix}cacheWriteTokens`;
  const i = `${prefix}inputTokens`;
  return {
    expression: `FILL(${r}, 0) / (FILL(${r}, 0) + FILL(${w}, 0) + ${i})`,
    usingMetrics: {
      [r]: profile.metricCacheReadInputTokens(sum),
      [w]: profile.metricCacheWriteInputTokens(sum),
      [i]: profile.metricInputTokens(sum),
    },
  };
}

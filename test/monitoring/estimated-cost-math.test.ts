/**
 * The estimated-cost metric math, evaluated with sample token counts and checked against a hand
 * computation to the cent, on the worked example of the "Bedrock bill trap" playbook:
 *
 *   1,000 queries a day over 10 documents of 20,000 tokens each on Claude Sonnet 4.5 (~100 queries per
 *   document). Without caching every query pays 20,000 input tokens. With caching at the document
 *   boundary, each document is written to the 5-minute cache once a day and read by the other 99
 *   queries. The playbook says the saving is "roughly $20,000 per year".
 *
 * Prices: Anthropic list prices on the Bedrock global endpoint (no regional premium): input $3,
 * cache write (5 min) $3.75, cache read $0.30 per million tokens. The question part of each prompt
 * and the output tokens are the same with and without caching, so they cancel out and are left out.
 */
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { claudeTeam, newStack } from './monitoring-fixtures';
import { BedrockModel, CacheTtl, CrossRegionGeo, InferenceRouting, Team } from '../../src';
import { TeamUsageAlarms } from '../../src/monitoring';
import { cleanupOutdirs } from '../helpers/cfn';
import { alarmReadName, evaluateAlarm, evaluateMetricMath } from '../helpers/metric-math';

afterAll(cleanupOutdirs);

const DAYS_PER_YEAR = 365;
const DOCUMENTS = 10;
const TOKENS_PER_DOCUMENT = 20_000;
const QUERIES_PER_DAY = 1_000;
const READS_PER_DOCUMENT = QUERIES_PER_DAY / DOCUMENTS - 1; // 99: the first query of the day writes

// Daily token totals.
const UNCACHED = { inputTokens: QUERIES_PER_DAY * TOKENS_PER_DOCUMENT }; // 20,000,000
const CACHED = {
  cacheWriteTokens: DOCUMENTS * TOKENS_PER_DOCUMENT, // 200,000
  cacheReadTokens: DOCUMENTS * READS_PER_DOCUMENT * TOKENS_PER_DOCUMENT, // 19,800,000
};

const cents = (usd: number) => Math.round(usd * 100) / 100;

function sonnet(routing: InferenceRouting) {
  const stack = newStack();
  const team = new Team(stack, 'Docs', { teamName: 'docs', costCenter: 'CC', environment: 'prod', models: [BedrockModel.CLAUDE_SONNET_4_5], routing });
  return team.profiles[0];
}

describe('the worked example of the playbook, Claude Sonnet 4.5 on the global endpoint', () => {
  const profile = sonnet(InferenceRouting.global());
  const daily = profile.metricEstimatedCostUsd({ period: Duration.days(1) });

  test('the daily token counts are the ones of the example', () => {
    expect(UNCACHED.inputTokens).toBe(20_000_000);
    expect(CACHED.cacheWriteTokens + CACHED.cacheReadTokens).toBe(20_000_000);
    expect(READS_PER_DOCUMENT).toBe(99);
  });

  test('without caching: 20M input tokens a day at $3 per million = $60.00 a day, $21,900.00 a year', () => {
    const hand = (20_000_000 * 3) / 1_000_000;
    expect(hand).toBe(60);
    expect(cents(evaluateMetricMath(daily.expression, UNCACHED))).toBe(60.00);
    expect(cents(evaluateMetricMath(daily.expression, UNCACHED) * DAYS_PER_YEAR)).toBe(21_900.00);
  });

  test('with caching: per document 1 write at $3.75 and 99 reads at $0.30 per million = $6.69 a day, $2,441.85 a year', () => {
    const perDocument = (20_000 * 3.75 + 99 * 20_000 * 0.30) / 1_000_000; // $0.075 + $0.594
    expect(cents(perDocument * 10)).toBe(6.69);
    const value = evaluateMetricMath(daily.expression, CACHED);
    expect(cents(value)).toBe(6.69);
    expect(cents(value * DAYS_PER_YEAR)).toBe(2_441.85);
  });

  test('the annual saving is $19,458.15, near the playbook\'s $20,000, with the cache-write premium included', () => {
    const saving = (evaluateMetricMath(daily.expression, UNCACHED) - evaluateMetricMath(daily.expression, CACHED)) * DAYS_PER_YEAR;
    expect(cents(saving)).toBe(19_458.15);
    expect(Math.abs(saving - 20_000) / 20_000).toBeLessThan(0.03);
    // The premium: writes at $3.75 instead of the $3 input price cost $0.15 a day, $54.75 a year.
    const noPremium = profile.model.withPricing({ ...profile.model.pricing, cacheWrite5mUsdPerMillionTokens: 3 });
    const rates = noPremium.effectiveRates(InferenceRouting.global());
    const withoutPremium = (CACHED.cacheWriteTokens * rates.cacheWriteUsdPerMillionTokens
      + CACHED.cacheReadTokens * rates.cacheReadUsdPerMillionTokens) / 1e6;
    expect(cents((60 - withoutPremium) * DAYS_PER_YEAR - saving)).toBe(54.75);
  });

  test('missing cache metrics count as zero, missing input too (FILL), so a quiet day costs $0', () => {
    expect(evaluateMetricMath(daily.expression, {})).toBe(0);
    expect(Object.keys(daily.usingMetrics).sort()).toEqual(['cacheReadTokens', 'cacheWriteTokens', 'inputTokens', 'outputTokens']);
  });

  test('1-hour cache writes ($6 per million) cut the saving to $19,293.90', () => {
    const oneHour = profile.metricEstimatedCostUsd({ period: Duration.days(1), cacheWriteTtl: CacheTtl.ONE_HOUR });
    const value = evaluateMetricMath(oneHour.expression, CACHED);
    expect(cents(value)).toBe(cents((200_000 * 6 + 19_800_000 * 0.3) / 1e6)); // $7.14
    expect(cents((60 - value) * DAYS_PER_YEAR)).toBe(19_293.90);
  });
});

test('through a geographic profile (us.) the Claude 4.5 prices are 10% higher, and so is the saving: $21,403.97', () => {
  const profile = sonnet(InferenceRouting.crossRegion(CrossRegionGeo.US));
  const daily = profile.metricEstimatedCostUsd({ period: Duration.days(1) });
  expect(cents(evaluateMetricMath(daily.expression, UNCACHED))).toBe(66.00);
  expect(evaluateMetricMath(daily.expression, CACHED)).toBeCloseTo(7.359, 9);
  const saving = (evaluateMetricMath(daily.expression, UNCACHED) - evaluateMetricMath(daily.expression, CACHED)) * DAYS_PER_YEAR;
  expect(saving).toBeCloseTo(21_403.965, 6);
});

test('the team spend alarm sums its profiles\' cost expressions exactly (Haiku + Sonnet, one alarm, 8 metrics)', () => {
  const stack = newStack();
  const team = claudeTeam(stack);
  const alarms = new TeamUsageAlarms(stack, 'Alarms', { team, hourlySpendUsd: 25, perProfile: false });
  expect(alarms.teamSpendAlarm).toBeDefined();
  // the alarm as CloudFormation reads it: one returned expression over 8 token metrics
  const resources = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm', {
    Properties: { AlarmDescription: Match.stringLikeRegexp('estimated Bedrock spend') },
  }));
  expect(resources).toHaveLength(1);
  const queries: any[] = resources[0].Properties.Metrics;
  const returned = queries.filter((q) => q.ReturnData);
  expect(returned).toHaveLength(1);
  const read = queries.filter((q) => !q.ReturnData);
  expect(read).toHaveLength(8);
  const tokenMetrics = ['InputTokenCount', 'OutputTokenCount', 'CacheReadInputTokenCount', 'CacheWriteInputTokenCount'];
  expect(read.map((q) => q.MetricStat.Metric.MetricName)).toEqual([...tokenMetrics, ...tokenMetrics]);
  // short ids (a ... h, the returned expression i), each reading one profile's token count
  expect(read.map((q) => q.Id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
  expect(returned[0].Id).toBe('i');
  const [haikuId, sonnetId] = team.profiles.map((p) => stack.getLogicalId(p.resource));
  expect(read.map(alarmReadName)).toEqual([...tokenMetrics.map((m) => `${haikuId}:${m}`), ...tokenMetrics.map((m) => `${sonnetId}:${m}`)]);
  // one hour of traffic: Haiku reads 2M cached tokens and writes 1M output tokens, Sonnet does the worked example's hour
  const byKey: Record<string, number> = {
    p0_inputTokens: 500_000,
    p0_outputTokens: 1_000_000,
    p0_cacheReadTokens: 2_000_000,
    p0_cacheWriteTokens: 100_000,
    p1_inputTokens: 0,
    p1_outputTokens: 50_000,
    p1_cacheReadTokens: CACHED.cacheReadTokens / 24,
    p1_cacheWriteTokens: CACHED.cacheWriteTokens / 24,
  };
  // the same values keyed by what the alarm's metrics read (`<profile>:<metric name>`)
  const keys = ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens'];
  const values: Record<string, number> = {};
  [haikuId, sonnetId].forEach((id, i) => keys.forEach((k, j) => { values[`${id}:${tokenMetrics[j]}`] = byKey[`p${i}_${k}`]; }));
  const haiku = (500_000 * 1 + 1_000_000 * 5 + 2_000_000 * 0.1 + 100_000 * 1.25) / 1e6; // $5.825
  const sonnetHour = (50_000 * 15 + 825_000 * 0.3 + (200_000 / 24) * 3.75) / 1e6; // $0.75 + $0.2475 + $0.03125
  expect(cents(evaluateAlarm(queries, values))).toBe(cents(haiku + sonnetHour));
  expect(cents(haiku + sonnetHour)).toBe(6.85);
  // and it is the sum of each profile's own metric
  const own = team.profiles.map((p, i) => {
    const m = p.metricEstimatedCostUsd();
    const v: Record<string, number> = {};
    for (const id of Object.keys(m.usingMetrics)) v[id] = byKey[`p${i}_${id}`];
    return evaluateMetricMath(m.expression, v);
  });
  expect(evaluateAlarm(queries, values)).toBeCloseTo(own[0] + own[1], 10);
});

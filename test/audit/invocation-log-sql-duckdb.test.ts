/**
 * The named queries of the synthesized template, executed: sample invocation logs are written in the real record
 * format and S3 layout, loaded into DuckDB with the columns of the Glue table, and each query's SQL (tokens resolved
 * as deployed, adapted by `toDuckDbDialect` only) runs on them. Totals are asserted to the cent against costs
 * worked out by hand from the catalogue prices in the comments.
 *
 * Prices (USD per million tokens; cross-Region US profiles and `us.` ids pay the 10% regional premium, global does
 * not): Haiku 4.5 US 1.1 in / 5.5 out / 0.11 cache read / 1.375 cache write; Sonnet 4.5 US 3.3 / 16.5 / 0.33 / 4.125;
 * Opus 4.5 global 5 / 25 / 0.5 / 10 (1-hour cache write, the nightly team's TTL); Nova Lite in-Region 0.06 / 0.24.
 */
import { DAY, GovernedApp, HOUR, LoadedLogs, governedApp, loadLogs, modelArn, role, thisHour, user } from './audit-fixtures';
import { ACCOUNT, REGION, SampleCall, WorkloadSpec, randomCalls } from './log-generator';
import { InvocationLogQuery } from '../../src/audit';
import { toDuckDbDialect } from '../../src/audit/private/duckdb';
import { BedrockModel, CacheTtl, CrossRegionGeo, InferenceRouting } from '../../src/models';
import { cleanupOutdirs } from '../helpers/cfn';

const UNMAPPED_PROFILE = `arn:aws:bedrock:${REGION}:${ACCOUNT}:application-inference-profile/zzzzzzzzzzzz`;
const PROVISIONED = `arn:aws:bedrock:${REGION}:${ACCOUNT}:provisioned-model/a1b2c3d4e5f6`;
const US_SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

let app: GovernedApp;
let logs: LoadedLogs;
let P1: string;
let P2: string;
let P3: string;

/** r1..r11 in distinct hours three days ago; r12 forty days ago (outside the 30-day window). */
function calls(): SampleCall[] {
  const base = thisHour().getTime() - 3 * DAY;
  const at = (k: number) => new Date(base - k * HOUR + 123_000);
  const haiku = app.profileArn(app.search, BedrockModel.CLAUDE_HAIKU_4_5);
  const sonnet = app.profileArn(app.search, BedrockModel.CLAUDE_SONNET_4_5);
  const opus = app.profileArn(app.nightly, BedrockModel.CLAUDE_OPUS_4_5);
  return [
    // r1: 0.11 + 0.022 + 0 + 0.011 = 0.143
    { time: at(1), operation: 'Converse', modelId: haiku, identityArn: role('search-api'), inputTokens: 100_000, cacheReadTokens: 200_000, cacheWriteTokens: 0, outputTokens: 2_000, requestMetadata: { workload: 'answer', tenant: 'acme' } },
    // r2: 0.055 + 0 + 0.0605 + 0.055 = 0.1705
    { time: at(2), operation: 'ConverseStream', modelId: haiku, identityArn: role('search-api'), inputTokens: 50_000, cacheReadTokens: 0, cacheWriteTokens: 44_000, outputTokens: 10_000, requestMetadata: { workload: 'answer' } },
    // r3: 0.33 + 0.004125 = 0.334125 (on Haiku US: 0.11 + 0.001375 = 0.111375)
    { time: at(3), operation: 'InvokeModel', modelId: sonnet, identityArn: role('search-api'), inputTokens: 100_000, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 250, requestMetadata: { workload: 'rerank' } },
    // r4: 0.066 + 0.0363 + 0.0825 = 0.1848
    { time: at(4), operation: 'InvokeModelWithResponseStream', modelId: sonnet, identityArn: role('search-api'), inputTokens: 20_000, cacheReadTokens: 110_000, cacheWriteTokens: 0, outputTokens: 5_000, requestMetadata: { workload: 'rerank' } },
    // r5: 1.0 + 0.5 + 1.0 (1-hour write) + 0.025 = 2.525
    { time: at(5), operation: 'Converse', modelId: opus, identityArn: role('nightly'), inputTokens: 200_000, cacheReadTokens: 1_000_000, cacheWriteTokens: 100_000, outputTokens: 1_000 },
    // r6 (no cache fields): 0.061725 + 0.003 = 0.064725 (on Haiku global: 0.012345 + 0.0006 = 0.012945)
    { time: at(6), operation: 'ConverseStream', modelId: opus, identityArn: role('nightly'), inputTokens: 12_345, outputTokens: 120 },
    // r7, a system profile id: 0.033 + 0.0165 = 0.0495
    { time: at(7), operation: 'Converse', modelId: US_SONNET, identityArn: user('alice'), inputTokens: 10_000, outputTokens: 1_000 },
    // r8, a foundation-model ARN: 0.06 + 0.024 = 0.084
    { time: at(8), operation: 'InvokeModel', modelId: modelArn('amazon.nova-lite-v1:0'), identityArn: role('etl'), inputTokens: 1_000_000, outputTokens: 100_000 },
    // r9-r11: unpriced (a profile of no mapped team, a model outside the catalogue, a provisioned model)
    { time: at(9), operation: 'Converse', modelId: UNMAPPED_PROFILE, identityArn: role('other'), inputTokens: 1_000, outputTokens: 100 },
    { time: at(10), operation: 'InvokeModel', modelId: 'meta.llama3-70b-instruct-v1:0', identityArn: role('etl'), inputTokens: 1_000, outputTokens: 100 },
    { time: at(11), operation: 'InvokeModel', modelId: PROVISIONED, identityArn: role('pt'), inputTokens: 5_000, outputTokens: 500 },
    // r12: forty days old, 11 + 5.5 = 16.5 if it were counted
    { time: new Date(thisHour().getTime() - 40 * DAY), operation: 'Converse', modelId: haiku, identityArn: role('search-api'), inputTokens: 10_000_000, outputTokens: 1_000_000 },
  ];
}

beforeAll(async () => {
  app = governedApp({ batchMinActiveHours: 1 });
  P1 = app.profileArn(app.search, BedrockModel.CLAUDE_HAIKU_4_5).split('/')[1];
  P2 = app.profileArn(app.search, BedrockModel.CLAUDE_SONNET_4_5).split('/')[1];
  P3 = app.profileArn(app.nightly, BedrockModel.CLAUDE_OPUS_4_5).split('/')[1];
  logs = await loadLogs(calls());
});

afterAll(() => {
  logs?.close();
  cleanupOutdirs();
});

const run = (query: InvocationLogQuery) => logs.engine.query(app.sql(query));

describe('invocation-log queries on DuckDB', () => {
  test('the table holds every record but the large-body object and the permission check', async () => {
    expect(await logs.engine.raw('SELECT COUNT(*) AS n, COUNT(requestid) AS with_id, COUNT(DISTINCT log_hour) AS hours FROM bedrock_invocation_logs.invocations'))
      .toEqual([{ n: 12, with_id: 12, hours: 12 }]);
  });

  test('cost per team: every token kind at its own price, to the cent', async () => {
    expect(await run(InvocationLogQuery.COST_PER_TEAM)).toEqual([
      { team: 'nightly', requests: 2, input_tokens: 212_345, cache_read_tokens: 1_000_000, cache_write_tokens: 100_000, output_tokens: 1_120, input_cost_usd: 1.06, cache_read_cost_usd: 0.5, cache_write_cost_usd: 1, output_cost_usd: 0.03, cost_usd: 2.59, input_cost_if_cache_read_usd: 0.11, unpriced_requests: 0 },
      { team: 'search', requests: 4, input_tokens: 270_000, cache_read_tokens: 310_000, cache_write_tokens: 44_000, output_tokens: 17_250, input_cost_usd: 0.56, cache_read_cost_usd: 0.06, cache_write_cost_usd: 0.06, output_cost_usd: 0.15, cost_usd: 0.83, input_cost_if_cache_read_usd: 0.06, unpriced_requests: 0 },
      { team: '(direct call)', requests: 3, input_tokens: 1_011_000, cache_read_tokens: 0, cache_write_tokens: 0, output_tokens: 101_100, input_cost_usd: 0.09, cache_read_cost_usd: 0, cache_write_cost_usd: 0, output_cost_usd: 0.04, cost_usd: 0.13, input_cost_if_cache_read_usd: 0.06, unpriced_requests: 1 },
      { team: '(provisioned throughput)', requests: 1, input_tokens: 5_000, cache_read_tokens: 0, cache_write_tokens: 0, output_tokens: 500, input_cost_usd: null, cache_read_cost_usd: null, cache_write_cost_usd: null, output_cost_usd: null, cost_usd: null, input_cost_if_cache_read_usd: null, unpriced_requests: 1 },
      { team: '(unmapped profile)', requests: 1, input_tokens: 1_000, cache_read_tokens: 0, cache_write_tokens: 0, output_tokens: 100, input_cost_usd: null, cache_read_cost_usd: null, cache_write_cost_usd: null, output_cost_usd: null, cost_usd: null, input_cost_if_cache_read_usd: null, unpriced_requests: 1 },
    ]);
  });

  test('cost per IAM identity within each team (the principal view of the logs)', async () => {
    const rows = await run(InvocationLogQuery.COST_PER_PRINCIPAL);
    expect(rows.map((r) => [r.team, r.identity_arn, r.role_name, r.call_kind, r.requests, r.cost_usd, r.unpriced_requests])).toEqual([
      // r8 0.084 (r10 unpriced) / r7 0.0495
      ['(direct call)', role('etl'), 'etl', 'foundation model', 2, 0.08, 1],
      ['(direct call)', user('alice'), null, 'system inference profile', 1, 0.05, 0],
      ['(provisioned throughput)', role('pt'), 'pt', 'provisioned model', 1, null, 1],
      ['(unmapped profile)', role('other'), 'other', 'application inference profile', 1, null, 1],
      // r5 + r6 = 2.525 + 0.064725
      ['nightly', role('nightly'), 'nightly', 'application inference profile', 2, 2.59, 0],
      // r1..r4 = 0.143 + 0.1705 + 0.334125 + 0.1848 = 0.832425
      ['search', role('search-api'), 'search-api', 'application inference profile', 4, 0.83, 0],
    ]);
  });

  test('top workloads: team, profile or model, identity and request metadata', async () => {
    const rows = await run(InvocationLogQuery.TOP_WORKLOADS_BY_COST);
    const summary = rows.map((r) => [
      r.team, r.profile_or_model, r.model_name, r.identity_arn, r.metadata_workload, r.requests, r.cost_usd, r.unpriced_requests,
    ]);
    expect(summary).toEqual([
      ['nightly', P3, 'Claude Opus 4.5', role('nightly'), null, 2, 2.59, 0],
      ['search', P2, 'Claude Sonnet 4.5', role('search-api'), 'rerank', 2, 0.52, 0],
      ['search', P1, 'Claude Haiku 4.5', role('search-api'), 'answer', 2, 0.31, 0],
      ['(direct call)', 'amazon.nova-lite-v1:0', 'Amazon Nova Lite', role('etl'), null, 1, 0.08, 0],
      ['(direct call)', US_SONNET, 'Claude Sonnet 4.5', user('alice'), null, 1, 0.05, 0],
      ['(direct call)', 'meta.llama3-70b-instruct-v1:0', null, role('etl'), null, 1, null, 1],
      ['(provisioned throughput)', 'a1b2c3d4e5f6', null, role('pt'), null, 1, null, 1],
      ['(unmapped profile)', 'zzzzzzzzzzzz', null, role('other'), null, 1, null, 1],
    ]);
    expect(rows[0]).toEqual({
      team: 'nightly',
      profile_or_model: P3,
      model_name: 'Claude Opus 4.5',
      identity_arn: role('nightly'),
      metadata_workload: null,
      requests: 2,
      input_tokens: 212_345,
      cache_read_tokens: 1_000_000,
      cache_write_tokens: 100_000,
      output_tokens: 1_120,
      cost_usd: 2.59,
      unpriced_requests: 0,
    });
  });

  test('cache hit ratio per profile', async () => {
    const rows = await run(InvocationLogQuery.CACHE_HIT_RATIO_PER_PROFILE);
    expect(rows.map((r) => [r.team, r.profile_or_model, r.call_kind, r.cache_hit_ratio, r.cache_savings_usd])).toEqual([
      ['(direct call)', 'amazon.nova-lite-v1:0', 'foundation model', 0, 0],
      ['(direct call)', 'meta.llama3-70b-instruct-v1:0', 'foundation model', 0, null],
      ['(direct call)', US_SONNET, 'system inference profile', 0, 0],
      ['(provisioned throughput)', 'a1b2c3d4e5f6', 'provisioned model', 0, null],
      ['(unmapped profile)', 'zzzzzzzzzzzz', 'application inference profile', 0, null],
      // 1,000,000 / (212,345 + 1,000,000 + 100,000); savings 1,000,000 x (5 - 0.5)
      ['nightly', P3, 'application inference profile', 0.762, 4.5],
      // haiku: 200,000 / 394,000, savings 200,000 x 0.99; sonnet: 110,000 / 230,000, savings 110,000 x 2.97
      ...[[P1, 0.5076, 0.2], [P2, 0.4783, 0.33]].sort((a, b) => String(a[0]).localeCompare(String(b[0])))
        .map(([p, ratio, savings]) => ['search', p, 'application inference profile', ratio, savings]),
    ]);
  });

  test('streaming share per team flags the non-interactive team that streams', async () => {
    expect(await run(InvocationLogQuery.STREAMING_SHARE_PER_TEAM)).toEqual([
      { team: '(direct call)', interactive: null, requests: 3, streaming_requests: 0, streaming_share: 0, streaming_cost_usd: 0, cost_usd: 0.13, finding: null },
      { team: '(provisioned throughput)', interactive: null, requests: 1, streaming_requests: 0, streaming_share: 0, streaming_cost_usd: 0, cost_usd: null, finding: null },
      { team: '(unmapped profile)', interactive: null, requests: 1, streaming_requests: 0, streaming_share: 0, streaming_cost_usd: 0, cost_usd: null, finding: null },
      { team: 'nightly', interactive: false, requests: 2, streaming_requests: 1, streaming_share: 0.5, streaming_cost_usd: 0.06, cost_usd: 2.59, finding: 'non-interactive team streams' },
      { team: 'search', interactive: true, requests: 4, streaming_requests: 2, streaming_share: 0.5, streaming_cost_usd: 0.36, cost_usd: 0.83, finding: null },
    ]);
  });

  test('requests that bypassed profiles', async () => {
    const rows = await run(InvocationLogQuery.PROFILE_BYPASS);
    expect(rows.map((r) => [r.call_kind, r.model_id_called, r.identity_arn, r.requests, r.cost_usd, r.unpriced_requests])).toEqual([
      ['foundation model', modelArn('amazon.nova-lite-v1:0'), role('etl'), 1, 0.08, 0],
      ['system inference profile', US_SONNET, user('alice'), 1, 0.05, 0],
      ['provisioned model', PROVISIONED, role('pt'), 1, null, 1],
      ['foundation model', 'meta.llama3-70b-instruct-v1:0', role('etl'), 1, null, 1],
    ]);
  });

  test('laddering candidates: small outputs above the light tier, re-priced on Haiku under the same routing', async () => {
    expect(await run(InvocationLogQuery.LADDERING_CANDIDATES)).toEqual([
      { team: 'search', profile_or_model: P2, model_name: 'Claude Sonnet 4.5', tier: 'STANDARD', ladder_model_name: 'Claude Haiku 4.5', identity_arn: role('search-api'), requests: 2, small_output_requests: 1, small_output_share: 0.5, small_output_cost_usd: 0.33, cost_on_ladder_model_usd: 0.11, estimated_savings_usd: 0.22 },
      { team: 'nightly', profile_or_model: P3, model_name: 'Claude Opus 4.5', tier: 'PREMIUM', ladder_model_name: 'Claude Haiku 4.5', identity_arn: role('nightly'), requests: 2, small_output_requests: 1, small_output_share: 0.5, small_output_cost_usd: 0.06, cost_on_ladder_model_usd: 0.01, estimated_savings_usd: 0.05 },
    ]);
  });

  test('batch candidates: non-interactive teams, and non-streaming calls outside the teams', async () => {
    expect(await run(InvocationLogQuery.BATCH_CANDIDATES)).toEqual([
      // 2.589725 x 0.5
      { team: 'nightly', profile_or_model: P3, model_name: 'Claude Opus 4.5', identity_arn: role('nightly'), active_hours: 2, requests: 2, avg_requests_per_active_hour: 1, peak_requests_per_hour: 1, streaming_requests: 1, cost_usd: 2.59, batch_savings_usd: 1.29 },
      { team: '(direct call)', profile_or_model: 'amazon.nova-lite-v1:0', model_name: 'Amazon Nova Lite', identity_arn: role('etl'), active_hours: 1, requests: 1, avg_requests_per_active_hour: 1, peak_requests_per_hour: 1, streaming_requests: 0, cost_usd: 0.08, batch_savings_usd: 0.04 },
      { team: '(direct call)', profile_or_model: US_SONNET, model_name: 'Claude Sonnet 4.5', identity_arn: user('alice'), active_hours: 1, requests: 1, avg_requests_per_active_hour: 1, peak_requests_per_hour: 1, streaming_requests: 0, cost_usd: 0.05, batch_savings_usd: 0.02 },
    ]);
  });

  test('the window: the default 30 days leave the forty-day-old record out, 60 days take it in', async () => {
    const wider = governedApp({ lookbackDays: 60 });
    const rows = await logs.engine.query(wider.sql(InvocationLogQuery.COST_PER_TEAM));
    // search: 0.832425 + 16.5
    expect(rows.find((r) => r.team === 'search')).toMatchObject({ requests: 5, cost_usd: 17.33 });
  });

  test('with the default 24 active hours, these few hours make no batch candidate', async () => {
    const strict = governedApp();
    expect(await logs.engine.query(strict.sql(InvocationLogQuery.BATCH_CANDIDATES))).toEqual([]);
  });

  test('toDuckDbDialect rewrites exactly element_at and date_format', () => {
    expect(toDuckDbDialect("SELECT element_at(m, 'k'), date_format(current_timestamp, '%Y'), my_element_at(x), xdate_format(y) FROM t"))
      .toEqual("SELECT map_extract_value(m, 'k'), strftime(current_timestamp, '%Y'), my_element_at(x), xdate_format(y) FROM t");
    for (const query of Object.values(InvocationLogQuery)) {
      const adapted = toDuckDbDialect(app.sql(query));
      expect(adapted.replace(/map_extract_value\(/g, 'element_at(').replace(/strftime\(/g, 'date_format(')).toEqual(app.sql(query));
    }
  });
});

/**
 * Thousands of random calls over 200 hours (five workloads, cache tokens on some, cache fields missing on others),
 * written 50 records a file: the named queries' totals equal a cost computed independently in TypeScript from the
 * catalogue (`effectiveRates` of each routing), to the cent.
 */
describe('invocation-log queries on a random month of logs', () => {
  let big: LoadedLogs;
  let sample: SampleCall[];
  let governed: GovernedApp;

  beforeAll(async () => {
    governed = governedApp();
    const arn = (team: 'search' | 'nightly', model: BedrockModel) => governed.profileArn(team === 'search' ? governed.search : governed.nightly, model);
    const workloads: WorkloadSpec[] = [
      { modelId: arn('search', BedrockModel.CLAUDE_HAIKU_4_5), identityArn: role('search-api'), operations: ['Converse', 'ConverseStream'], callsPerHour: 12, activeShare: 0.95, inputTokens: [500, 6000], outputTokens: [20, 800], cacheReadShare: 0.6, cachedPrefixTokens: 4096, requestMetadata: { workload: 'answer' } },
      { modelId: arn('search', BedrockModel.CLAUDE_SONNET_4_5), identityArn: role('search-api'), operations: ['InvokeModel', 'InvokeModelWithResponseStream'], callsPerHour: 4, activeShare: 0.8, inputTokens: [2000, 20000], outputTokens: [50, 1500] },
      { modelId: arn('nightly', BedrockModel.CLAUDE_OPUS_4_5), identityArn: role('nightly'), operations: ['Converse'], callsPerHour: 3, activeShare: 1, inputTokens: [5000, 30000], outputTokens: [100, 400], cacheReadShare: 0.5, cachedPrefixTokens: 8000 },
      { modelId: US_SONNET, identityArn: user('alice'), operations: ['Converse'], callsPerHour: 1, activeShare: 0.3, inputTokens: [500, 3000], outputTokens: [100, 800] },
      { modelId: modelArn('amazon.nova-lite-v1:0'), identityArn: role('etl'), operations: ['InvokeModel'], callsPerHour: 2, activeShare: 1, inputTokens: [300, 2000], outputTokens: [20, 200] },
    ];
    sample = randomCalls(workloads, 200, new Date(thisHour().getTime() - DAY), 11);
    big = await loadLogs(sample);
  });

  afterAll(() => big?.close());

  /** The cost of a call, computed without SQL. */
  function expectedCost(call: SampleCall): { team: string; cost: number } {
    const [team, model, routing, ttl] = call.modelId === US_SONNET
      ? ['(direct call)', BedrockModel.CLAUDE_SONNET_4_5, InferenceRouting.crossRegion(CrossRegionGeo.US), CacheTtl.FIVE_MINUTES]
      : call.modelId.endsWith('amazon.nova-lite-v1:0')
        ? ['(direct call)', BedrockModel.NOVA_LITE, InferenceRouting.inRegion(), CacheTtl.FIVE_MINUTES]
        : call.modelId === governed.profileArn(governed.nightly, BedrockModel.CLAUDE_OPUS_4_5)
          ? ['nightly', BedrockModel.CLAUDE_OPUS_4_5, InferenceRouting.global(), CacheTtl.ONE_HOUR]
          : ['search', call.modelId === governed.profileArn(governed.search, BedrockModel.CLAUDE_HAIKU_4_5) ? BedrockModel.CLAUDE_HAIKU_4_5 : BedrockModel.CLAUDE_SONNET_4_5, InferenceRouting.crossRegion(CrossRegionGeo.US), CacheTtl.FIVE_MINUTES];
    const r = (model as BedrockModel).effectiveRates(routing as InferenceRouting, ttl as CacheTtl);
    const cost = (call.inputTokens * r.inputUsdPerMillionTokens + (call.cacheReadTokens ?? 0) * r.cacheReadUsdPerMillionTokens
      + (call.cacheWriteTokens ?? 0) * r.cacheWriteUsdPerMillionTokens + call.outputTokens * r.outputUsdPerMillionTokens) / 1e6;
    return { team: team as string, cost };
  }

  test('cost per team equals the independent computation to the cent', async () => {
    const totals = new Map<string, { requests: number; cost: number }>();
    for (const call of sample) {
      const { team, cost } = expectedCost(call);
      const t = totals.get(team) ?? { requests: 0, cost: 0 };
      totals.set(team, { requests: t.requests + 1, cost: t.cost + cost });
    }
    const expected = [...totals.entries()]
      .map(([team, t]) => ({ team, requests: t.requests, cost_usd: Math.round(t.cost * 100) / 100 }))
      .sort((a, b) => b.cost_usd - a.cost_usd);
    const rows = await big.engine.query(governed.sql(InvocationLogQuery.COST_PER_TEAM));
    expect(sample.length).toBeGreaterThan(3000);
    expect(rows.map((r) => ({ team: r.team, requests: r.requests, cost_usd: r.cost_usd }))).toEqual(expected);
    expect(rows.map((r) => r.cost_usd).every((c) => typeof c === 'number' && c > 0)).toBe(true);
  });

  test('the nightly team (non-interactive, every hour) is the top batch candidate, at half its cost', async () => {
    const rows = await big.engine.query(governed.sql(InvocationLogQuery.BATCH_CANDIDATES));
    const nightly = sample.filter((c) => c.identityArn === role('nightly'));
    const cost = nightly.reduce((sum, c) => sum + expectedCost(c).cost, 0);
    expect(rows[0]).toMatchObject({ team: 'nightly', active_hours: 200, requests: nightly.length, cost_usd: Math.round(cost * 100) / 100, batch_savings_usd: Math.round(cost * 50) / 100 });
    expect(rows.map((r) => r.team)).toEqual(['nightly', '(direct call)', '(direct call)']);
  });
});

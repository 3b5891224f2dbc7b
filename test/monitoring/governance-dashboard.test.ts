import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AwsSolutionsChecks } from 'cdk-nag';
import { claudeTeam, newStack, teamWith } from './monitoring-fixtures';
import { BedrockMetricNames, BedrockModel, CacheTtl, InferenceRouting, Team } from '../../src';
import { GovernanceAlertTopic } from '../../src/budgets';
import { GovernanceDashboard, TeamUsageAlarms } from '../../src/monitoring';
import { ENV, cleanupOutdirs, defaultAttributes, resolveIntrinsics, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const METRIC_NAMES = new Set(Object.values(BedrockMetricNames).filter((v) => typeof v === 'string'));

function novaTeam(stack: Stack, name = 'support'): Team {
  return new Team(stack, name, { teamName: name, costCenter: 'CC-2001', environment: 'prod', models: [BedrockModel.NOVA_LITE], routing: InferenceRouting.inRegion() });
}

/** The dashboard body as CloudWatch would receive it, with profile ids resolved as the tests model them. */
function body(stack: Stack): { widgets: any[] } {
  const template = Template.fromStack(stack).toJSON();
  const dashboards = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Dashboard');
  expect(dashboards).toHaveLength(1);
  return JSON.parse(resolveIntrinsics(dashboards[0].Properties.DashboardBody, template));
}

/**
 * The plain metrics of a widget: [namespace, name, dims..., options] arrays, expressions left out, with CloudWatch's
 * short form expanded as CloudWatch reads it ("." = the value at the same position in the metric above).
 */
function metricsOf(widget: any): Array<{ namespace: string; name: string; dimensions: Record<string, string>; options: any }> {
  let above: any[] = [];
  const expanded = (widget.properties.metrics ?? []).map((m: any[]) => {
    if (typeof m[0] !== 'string') {
      above = [];
      return m;
    }
    const full = m.map((v, i) => (v === '.' ? above[i] : v));
    above = full;
    return full;
  });
  return expanded.filter((m: any[]) => typeof m[0] === 'string').map((m: any[]) => {
    const last = typeof m[m.length - 1] === 'object' ? m[m.length - 1] : {};
    const dims = m.slice(2, typeof m[m.length - 1] === 'object' ? -1 : undefined);
    const dimensions: Record<string, string> = {};
    for (let i = 0; i < dims.length; i += 2) dimensions[dims[i]] = dims[i + 1];
    return { namespace: m[0], name: m[1], dimensions, options: last };
  });
}

function profileIds(stack: Stack, team: Team): string[] {
  const attrs = defaultAttributes();
  return team.profiles.map((p) => attrs(stack.getLogicalId(p.resource), { Type: 'AWS::Bedrock::ApplicationInferenceProfile' }, 'InferenceProfileId'));
}

/** A metric or expression of a widget, with CloudWatch's defaults applied (short form expanded, widget-wide stat and period). */
interface Line {
  readonly expression?: string;
  readonly metric?: { namespace: string; name: string; modelId?: string; stat: string; period: number };
  readonly id?: string;
  readonly label?: string;
  readonly visible: boolean;
  readonly right: boolean;
}

function linesOf(widget: any): Line[] {
  let above: any[] = [];
  return (widget.properties.metrics ?? []).map((m: any[]): Line => {
    const options = typeof m[m.length - 1] === 'object' ? m[m.length - 1] : {};
    const common = { id: options.id, label: options.label, visible: options.visible !== false, right: options.yAxis === 'right' };
    if (typeof m[0] !== 'string') {
      above = [];
      return { expression: m[0].expression, ...common };
    }
    const positions = typeof m[m.length - 1] === 'object' ? m.slice(0, -1) : m;
    const full = positions.map((v, i) => (v === '.' ? above[i] : v));
    above = full;
    return {
      metric: {
        namespace: full[0],
        name: full[1],
        modelId: full[2] === 'ModelId' ? full[3] : undefined,
        stat: options.stat ?? widget.properties.stat ?? 'Average',
        period: options.period ?? widget.properties.period ?? 300,
      },
      ...common,
    };
  });
}

/** An expression of a widget with each id replaced by what it reads (`<profile id>:<metric name>`, or the expression). */
function expand(widget: any, expression: string): string {
  const byId = new Map(linesOf(widget).filter((l) => l.id).map((l) => [l.id!, l]));
  return expression.replace(/\b[a-z][A-Za-z0-9_]*\b/g, (id) => {
    const line = byId.get(id);
    if (!line) return id;
    return line.metric ? `${line.metric.modelId}:${line.metric.name}` : `(${expand(widget, line.expression!)})`;
  });
}

/** The estimated-cost formula of the catalogue (src/profiles/private/cost-expression.ts) for a profile id, spaces dropped. */
function catalogueCost(id: string, input: number, output: number, cacheRead: number, cacheWrite: number): string {
  return `(FILL(${id}:InputTokenCount,0)*${input}+FILL(${id}:OutputTokenCount,0)*${output}+FILL(${id}:CacheReadInputTokenCount,0)*${cacheRead}`
    + `+FILL(${id}:CacheWriteInputTokenCount,0)*${cacheWrite})/1000000`;
}

describe('GovernanceDashboard', () => {
  test('snapshot of the dashboard body (two teams, alarms, a logging alarm)', () => {
    const stack = newStack();
    const search = claudeTeam(stack);
    const support = novaTeam(stack);
    const alarms = new TeamUsageAlarms(stack, 'Alarms', { team: search, hourlySpendUsd: 20 });
    const logging = new cloudwatch.Alarm(stack, 'LogDelivery', {
      metric: new cloudwatch.Metric({ namespace: BedrockMetricNames.NAMESPACE, metricName: BedrockMetricNames.LOGS_S3_DELIVERY_FAILURE, statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    new GovernanceDashboard(stack, 'Dashboard', { teams: [search, support], alarms: alarms.createdAlarms(), loggingAlarms: [logging], dashboardName: 'bedrock-governance' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'bedrock-governance' });
    expect(body(stack)).toMatchSnapshot();
  });

  test('every widget\'s metrics exist for every profile of its team, and only for them', () => {
    const stack = newStack();
    const teams = [claudeTeam(stack, 'search'), novaTeam(stack, 'support'), claudeTeam(stack, 'research')];
    new GovernanceDashboard(stack, 'Dashboard', { teams });
    const widgets = body(stack).widgets;
    const expected: Record<string, string[][]> = {
      'estimated spend by model': [[BedrockMetricNames.INPUT_TOKEN_COUNT, BedrockMetricNames.OUTPUT_TOKEN_COUNT, BedrockMetricNames.CACHE_READ_INPUT_TOKEN_COUNT, BedrockMetricNames.CACHE_WRITE_INPUT_TOKEN_COUNT]],
      'tokens by model': [[BedrockMetricNames.INPUT_TOKEN_COUNT, BedrockMetricNames.OUTPUT_TOKEN_COUNT, BedrockMetricNames.CACHE_READ_INPUT_TOKEN_COUNT, BedrockMetricNames.CACHE_WRITE_INPUT_TOKEN_COUNT]],
      'prompt-cache hit ratio': [[BedrockMetricNames.INPUT_TOKEN_COUNT, BedrockMetricNames.CACHE_READ_INPUT_TOKEN_COUNT, BedrockMetricNames.CACHE_WRITE_INPUT_TOKEN_COUNT]],
      'invocations (left) and throttles (right)': [[BedrockMetricNames.INVOCATIONS, BedrockMetricNames.INVOCATION_THROTTLES]],
      'latency p90': [[BedrockMetricNames.INVOCATION_LATENCY]],
    };
    for (const team of teams) {
      const ids = profileIds(stack, team);
      const row = widgets.filter((w) => w.properties.title?.startsWith(`${team.teamName}: `));
      expect(row.map((w) => w.width)).toEqual([5, 5, 5, 5, 4]);
      for (const [fragment, [names]] of Object.entries(expected)) {
        const widget = row.find((w) => w.properties.title.includes(fragment));
        expect(widget).toBeDefined();
        const metrics = metricsOf(widget);
        // each profile of the team has each metric of the widget; nothing else is shown (the cache widget reads
        // the cache metrics once for both the hit ratio and the realised saving)
        const pairs = [...new Set(metrics.map((m) => `${m.dimensions.ModelId} ${m.name}`))].sort();
        expect(pairs).toEqual(ids.flatMap((id) => names.map((n) => `${id} ${n}`)).sort());
        for (const m of metrics) {
          expect(m.namespace).toBe('AWS/Bedrock');
          expect(METRIC_NAMES.has(m.name)).toBe(true);
          expect(Object.keys(m.dimensions)).toEqual(['ModelId']);
        }
      }
      const latency = linesOf(row.find((w) => w.properties.title.includes('latency p90')));
      expect(latency.map((l) => l.metric!.stat)).toEqual(ids.map(() => 'p90'));
    }
    // the organization summary prices every profile of every team (graph by team, table by team and model)
    const all = teams.flatMap((t) => profileIds(stack, t));
    for (const title of ['Estimated Bedrock spend by team, USD per hour', 'Estimated Bedrock spend by team and model, USD over the time range']) {
      const summary = widgets.find((w) => w.properties.title === title);
      const pairs = new Set(metricsOf(summary).map((m) => `${m.dimensions.ModelId} ${m.name}`));
      for (const id of all) {
        for (const name of expected['estimated spend by model'][0]) {
          expect(pairs.has(`${id} ${name}`)).toBe(true);
        }
      }
      expect(pairs.size).toBe(all.length * 4);
    }
    const table = widgets.find((w) => w.properties.view === 'table');
    expect(table.properties.table.summaryColumns).toEqual(['SUM']);
    expect(table.properties.metrics.filter((m: any[]) => m[0].expression).map((m: any[]) => m[0].label))
      .toEqual(['search / Claude Haiku 4.5', 'search / Claude Sonnet 4.5', 'support / Amazon Nova Lite', 'research / Claude Haiku 4.5', 'research / Claude Sonnet 4.5']);
    // invocation-log delivery failures: the three metric names, no dimension
    const delivery = metricsOf(widgets.find((w) => w.properties.title === 'Invocation-log delivery failures per 5 minutes'));
    expect(delivery.map((m) => [m.name, m.dimensions])).toEqual([
      [BedrockMetricNames.LOGS_S3_DELIVERY_FAILURE, {}],
      [BedrockMetricNames.LOGS_CLOUDWATCH_DELIVERY_FAILURE, {}],
      [BedrockMetricNames.LARGE_DATA_S3_DELIVERY_FAILURE, {}],
    ]);
  });

  test('teams added after the dashboard (as the facade does) appear in the summary and get their row', () => {
    const stack = newStack();
    const dashboard = new GovernanceDashboard(stack, 'Dashboard');
    expect(dashboard.widgetCount()).toBe(1 + 2 + 3);
    const search = claudeTeam(stack);
    dashboard.addTeam(search);
    dashboard.addTeam(novaTeam(stack));
    expect(dashboard.teams).toEqual([search, expect.any(Team)]);
    expect(dashboard.widgetCount()).toBe(1 + 2 + 3 + 10);
    const widgets = body(stack).widgets;
    expect(widgets[0].properties.markdown).toMatch(/^# Bedrock governance: 2 teams, 3 application inference profiles\n/);
    const lines = widgets[1].properties.metrics.filter((m: any[]) => m[0].expression && m[0].visible !== false).map((m: any[]) => m[0].label);
    expect(lines).toEqual(['search', 'support']);
    expect(widgets.filter((w) => / by model, USD per hour$/.test(w.properties.title ?? '')).map((w) => w.properties.title))
      .toEqual(['search: estimated spend by model, USD per hour', 'support: estimated spend by model, USD per hour']);
    // rows never overlap and never pass 24 units
    for (const w of widgets) {
      expect(w.x + w.width).toBeLessThanOrEqual(24);
    }
  });

  test('spend uses each team\'s cache-write TTL', () => {
    const stack = newStack();
    const dashboard = new GovernanceDashboard(stack, 'Dashboard');
    dashboard.addTeam(claudeTeam(stack), undefined);
    const cached = claudeTeam(stack, 'cached');
    dashboard.addTeam(cached, CacheTtl.ONE_HOUR);
    const widgets = body(stack).widgets;
    const spend = widgets.find((w) => w.properties.title === 'cached: estimated spend by model, USD per hour');
    const expressions = linesOf(spend).filter((l) => l.expression).map((l) => expand(spend, l.expression!));
    expect(expressions[0]).toContain(':CacheWriteInputTokenCount,0)*2)');
    expect(expressions[1]).toContain(':CacheWriteInputTokenCount,0)*6)');
    const plain = widgets.find((w) => w.properties.title === 'search: estimated spend by model, USD per hour');
    expect(expand(plain, linesOf(plain).filter((l) => l.expression)[1].expression!)).toContain(':CacheWriteInputTokenCount,0)*3.75)');
  });

  test('a team that declares prompt caching is priced at its own TTL', () => {
    const stack = newStack();
    const docs = new Team(stack, 'Docs', {
      teamName: 'docs',
      costCenter: 'CC',
      environment: 'prod',
      models: [BedrockModel.CLAUDE_SONNET_4_5],
      routing: InferenceRouting.global(),
      caching: { expectedHitRatio: 0.9, cacheWriteTtl: CacheTtl.ONE_HOUR },
    });
    new GovernanceDashboard(stack, 'Dashboard', { teams: [docs] });
    const spend = body(stack).widgets.find((w) => w.properties.title === 'docs: estimated spend by model, USD per hour');
    expect(expand(spend, spend.properties.metrics[0][0].expression)).toContain(':CacheWriteInputTokenCount,0)*6)');
  });

  test('the 500-widget limit fails synth with the fix; without team rows the same teams fit, in split summary graphs', () => {
    const build = (teamRows: boolean) => {
      const stack = newStack();
      const dashboard = new GovernanceDashboard(stack, 'Dashboard', { teamRows });
      for (let i = 0; i < 120; i++) dashboard.addTeam(novaTeam(stack, `team${i}`));
      return { stack, dashboard };
    };
    const big = build(true);
    // 1 header + 2 spend graphs and 2 tables (100 one-model teams each: 5 entries a team) + 3 account graphs + 5 x 120
    expect(big.dashboard.widgetCount()).toBe(608);
    // per one-model team: 4 + 4 in the summary, 4 spend, 4 tokens, 3 cache, 2 invocations and throttles, 1 latency
    expect(big.dashboard.metricCount()).toBe(120 * 22 + 3);
    expect(() => Template.fromStack(big.stack)).toThrow(
      'S/Dashboard: the dashboard has 608 widgets for 120 teams, but CloudWatch allows 500. Split the teams across several GovernanceDashboard constructs (e.g. teams: gov.teams.slice(0, 90)) or set teamRows: false');
    const lean = build(false);
    expect(lean.dashboard.widgetCount()).toBe(8);
    expect(lean.dashboard.metricCount()).toBe(120 * 8 + 3);
    const widgets = body(lean.stack).widgets;
    const graphs = widgets.filter((w) => (w.properties.title ?? '').startsWith('Estimated Bedrock spend by team, USD per hour'));
    expect(graphs.map((g) => g.properties.title)).toEqual([1, 2].map((i) => `Estimated Bedrock spend by team, USD per hour (${i}/2)`));
    expect(graphs.map((g) => g.properties.metrics.length)).toEqual([100 * 5, 20 * 5]);
    const tables = widgets.filter((w) => w.properties.view === 'table');
    expect(tables.map((g) => g.properties.metrics.length)).toEqual([100 * 5, 20 * 5]);
    for (const w of widgets) {
      expect((w.properties.metrics ?? []).length).toBeLessThanOrEqual(500);
    }
    expect(Annotations.fromStack(lean.stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('a team too wide for one graph (100 models: 501 entries in its summary line) fails synth', () => {
    const stack = newStack();
    new GovernanceDashboard(stack, 'Dashboard', { teams: [teamWith(stack, 'huge', 100)] });
    expect(() => Template.fromStack(stack)).toThrow(
      'S/Dashboard: a widget reads 501 metrics and expressions, but CloudWatch allows 500 per graph. Give the team fewer models, or split it');
  });

  test('size: a team with two models adds about 7.2 KB to the template with its row (was 11.3 KB), 1.9 KB without (was 3.5 KB)', () => {
    const measure = (count: number, teamRows = true) => {
      const stack = newStack();
      const dashboard = new GovernanceDashboard(stack, 'Dashboard', { teamRows });
      for (let i = 0; i < count; i++) dashboard.addTeam(claudeTeam(stack, `team${i}`));
      const template = Template.fromStack(stack).toJSON();
      const resource = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::CloudWatch::Dashboard');
      return { bytes: JSON.stringify(resource.Properties.DashboardBody).length, metrics: dashboard.metricCount() };
    };
    const five = measure(5);
    const fifteen = measure(15);
    const perTeam = (fifteen.bytes - five.bytes) / 10;
    expect(perTeam).toBeGreaterThan(6_000);
    expect(perTeam).toBeLessThan(7_600);
    // summary 8 + 8, spend 8, tokens 8, cache 6 (ratio and saving share the metrics), invocations and throttles 4, latency 2
    expect((fifteen.metrics - five.metrics) / 10).toBe(44);
    const lean = (measure(15, false).bytes - measure(5, false).bytes) / 10;
    expect(lean).toBeGreaterThan(1_500);
    expect(lean).toBeLessThan(2_000);
  });

  test('the summary prices each profile with the catalogue formula: graph one line per team, table one row per team and model', () => {
    const stack = newStack();
    const search = claudeTeam(stack, 'search');
    const support = novaTeam(stack, 'support');
    new GovernanceDashboard(stack, 'Dashboard', { teams: [search, support], teamRows: false });
    const widgets = body(stack).widgets;
    const [haiku, sonnet] = profileIds(stack, search);
    const [nova] = profileIds(stack, support);
    // Claude 4.5 through the global endpoint: Haiku $1 / $5 / $0.10 / $1.25, Sonnet $3 / $15 / $0.30 / $3.75 per
    // million input / output / cache-read / 5-minute cache-write tokens; Nova Lite in-Region $0.06 / $0.24 (no cache prices)
    const costs = {
      haiku: catalogueCost(haiku, 1, 5, 0.1, 1.25),
      sonnet: catalogueCost(sonnet, 3, 15, 0.3, 3.75),
      nova: catalogueCost(nova, 0.06, 0.24, 0.06, 0.06),
    };
    const graph = widgets.find((w) => w.properties.title === 'Estimated Bedrock spend by team, USD per hour');
    expect(graph.properties).toMatchObject({ view: 'timeSeries', stacked: true, period: 3600, stat: 'Sum' });
    const teamLines = linesOf(graph).filter((l) => l.visible);
    expect(teamLines.map((l) => [l.label, expand(graph, l.expression!)])).toEqual([
      ['search', `${costs.haiku}+${costs.sonnet}`],
      ['support', costs.nova],
    ]);
    const table = widgets.find((w) => w.properties.view === 'table');
    expect(table.properties).toMatchObject({ period: 3600, stat: 'Sum', table: { summaryColumns: ['SUM'], showTimeSeriesData: false } });
    expect(linesOf(table).filter((l) => l.visible).map((l) => [l.label, expand(table, l.expression!)])).toEqual([
      ['search / Claude Haiku 4.5', costs.haiku],
      ['search / Claude Sonnet 4.5', costs.sonnet],
      ['support / Amazon Nova Lite', costs.nova],
    ]);
    // the same formula as the profile's own estimated-cost metric (ids renamed, spaces dropped)
    for (const [profile, id] of [[search.profiles[0], haiku], [search.profiles[1], sonnet], [support.profiles[0], nova]] as const) {
      const own = profile.metricEstimatedCostUsd();
      const names: Record<string, string> = {};
      for (const [key, m] of Object.entries(own.usingMetrics)) names[key] = `${id}:${(m as cloudwatch.Metric).metricName}`;
      const expected = own.expression.replace(/\b[a-zA-Z]+Tokens\b/g, (k) => names[k]).replace(/\s+/g, '');
      expect(linesOf(table).some((l) => l.expression && expand(table, l.expression) === expected)).toBe(true);
    }
    // every metric the summary reads is a hidden Sum per hour, and every id an expression names is defined once
    for (const widget of [graph, table]) {
      const lines = linesOf(widget);
      const ids = lines.filter((l) => l.id).map((l) => l.id!);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z0-9_]*$/);
      for (const l of lines.filter((x) => x.metric)) {
        expect(l).toMatchObject({ visible: false, metric: { stat: 'Sum', period: 3600 } });
      }
      for (const l of lines.filter((x) => x.expression)) {
        for (const ref of l.expression!.match(/\b[a-z][A-Za-z0-9_]*\b/g) ?? []) expect(ids).toContain(ref);
      }
    }
  });

  test('a team too wide to write its line inline (over 1,024 characters) sums one hidden expression per profile, the same math', () => {
    const stack = newStack();
    const wide = teamWith(stack, 'wide', 15);
    new GovernanceDashboard(stack, 'Dashboard', { teams: [wide], teamRows: false });
    const graph = body(stack).widgets.find((w) => w.properties.title === 'Estimated Bedrock spend by team, USD per hour');
    const lines = linesOf(graph);
    const line = lines.find((l) => l.visible && l.expression)!;
    expect(line.label).toBe('wide');
    expect(lines.filter((l) => l.expression && !l.visible)).toHaveLength(15);
    // model i costs i, 5i, i/10 and 1.25i per million input, output, cache-read and cache-write tokens
    const expected = profileIds(stack, wide).map((id, i) => `(${catalogueCost(id, i + 1, 5 * (i + 1), (i + 1) / 10, 1.25 * (i + 1))})`).join('+');
    expect(expand(graph, line.expression!)).toBe(expected);
    expect(lines).toHaveLength(1 + 15 + 15 * 4);
  });

  test('per team, the row shows spend, tokens, cache hit ratio with the saving, invocations with throttles, and latency p90', () => {
    const stack = newStack();
    const search = claudeTeam(stack, 'search');
    new GovernanceDashboard(stack, 'Dashboard', { teams: [search] });
    const widgets = body(stack).widgets;
    const [haiku, sonnet] = profileIds(stack, search);
    const row = (fragment: string) => widgets.find((w) => (w.properties.title ?? '').startsWith(`search: ${fragment}`));
    const visible = (w: any) => linesOf(w).filter((l) => l.visible);
    const spend = row('estimated spend by model');
    expect(spend.properties).toMatchObject({ stacked: true, period: 3600, stat: 'Sum' });
    expect(visible(spend).map((l) => [l.label, expand(spend, l.expression!)])).toEqual([
      ['Claude Haiku 4.5', catalogueCost(haiku, 1, 5, 0.1, 1.25)],
      ['Claude Sonnet 4.5', catalogueCost(sonnet, 3, 15, 0.3, 3.75)],
    ]);
    const tokens = row('tokens by model');
    expect(visible(tokens).map((l) => [l.label, l.metric!.modelId, l.metric!.name, l.metric!.stat, l.metric!.period])).toEqual(
      [[haiku, 'Claude Haiku 4.5'], [sonnet, 'Claude Sonnet 4.5']].flatMap(([id, model]) => [
        [`${model} input`, id, 'InputTokenCount', 'Sum', 3600],
        [`${model} output`, id, 'OutputTokenCount', 'Sum', 3600],
        [`${model} cache read`, id, 'CacheReadInputTokenCount', 'Sum', 3600],
        [`${model} cache write`, id, 'CacheWriteInputTokenCount', 'Sum', 3600],
      ]));
    const cache = row('prompt-cache hit ratio');
    expect(visible(cache).map((l) => [l.label, l.right, expand(cache, l.expression!)])).toEqual([
      ['Claude Haiku 4.5', false, `FILL(${haiku}:CacheReadInputTokenCount,0)/(FILL(${haiku}:CacheReadInputTokenCount,0)+FILL(${haiku}:CacheWriteInputTokenCount,0)+${haiku}:InputTokenCount)`],
      ['Claude Sonnet 4.5', false, `FILL(${sonnet}:CacheReadInputTokenCount,0)/(FILL(${sonnet}:CacheReadInputTokenCount,0)+FILL(${sonnet}:CacheWriteInputTokenCount,0)+${sonnet}:InputTokenCount)`],
      // reads save input minus cache-read price, writes cost the 5-minute premium over input
      ['Claude Haiku 4.5 saving', true, `(FILL(${haiku}:CacheReadInputTokenCount,0)*0.9-FILL(${haiku}:CacheWriteInputTokenCount,0)*0.25)/1000000`],
      ['Claude Sonnet 4.5 saving', true, `(FILL(${sonnet}:CacheReadInputTokenCount,0)*2.7-FILL(${sonnet}:CacheWriteInputTokenCount,0)*0.75)/1000000`],
    ]);
    const calls = row('invocations (left) and throttles (right)');
    expect(visible(calls).map((l) => [l.label, l.right, l.metric!.modelId, l.metric!.name, l.metric!.stat, l.metric!.period])).toEqual([
      ['Claude Haiku 4.5 invocations', false, haiku, 'Invocations', 'Sum', 300],
      ['Claude Haiku 4.5 throttles', true, haiku, 'InvocationThrottles', 'Sum', 300],
      ['Claude Sonnet 4.5 invocations', false, sonnet, 'Invocations', 'Sum', 300],
      ['Claude Sonnet 4.5 throttles', true, sonnet, 'InvocationThrottles', 'Sum', 300],
    ]);
    const latency = row('latency p90');
    expect(visible(latency).map((l) => [l.label, l.metric!.modelId, l.metric!.name, l.metric!.stat, l.metric!.period])).toEqual([
      ['Claude Haiku 4.5', haiku, 'InvocationLatency', 'p90', 300],
      ['Claude Sonnet 4.5', sonnet, 'InvocationLatency', 'p90', 300],
    ]);
  });

  test('a team added after everything else (alarms, logging alarms, other teams) appears in the summary and gets its row', () => {
    const stack = newStack();
    const dashboard = new GovernanceDashboard(stack, 'Dashboard', { teams: [claudeTeam(stack, 'search')] });
    const alarm = new cloudwatch.Alarm(stack, 'A', { metric: new cloudwatch.Metric({ namespace: 'N', metricName: 'M' }), threshold: 1, evaluationPeriods: 1 });
    dashboard.addAlarms(alarm);
    dashboard.addLoggingAlarms(alarm);
    const late = novaTeam(stack, 'late');
    dashboard.addTeam(late);
    const widgets = body(stack).widgets;
    const [id] = profileIds(stack, late);
    const graph = widgets.find((w) => w.properties.title === 'Estimated Bedrock spend by team, USD per hour');
    expect(linesOf(graph).filter((l) => l.visible).map((l) => l.label)).toEqual(['search', 'late']);
    expect(expand(graph, linesOf(graph).find((l) => l.label === 'late')!.expression!)).toBe(catalogueCost(id, 0.06, 0.24, 0.06, 0.06));
    const table = widgets.find((w) => w.properties.view === 'table');
    expect(linesOf(table).filter((l) => l.visible).map((l) => l.label).pop()).toBe('late / Amazon Nova Lite');
    expect(widgets.filter((w) => (w.properties.title ?? '').startsWith('late: ')).map((w) => w.width)).toEqual([5, 5, 5, 5, 4]);
    expect(widgets[0].properties.markdown).toMatch(/^# Bedrock governance: 2 teams, 3 application inference profiles\n/);
  });

  test('a split team alarm shows as its composite: the parts are left out of the alarm-status widget unless listed alone', () => {
    const stack = newStack();
    // 3 profiles: spend reads 12 metrics, so two parts and a composite; the cache floor (9 metrics) is one alarm
    const team = teamWith(stack, 'wide', 3);
    const alarms = new TeamUsageAlarms(stack, 'Alarms', { team, hourlySpendUsd: 20, perProfile: false, caching: {} });
    const created = alarms.createdAlarms();
    const arn = (a: cloudwatch.IAlarm) => `${stack.getLogicalId(a.node.defaultChild as any)}.Arn`;
    const parts = created.filter((a) => /TeamSpendPart\d$/.test(a.node.id));
    expect(parts).toHaveLength(2);
    new GovernanceDashboard(stack, 'Dashboard', { teams: [team], alarms: created });
    const listed = () => body(stack).widgets.filter((w) => w.properties.title === 'Alarms').flatMap((w) => w.properties.alarms);
    expect(listed()).toEqual(created.filter((a) => !parts.includes(a)).map(arn));
    expect(listed()).toContain(arn(alarms.teamSpendAlarm!));
    // a part listed without its composite is shown
    const stack2 = newStack();
    const team2 = teamWith(stack2, 'wide', 3);
    const alarms2 = new TeamUsageAlarms(stack2, 'Alarms', { team: team2, hourlySpendUsd: 20, perProfile: false });
    const part2 = alarms2.createdAlarms().find((a) => a.node.id === 'TeamSpendPart2')!;
    new GovernanceDashboard(stack2, 'Dashboard', { teams: [team2], alarms: [part2] });
    const widgets2 = body(stack2).widgets.filter((w) => w.properties.title === 'Alarms');
    expect(widgets2.flatMap((w) => w.properties.alarms)).toEqual([`${stack2.getLogicalId(part2.node.defaultChild as any)}.Arn`]);
  });

  test('the body is an Fn::Sub: profile ids and alarm ARNs are ${LogicalId.Attribute} references in its text', () => {
    const stack = newStack();
    const team = claudeTeam(stack, 'search');
    const alarms = new TeamUsageAlarms(stack, 'Alarms', { team, hourlySpendUsd: 20 });
    new GovernanceDashboard(stack, 'Dashboard', { teams: [team], alarms: alarms.createdAlarms() });
    const template = Template.fromStack(stack).toJSON();
    const resource = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::CloudWatch::Dashboard');
    const text: string = resource.Properties.DashboardBody['Fn::Sub'];
    expect(typeof text).toBe('string');
    for (const p of team.profiles) {
      expect(text).toContain(`\${${stack.getLogicalId(p.resource)}.InferenceProfileId}`);
    }
    expect(text).toContain(`\${${stack.getLogicalId(alarms.createdAlarms()[0].node.defaultChild as any)}.Arn}`);
    // nothing else is a reference (no literal ${ in the body)
    expect(text.match(/\$\{[^}]*\}/g)!.every((ref) => /^\$\{[A-Za-z0-9]+\.(InferenceProfileId|Arn)\}$/.test(ref))).toBe(true);
  });

  test('a dashboard in another stack than its teams reads their profile ids through exports, as Fn::Sub variables', () => {
    const app = testApp();
    const teams = new Stack(app, 'Teams', { env: ENV });
    const monitoring = new Stack(app, 'Monitoring', { env: ENV });
    const team = claudeTeam(teams, 'search');
    new GovernanceDashboard(monitoring, 'Dashboard', { teams: [team] });
    const template = Template.fromStack(monitoring).toJSON();
    const resource = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::CloudWatch::Dashboard');
    const [text, variables] = resource.Properties.DashboardBody['Fn::Sub'];
    expect(text).toContain('"ModelId","${v0}"');
    expect(Object.values<any>(variables).every((v) => v['Fn::ImportValue'] !== undefined)).toBe(true);
    expect(Object.keys(variables)).toHaveLength(team.profiles.length);
  });

  test.each([false, true])('the body is written without Stack.toJsonString, to the same template (dashboard in another stack: %p)', (otherStack) => {
    const build = (general: boolean) => {
      const app = testApp();
      const teams = new Stack(app, 'Teams', { env: ENV });
      const monitoring = otherStack ? new Stack(app, 'Monitoring', { env: ENV }) : teams;
      const search = claudeTeam(teams, 'search');
      const topic = new GovernanceAlertTopic(teams, 'Alerts').topic;
      const alarms = new TeamUsageAlarms(teams, 'Alarms', { team: search, topic, hourlySpendUsd: 20, caching: {} });
      const dashboard = new GovernanceDashboard(monitoring, 'Dashboard', { teams: [search], alarms: alarms.createdAlarms() });
      dashboard.addTeam(novaTeam(teams, 'late'));
      const fast = jest.spyOn(dashboard as any, 'fastBody');
      if (general) {
        fast.mockReturnValue(undefined);
      }
      const template = Template.fromStack(monitoring).toJSON();
      expect(fast).toHaveBeenCalled();
      if (!general) {
        expect(fast.mock.results.every((r) => r.value !== undefined)).toBe(true);
      }
      return template;
    };
    expect(build(false)).toEqual(build(true));
  });

  test('a widget added to .dashboard directly is kept (the general path writes the body)', () => {
    const stack = newStack();
    const dashboard = new GovernanceDashboard(stack, 'Dashboard', { teams: [novaTeam(stack)] });
    dashboard.dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: 'runbook: see the wiki', width: 24, height: 2 }));
    expect(body(stack).widgets.map((w) => w.properties.markdown).filter((m) => m === 'runbook: see the wiki')).toHaveLength(1);
  });

  test('short form: a profile\'s consecutive metrics name its id once, and options drop the dashboard\'s own account and Region', () => {
    const stack = newStack();
    const team = claudeTeam(stack, 'search');
    new GovernanceDashboard(stack, 'Dashboard', { teams: [team] });
    const widget = body(stack).widgets.find((w) => w.properties.title === 'search: tokens by model per hour');
    const raw: any[][] = widget.properties.metrics;
    const ids = profileIds(stack, team);
    // four token metrics per profile, its id written on the first only
    expect(raw).toHaveLength(4 * ids.length);
    expect(raw.filter((m) => ids.includes(m[3]))).toHaveLength(ids.length);
    expect(raw.filter((m) => m[3] === '.')).toHaveLength(3 * ids.length);
    expect(raw.every((m) => m[4].accountId === undefined && m[4].region === undefined)).toBe(true);
    expect(widget.properties.region).toBe(ENV.region);
    // period and statistic once for the widget, not per metric
    expect(widget.properties).toMatchObject({ period: 3600, stat: 'Sum' });
    expect(raw.every((m) => m[4].period === undefined && m[4].stat === undefined)).toBe(true);
  });

  test('the body-size check reads the rendering: its estimate is within 10% of the body as the template writes it', () => {
    const stack = newStack();
    const dashboard = new GovernanceDashboard(stack, 'Dashboard');
    for (let i = 0; i < 8; i++) dashboard.addTeam(claudeTeam(stack, `team${i}`));
    const estimate: number = (dashboard as any).deferred.renderedBytes();
    const template = Template.fromStack(stack).toJSON();
    const resource = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::CloudWatch::Dashboard');
    const actual = JSON.stringify(resource.Properties.DashboardBody).length;
    expect(Math.abs(estimate - actual) / actual).toBeLessThan(0.1);
  });

  test('the metric-count warning follows maxMetrics', () => {
    const stack = newStack();
    new GovernanceDashboard(stack, 'Dashboard', { teams: [claudeTeam(stack)], maxMetrics: 40 });
    Annotations.fromStack(stack).hasWarning('/S/Dashboard',
      'The dashboard reads 47 metrics, more than maxMetrics (40); CloudWatch may refuse it. Split the teams across several GovernanceDashboard constructs or set teamRows: false. [ack: cdk-bedrock-governance:dashboardMetrics]');
    const quiet = newStack();
    new GovernanceDashboard(quiet, 'Dashboard', { teams: [claudeTeam(quiet)] });
    expect(Annotations.fromStack(quiet).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('bad input', () => {
    const stack = newStack();
    expect(() => new GovernanceDashboard(stack, 'A', { dashboardName: 'bedrock governance' }))
      .toThrow("S/A: invalid dashboardName 'bedrock governance': dashboard names are 1-255 letters, digits, '-' and '_'. Replace the other characters with '-'");
    expect(() => new GovernanceDashboard(stack, 'B', { maxMetrics: 0 })).toThrow('S/B: invalid maxMetrics 0: must be a whole number greater than 0. Pass e.g. 2500');
    const search = claudeTeam(stack);
    const dashboard = new GovernanceDashboard(stack, 'C', { teams: [search] });
    expect(() => dashboard.addTeam(search)).toThrow("S/C: invalid teams 'search': the team is already on the dashboard. Add each team once");
  });

  test('passes AwsSolutionsChecks, with alarms on an alert topic (the CloudFormation schemas are checked in test/budgets/budgets-checks.test.ts)', () => {
    const app = testApp();
    const stack = new Stack(app, 'Monitoring', { env: ENV });
    const search = claudeTeam(stack);
    const topic = new GovernanceAlertTopic(stack, 'Alerts').topic;
    const alarms = new TeamUsageAlarms(stack, 'Alarms', { team: search, topic, hourlySpendUsd: 20, caching: {} });
    new GovernanceDashboard(stack, 'Dashboard', { teams: [search, novaTeam(stack)], alarms: alarms.createdAlarms() });
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  });
});

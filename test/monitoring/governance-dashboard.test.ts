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
        // the cache metrics twice: once for the hit ratio, once for the realised saving)
        const pairs = [...new Set(metrics.map((m) => `${m.dimensions.ModelId} ${m.name}`))].sort();
        expect(pairs).toEqual(ids.flatMap((id) => names.map((n) => `${id} ${n}`)).sort());
        for (const m of metrics) {
          expect(m.namespace).toBe('AWS/Bedrock');
          expect(METRIC_NAMES.has(m.name)).toBe(true);
          expect(Object.keys(m.dimensions)).toEqual(['ModelId']);
        }
      }
      const latency = metricsOf(row.find((w) => w.properties.title.includes('latency p90')));
      expect(latency.map((m) => m.options.stat)).toEqual(ids.map(() => 'p90'));
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
    const spend = body(stack).widgets.find((w) => w.properties.title === 'cached: estimated spend by model, USD per hour');
    const expressions = spend.properties.metrics.filter((m: any[]) => m[0].expression).map((m: any[]) => m[0].expression);
    expect(expressions[0]).toContain('FILL(p0_cacheWriteTokens, 0) * 2)');
    expect(expressions[1]).toContain('FILL(p1_cacheWriteTokens, 0) * 6)');
    const plain = body(stack).widgets.find((w) => w.properties.title === 'search: estimated spend by model, USD per hour');
    expect(plain.properties.metrics.filter((m: any[]) => m[0].expression)[1][0].expression).toContain('FILL(p1_cacheWriteTokens, 0) * 3.75)');
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
    expect(spend.properties.metrics[0][0].expression).toContain('FILL(p0_cacheWriteTokens, 0) * 6)');
  });

  test('the 500-widget limit fails synth with the fix; without team rows the same teams fit, in split summary graphs', () => {
    const build = (teamRows: boolean) => {
      const stack = newStack();
      const dashboard = new GovernanceDashboard(stack, 'Dashboard', { teamRows });
      for (let i = 0; i < 100; i++) dashboard.addTeam(novaTeam(stack, `team${i}`));
      return { stack, dashboard };
    };
    const big = build(true);
    // 1 header + 2 spend graphs (83 one-model teams each: 6 entries a team) + 1 table (100 profiles) + 3 account graphs + 5 x 100
    expect(big.dashboard.widgetCount()).toBe(507);
    expect(big.dashboard.metricCount()).toBe(100 * 24 + 3);
    expect(() => Template.fromStack(big.stack)).toThrow(
      'S/Dashboard: the dashboard has 507 widgets for 100 teams, but CloudWatch allows 500. Split the teams across several GovernanceDashboard constructs (e.g. teams: gov.teams.slice(0, 90)) or set teamRows: false');
    const lean = build(false);
    expect(lean.dashboard.widgetCount()).toBe(7);
    expect(lean.dashboard.metricCount()).toBe(100 * 8 + 3);
    const widgets = body(lean.stack).widgets;
    const graphs = widgets.filter((w) => (w.properties.title ?? '').startsWith('Estimated Bedrock spend by team, USD per hour'));
    expect(graphs.map((g) => g.properties.title)).toEqual([1, 2].map((i) => `Estimated Bedrock spend by team, USD per hour (${i}/2)`));
    expect(graphs.map((g) => g.properties.metrics.length)).toEqual([83 * 6, 17 * 6]);
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

  test('size: a team with two models adds about 11 KB to the template and 48 metric reads', () => {
    const measure = (count: number) => {
      const stack = newStack();
      const dashboard = new GovernanceDashboard(stack, 'Dashboard');
      for (let i = 0; i < count; i++) dashboard.addTeam(claudeTeam(stack, `team${i}`));
      const template = Template.fromStack(stack).toJSON();
      const resource = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::CloudWatch::Dashboard');
      return { bytes: JSON.stringify(resource.Properties.DashboardBody).length, metrics: dashboard.metricCount() };
    };
    const five = measure(5);
    const fifteen = measure(15);
    const perTeam = (fifteen.bytes - five.bytes) / 10;
    expect(perTeam).toBeGreaterThan(9_000);
    expect(perTeam).toBeLessThan(13_000);
    expect((fifteen.metrics - five.metrics) / 10).toBe(48);
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
    new GovernanceDashboard(stack, 'Dashboard', { teams: [claudeTeam(stack)], maxMetrics: 50 });
    Annotations.fromStack(stack).hasWarning('/S/Dashboard',
      'The dashboard reads 51 metrics, more than maxMetrics (50); CloudWatch may refuse it. Split the teams across several GovernanceDashboard constructs or set teamRows: false. [ack: cdk-bedrock-governance:dashboardMetrics]');
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

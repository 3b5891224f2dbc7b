import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { claudeTeam, customModel, newStack, teamWith } from './monitoring-fixtures';
import { BedrockModel, CacheTtl, InferenceRouting, Team } from '../../src';
import { GovernanceAlertTopic } from '../../src/budgets';
import { TeamUsageAlarms } from '../../src/monitoring';
import { cleanupOutdirs, testApp } from '../helpers/cfn';
import { alarmReadName, evaluateAlarm, evaluateMetricMath, expandAlarmExpression } from '../helpers/metric-math';

afterAll(cleanupOutdirs);

/** The metric-math alarms of a template: the expression that returns data and the metrics it reads. */
function mathAlarms(template: Template): Array<{ id: string; props: any; expression?: string; metrics: any[] }> {
  return Object.entries<any>(template.findResources('AWS::CloudWatch::Alarm')).map(([id, r]) => {
    const entries: any[] = r.Properties.Metrics ?? [];
    return {
      id,
      props: r.Properties,
      expression: entries.find((m) => m.ReturnData !== false)?.Expression,
      metrics: entries.filter((m) => m.MetricStat),
    };
  });
}

/** The logical ids of a team's profiles: the `<profile>` of `<profile>:<metric name>` (`alarmReadName`). */
function profileIds(stack: Stack, team: Team): string[] {
  return team.profiles.map((p) => stack.getLogicalId(p.resource));
}

/** The estimated-cost formula of the catalogue (src/profiles/private/cost-expression.ts) for a profile, spaces dropped. */
function catalogueCost(id: string, input: number, output: number, cacheRead: number, cacheWrite: number): string {
  return `(FILL(${id}:InputTokenCount,0)*${input}+FILL(${id}:OutputTokenCount,0)*${output}+FILL(${id}:CacheReadInputTokenCount,0)*${cacheRead}`
    + `+FILL(${id}:CacheWriteInputTokenCount,0)*${cacheWrite})/1000000`;
}

const TOKEN_METRICS = ['InputTokenCount', 'OutputTokenCount', 'CacheReadInputTokenCount', 'CacheWriteInputTokenCount'];

describe('TeamUsageAlarms', () => {
  test('per profile: throttles and server errors by default, with their defaults; the topic on every notifying alarm', () => {
    const stack = newStack();
    const team = claudeTeam(stack);
    const alerts = new GovernanceAlertTopic(stack, 'Alerts');
    const alarms = new TeamUsageAlarms(stack, 'Alarms', { team, topic: alerts.topic });
    const template = Template.fromStack(stack);
    const topic = { Ref: stack.getLogicalId(alerts.topic.node.defaultChild as sns.CfnTopic) };
    const haikuId = { 'Fn::GetAtt': [stack.getLogicalId(team.profiles[0].resource), 'InferenceProfileId'] };
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: 'Team search, Claude Haiku 4.5: sustained throttling (at least 10 throttled requests per 5 minutes)',
      Namespace: 'AWS/Bedrock',
      MetricName: 'InvocationThrottles',
      Dimensions: [{ Name: 'ModelId', Value: haikuId }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 10,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: 'Team search, Claude Haiku 4.5: server errors (at least 5 per 5 minutes)',
      MetricName: 'InvocationServerErrors',
      Threshold: 5,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      AlarmActions: [topic],
    });
    // 2 profiles x (throttles, server errors) + team throttles + team server errors; no spend or cache alarm unasked
    expect(alarms.createdAlarms()).toHaveLength(6);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 6);
    expect(alarms.teamSpendAlarm).toBeUndefined();
    expect(alarms.teamCacheHitRatioAlarm).toBeUndefined();
    expect(alarms.profileAlarms(BedrockModel.CLAUDE_SONNET_4_5).throttles).toBeDefined();
    expect(alarms.profileAlarms(BedrockModel.CLAUDE_SONNET_4_5).spend).toBeUndefined();
    const team2 = mathAlarms(template).find((a) => a.props.AlarmDescription.startsWith('Team search: sustained'))!;
    // short ids, the dashboards' (a, b, ...), and no spaces
    expect(team2.expression).toBe('FILL(a,0)+FILL(b,0)');
    const [haiku, sonnet] = profileIds(stack, team);
    expect(expandAlarmExpression(team2.props.Metrics)).toBe(`FILL(${haiku}:InvocationThrottles,0)+FILL(${sonnet}:InvocationThrottles,0)`);
    expect(team2.props.AlarmActions).toEqual([topic]);
    // the returned expression carries no label: the description says what the alarm watches; its id follows its metrics'
    expect(team2.props.Metrics[0]).toEqual({ Expression: team2.expression, Id: 'c', ReturnData: true });
    expect(team2.metrics.map((m) => [m.Id, m.ReturnData])).toEqual([['a', false], ['b', false]]);
  });

  test('spend: per profile (keyed by model short name) and per team, from metricEstimatedCostUsd over one hour', () => {
    const stack = newStack();
    const team = claudeTeam(stack);
    new TeamUsageAlarms(stack, 'Alarms', { team, hourlySpendUsd: 20, profileHourlySpendUsd: { 'claude-sonnet-4-5': 12.5 } });
    const alarms = mathAlarms(Template.fromStack(stack));
    const sonnet = alarms.find((a) => a.props.AlarmDescription === 'Team search, Claude Sonnet 4.5: estimated spend above $12.5 per hour')!;
    expect(sonnet.props).toMatchObject({ Threshold: 12.5, EvaluationPeriods: 1, DatapointsToAlarm: 1, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' });
    expect(sonnet.expression).toBe('(FILL(inputTokens, 0) * 3 + FILL(outputTokens, 0) * 15 + FILL(cacheReadTokens, 0) * 0.3 + FILL(cacheWriteTokens, 0) * 3.75) / 1000000');
    expect(sonnet.metrics.map((m) => [m.Id, m.MetricStat.Metric.MetricName, m.MetricStat.Period, m.MetricStat.Stat])).toEqual([
      ['inputTokens', 'InputTokenCount', 3600, 'Sum'],
      ['outputTokens', 'OutputTokenCount', 3600, 'Sum'],
      ['cacheReadTokens', 'CacheReadInputTokenCount', 3600, 'Sum'],
      ['cacheWriteTokens', 'CacheWriteInputTokenCount', 3600, 'Sum'],
    ]);
    const teamSpend = alarms.find((a) => a.props.AlarmDescription === 'Team search: estimated Bedrock spend above $20 per hour')!;
    expect(teamSpend.metrics).toHaveLength(8);
    expect(teamSpend.expression).toBe(
      '(FILL(a,0)*1+FILL(b,0)*5+FILL(c,0)*0.1+FILL(d,0)*1.25)/1000000+(FILL(e,0)*3+FILL(f,0)*15+FILL(g,0)*0.3+FILL(h,0)*3.75)/1000000');
    // the ids read each profile's token counts: the sum of the catalogue's formula per profile
    const [haikuId, sonnetId] = profileIds(stack, team);
    expect(expandAlarmExpression(teamSpend.props.Metrics)).toBe(`${catalogueCost(haikuId, 1, 5, 0.1, 1.25)}+${catalogueCost(sonnetId, 3, 15, 0.3, 3.75)}`);
    expect(teamSpend.props.Metrics[0]).toEqual({ Expression: teamSpend.expression, Id: 'i', ReturnData: true });
    expect(alarms.filter((a) => a.props.AlarmDescription.includes('Haiku 4.5: estimated spend'))).toEqual([]);
  });

  test('cache writes are priced at the team\'s TTL', () => {
    const stack = newStack();
    const team = claudeTeam(stack);
    new TeamUsageAlarms(stack, 'Alarms', { team, hourlySpendUsd: 20, caching: { cacheWriteTtl: CacheTtl.ONE_HOUR } });
    const teamSpend = mathAlarms(Template.fromStack(stack)).find((a) => a.props.AlarmDescription.startsWith('Team search: estimated'))!;
    const [haiku, sonnet] = profileIds(stack, team);
    expect(expandAlarmExpression(teamSpend.props.Metrics)).toBe(`${catalogueCost(haiku, 1, 5, 0.1, 2)}+${catalogueCost(sonnet, 3, 15, 0.3, 6)}`);
  });

  test('the 10-metric limit: a team of 5 profiles gets 3 spend alarms (2+2+1 profiles) at a third of the threshold, and a composite that notifies', () => {
    const stack = newStack();
    const team = teamWith(stack, 'big', 5);
    const topic = new GovernanceAlertTopic(stack, 'Alerts').topic;
    const alarms = new TeamUsageAlarms(stack, 'Alarms', { team, topic, hourlySpendUsd: 30, perProfile: false });
    const template = Template.fromStack(stack);
    const parts = mathAlarms(template).filter((a) => a.props.AlarmDescription.includes('estimated Bedrock spend above $30 per hour: part'));
    expect(parts.map((p) => [p.metrics.length, p.props.Threshold, p.props.AlarmActions]))
      .toEqual([[8, 10, undefined], [8, 10, undefined], [4, 10, undefined]]);
    expect(parts[0].props.AlarmDescription).toBe('Team big: estimated Bedrock spend above $30 per hour: part 1 of 3 (Model 1, Model 2) at its share 10');
    const composite = Object.values<any>(template.findResources('AWS::CloudWatch::CompositeAlarm'));
    const spendComposite = composite.find((c) => c.Properties.AlarmDescription.startsWith('Team big: estimated'));
    expect(spendComposite.Properties.AlarmDescription).toBe('Team big: estimated Bedrock spend above $30 per hour (any of 3 parts)');
    expect(spendComposite.Properties.AlarmActions).toEqual([{ Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) }]);
    const rule = JSON.stringify(spendComposite.Properties.AlarmRule);
    for (const p of parts) {
      expect(rule).toContain(p.id);
    }
    expect(rule.match(/ OR /g)).toHaveLength(2);
    expect((alarms.teamSpendAlarm as unknown as Construct).node.defaultChild).toBeInstanceOf(cloudwatch.CfnCompositeAlarm);
  });

  test.each([1, 2, 3, 4, 7, 12])('no alarm of a %p-profile team reads more than 10 metrics or has an expression over 1,024 characters', (count) => {
    const stack = newStack();
    const team = teamWith(stack, 'wide', count);
    new TeamUsageAlarms(stack, 'Alarms', {
      team, hourlySpendUsd: 50, caching: {}, profileHourlySpendUsd: { 'model-1': 10 },
    });
    const alarms = mathAlarms(Template.fromStack(stack));
    for (const alarm of alarms) {
      expect(alarm.metrics.length).toBeLessThanOrEqual(10);
      expect((alarm.expression ?? '').length).toBeLessThanOrEqual(1024);
    }
    // the team-wide alarms: metric ids a, b, c, ... and the returned expression's the next one, no spaces
    const teamWide = alarms.filter((a) => a.props.AlarmDescription.startsWith('Team wide:'));
    expect(teamWide.length).toBeGreaterThan(0);
    for (const alarm of teamWide) {
      const ids = alarm.metrics.map((m) => m.Id);
      expect(ids).toEqual([...'abcdefghij'].slice(0, ids.length));
      expect(alarm.props.Metrics[0]).toEqual({ Expression: alarm.expression, Id: 'abcdefghijk'[ids.length], ReturnData: true });
      expect(alarm.expression).not.toMatch(/\s/);
    }
    // every profile's four token metrics are in some spend alarm, exactly once
    const spendReads = teamWide.filter((a) => a.props.AlarmDescription.startsWith('Team wide: estimated')).flatMap((a) => a.metrics.map(alarmReadName));
    expect(spendReads.sort()).toEqual(profileIds(stack, team).flatMap((id) => TOKEN_METRICS.map((m) => `${id}:${m}`)).sort());
    // the throttle alarms (10 profiles per part) sum every profile's throttles once, in order (p1_ and p10_ renamed apart)
    const throttles = teamWide.filter((a) => a.props.AlarmDescription.startsWith('Team wide: sustained')).map((a) => expandAlarmExpression(a.props.Metrics));
    expect(throttles.join('+')).toBe(count === 1 ? '' : profileIds(stack, team).map((id) => `FILL(${id}:InvocationThrottles,0)`).join('+'));
  });

  test('the split never misses a breach: whenever the team total passes the threshold, some part passes its share', () => {
    const stack = newStack();
    const team = teamWith(stack, 'big', 5);
    const threshold = 30;
    new TeamUsageAlarms(stack, 'Alarms', { team, hourlySpendUsd: threshold, perProfile: false, teamWide: true, throttles: { enabled: false }, serverErrors: { enabled: false } });
    const parts = mathAlarms(Template.fromStack(stack));
    expect(parts).toHaveLength(3);
    // the parts sum the catalogue formula of their profiles (2 + 2 + 1)
    const ids = profileIds(stack, team);
    const cost = (i: number) => catalogueCost(ids[i], i + 1, 5 * (i + 1), (i + 1) / 10, 1.25 * (i + 1));
    expect(parts.map((a) => expandAlarmExpression(a.props.Metrics))).toEqual([`${cost(0)}+${cost(1)}`, `${cost(2)}+${cost(3)}`, cost(4)]);
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    let breaches = 0;
    let quiet = 0;
    for (let trial = 0; trial < 500; trial++) {
      const values: Record<string, number> = {};
      for (const id of ids) {
        for (const m of TOKEN_METRICS) {
          values[`${id}:${m}`] = Math.floor(random() * 600_000);
        }
      }
      const partValues = parts.map((a) => evaluateAlarm(a.props.Metrics, values));
      const total = partValues.reduce((x, y) => x + y, 0);
      if (total > threshold) {
        breaches++;
        expect(partValues.some((v, i) => v > parts[i].props.Threshold)).toBe(true);
      } else {
        quiet++;
      }
    }
    // the sample straddles the threshold, so both sides were exercised
    expect(breaches).toBeGreaterThan(50);
    expect(quiet).toBeGreaterThan(50);
  });

  test('cache-hit-ratio floor, per profile and per team, only when the team says it caches; missing data does not breach', () => {
    const stack = newStack();
    const team = claudeTeam(stack);
    new TeamUsageAlarms(stack, 'Alarms', { team, caching: { minCacheHitRatio: 0.6 } });
    const alarms = mathAlarms(Template.fromStack(stack)).filter((a) => a.props.AlarmDescription.includes('prompt-cache hit ratio'));
    expect(alarms.map((a) => a.props.AlarmDescription)).toEqual([
      'Team search, Claude Haiku 4.5: prompt-cache hit ratio below 0.6 for 3 x 1 hour',
      'Team search, Claude Sonnet 4.5: prompt-cache hit ratio below 0.6 for 3 x 1 hour',
      'Team search: prompt-cache hit ratio below 0.6 for 3 x 1 hour',
    ]);
    for (const a of alarms) {
      expect(a.props).toMatchObject({ Threshold: 0.6, ComparisonOperator: 'LessThanThreshold', EvaluationPeriods: 3, DatapointsToAlarm: 3, TreatMissingData: 'notBreaching' });
    }
    const teamRatio = alarms[2].props.Metrics;
    expect(alarms[2].expression).toBe('(FILL(a,0)+FILL(b,0)+1)/(FILL(a,0)+FILL(b,0)+FILL(c,0)+FILL(d,0)+FILL(e,0)+FILL(f,0)+1)');
    const [haiku, sonnet] = profileIds(stack, team);
    const fill = (id: string, metric: string) => `FILL(${id}:${metric},0)`;
    const reads = `${fill(haiku, 'CacheReadInputTokenCount')}+${fill(sonnet, 'CacheReadInputTokenCount')}`;
    expect(expandAlarmExpression(teamRatio)).toBe(`(${reads}+1)/(${reads}+${fill(haiku, 'CacheWriteInputTokenCount')}+${fill(sonnet, 'CacheWriteInputTokenCount')}`
      + `+${fill(haiku, 'InputTokenCount')}+${fill(sonnet, 'InputTokenCount')}+1)`);
    // ratio = cacheRead / (cacheRead + cacheWrite + input), to within one token
    const busy = {
      [`${haiku}:CacheReadInputTokenCount`]: 900_000,
      [`${haiku}:CacheWriteInputTokenCount`]: 50_000,
      [`${haiku}:InputTokenCount`]: 50_000,
      [`${sonnet}:CacheReadInputTokenCount`]: 100_000,
      [`${sonnet}:InputTokenCount`]: 900_000,
    };
    expect(evaluateAlarm(teamRatio, busy)).toBeCloseTo(1_000_000 / 2_000_000, 5);
    // a quiet hour is 1 (never below a floor), an hour without cache reads is ~0 (breaches)
    expect(evaluateAlarm(teamRatio, {})).toBe(1);
    expect(evaluateAlarm(teamRatio, { [`${haiku}:InputTokenCount`]: 400_000 })).toBeLessThan(0.001);
    const perProfile = alarms[0].expression!;
    expect(evaluateMetricMath(perProfile, { p0_cacheReadTokens: 990, p0_cacheWriteTokens: 10 })).toBeCloseTo(991 / 1001, 12);
  });

  test('a team that declares prompt caching gets the floor and TTL from its own settings', () => {
    const stack = newStack();
    const team = new Team(stack, 'Docs', {
      teamName: 'docs',
      costCenter: 'CC',
      environment: 'prod',
      models: [BedrockModel.CLAUDE_SONNET_4_5],
      routing: InferenceRouting.global(),
      caching: { expectedHitRatio: 0.9, cacheWriteTtl: CacheTtl.ONE_HOUR },
    });
    new TeamUsageAlarms(stack, 'Alarms', { team, profileHourlySpendUsd: { 'claude-sonnet-4-5': 4 } });
    const alarms = mathAlarms(Template.fromStack(stack));
    const ratio = alarms.find((a) => a.props.AlarmDescription === 'Team docs, Claude Sonnet 4.5: prompt-cache hit ratio below 0.9 for 3 x 1 hour')!;
    expect(ratio.props.Threshold).toBe(0.9);
    const spend = alarms.find((a) => a.props.AlarmDescription.includes('estimated spend'))!;
    expect(spend.expression).toContain('FILL(cacheWriteTokens, 0) * 6)');
    // explicit settings win
    const stack2 = newStack();
    const team2 = new Team(stack2, 'Docs', {
      teamName: 'docs',
      costCenter: 'CC',
      environment: 'prod',
      models: [BedrockModel.CLAUDE_SONNET_4_5],
      routing: InferenceRouting.global(),
      caching: { expectedHitRatio: 0.9 },
    });
    new TeamUsageAlarms(stack2, 'Alarms', { team: team2, caching: { minCacheHitRatio: 0.7 } });
    expect(mathAlarms(Template.fromStack(stack2)).filter((a) => a.props.Threshold === 0.7)).toHaveLength(1);
  });

  test('hourly spend from a monthly budget: 730 hours a month, 3x the average burn by default', () => {
    expect(TeamUsageAlarms.hourlySpendFromMonthlyBudget(5000)).toBe(20.55);
    expect(TeamUsageAlarms.hourlySpendFromMonthlyBudget(730, 1)).toBe(1);
  });

  test('a one-profile team gets no duplicate team alarms (except spend), and levels can be turned off', () => {
    const stack = newStack();
    const single = teamWith(stack, 'solo', 1);
    const solo = new TeamUsageAlarms(stack, 'Solo', { team: single, hourlySpendUsd: 5, caching: {} });
    expect(solo.teamThrottleAlarm).toBeUndefined();
    expect(solo.teamServerErrorAlarm).toBeUndefined();
    expect(solo.teamCacheHitRatioAlarm).toBeUndefined();
    expect(solo.teamSpendAlarm).toBeDefined();
    expect(solo.createdAlarms()).toHaveLength(4);
    const onlyTeam = new TeamUsageAlarms(stack, 'OnlyTeam', { team: single, perProfile: false });
    expect(onlyTeam.teamThrottleAlarm).toBeDefined();
    expect(onlyTeam.createdAlarms()).toHaveLength(2);
    const quiet = new TeamUsageAlarms(stack, 'Quiet', { team: single, throttles: { enabled: false }, serverErrors: { enabled: false } });
    expect(quiet.createdAlarms()).toEqual([]);
  });

  test('custom count alarm shapes', () => {
    const stack = newStack();
    new TeamUsageAlarms(stack, 'Alarms', {
      team: teamWith(stack, 'solo', 1),
      throttles: { threshold: 50, period: Duration.minutes(1), evaluationPeriods: 10, datapointsToAlarm: 8 },
      serverErrors: { enabled: false },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'InvocationThrottles', Period: 60, Threshold: 50, EvaluationPeriods: 10, DatapointsToAlarm: 8,
    });
  });

  test('passes AwsSolutionsChecks', () => {
    const stack = newStack();
    const topic = new GovernanceAlertTopic(stack, 'Alerts').topic;
    new TeamUsageAlarms(stack, 'Alarms', { team: teamWith(stack, 'big', 3), topic, hourlySpendUsd: 10, caching: {} });
    expect(new AwsSolutionsChecks().validateScope(stack.node.scope as any).violations).toEqual([]);
  });
});

describe('TeamUsageAlarms validation', () => {
  const make = (props: any) => {
    const stack = newStack();
    return new TeamUsageAlarms(stack, 'Alarms', { team: teamWith(stack, 'search', 2), ...props });
  };

  test.each([
    [{ hourlySpendUsd: 0 }, 'S/Alarms: invalid hourlySpendUsd 0: must be a finite number greater than 0. Pass e.g. 5 for $5 per hour'],
    [{ profileHourlySpendUsd: { 'model-1': -1 } }, "S/Alarms: invalid profileHourlySpendUsd['model-1'] -1: must be a finite number greater than 0. Pass e.g. 5 for $5 per hour"],
    [{ profileHourlySpendUsd: { 'claude-haiku-4-5': 3 } }, "S/Alarms: invalid profileHourlySpendUsd 'claude-haiku-4-5': team 'search' has no model with that short name. Use one of: model-1, model-2"],
    [{ caching: { minCacheHitRatio: 1.5 } }, 'S/Alarms: invalid caching.minCacheHitRatio 1.5: the floor is a fraction in (0, 1]. Pass e.g. 0.6 for 60% of input tokens read from the cache'],
    [{ caching: { minCacheHitRatio: 0 } }, 'S/Alarms: invalid caching.minCacheHitRatio 0: the floor is a fraction in (0, 1].'],
    [{ throttles: { threshold: 0 } }, 'S/Alarms: invalid throttles.threshold 0: must be a finite number greater than 0. Pass a count per period, e.g. 10 for at least 10 throttled requests in each 5 minutes'],
    [{ serverErrors: { threshold: -1 } }, 'S/Alarms: invalid serverErrors.threshold -1: must be a finite number greater than 0. Pass a count per period, e.g. 5 for at least 5 server errors in each 5 minutes'],
    [{ throttles: { evaluationPeriods: 0 } }, 'S/Alarms: invalid throttles.evaluationPeriods 0: must be a whole number of at least 1. Pass e.g. 3'],
    [{ serverErrors: { evaluationPeriods: 2, datapointsToAlarm: 3 } }, 'S/Alarms: invalid serverErrors.datapointsToAlarm 3: must be a whole number from 1 to evaluationPeriods (2). Pass e.g. 2'],
    [{ throttles: { period: Duration.seconds(30) } }, "S/Alarms: invalid throttles.period '30 seconds': Bedrock metrics are published per minute, so alarm periods must be whole minutes. Pass e.g. Duration.minutes(5)"],
    [{ caching: { period: Duration.hours(12), evaluationPeriods: 3 } }, "S/Alarms: invalid caching.period '12 hours': period x evaluationPeriods (3) exceeds CloudWatch's evaluation range of one day. Use fewer or shorter periods"],
  ])('%j', (props, message) => {
    expect(() => make(props)).toThrow(message);
  });

  test('a model that is not the team\'s', () => {
    const alarms = make({});
    expect(() => alarms.profileAlarms(customModel(9))).toThrow("S/search: team 'search' has no profile for model 'example.model-9-v1:0'");
  });
});

describe('team-wide alarms written as CfnAlarm data', () => {
  test('alarms in another account name the profiles\' account on each metric; the alarm\'s own account is left out', () => {
    const app = testApp();
    const teamStack = new Stack(app, 'Team', { env: { account: '111111111111', region: 'us-east-1' } });
    const team = claudeTeam(teamStack);
    const monitoring = new Stack(app, 'Monitoring', { env: { account: '222222222222', region: 'us-east-1' } });
    new TeamUsageAlarms(monitoring, 'Alarms', { team, throttles: { enabled: false }, serverErrors: { enabled: false }, hourlySpendUsd: 5 });
    const [spend] = mathAlarms(Template.fromStack(monitoring));
    expect(spend.metrics).toHaveLength(8);
    expect(spend.metrics.every((m) => m.AccountId === '111111111111')).toBe(true);

    const same = newStack();
    new TeamUsageAlarms(same, 'Alarms', { team: claudeTeam(same), hourlySpendUsd: 5 });
    expect(mathAlarms(Template.fromStack(same)).flatMap((a) => a.metrics).some((m) => 'AccountId' in m)).toBe(false);
  });

  test('alarms in another region than the team\'s profiles are refused', () => {
    const app = testApp();
    const team = claudeTeam(new Stack(app, 'Team', { env: { account: '111111111111', region: 'us-east-1' } }));
    const other = new Stack(app, 'Other', { env: { account: '111111111111', region: 'eu-west-1' } });
    expect(() => new TeamUsageAlarms(other, 'Alarms', { team })).toThrow(
      "Other/Alarms: invalid team 'search': its profiles are in us-east-1 and the alarms in eu-west-1: an alarm reads metrics of its own region only. Create the alarms in a stack of the team's region");
  });

  test('an action added to a created alarm is rendered with the alert topic\'s', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Topic');
    const extra = new sns.Topic(stack, 'Extra');
    const alarms = new TeamUsageAlarms(stack, 'Alarms', { team: claudeTeam(stack), topic, serverErrors: { enabled: false } });
    const throttles = alarms.teamThrottleAlarm as cloudwatch.AlarmBase;
    throttles.addAlarmAction(new cloudwatchActions.SnsAction(extra));
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('sustained Bedrock throttling'),
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Topic') }, { Ref: Match.stringLikeRegexp('^Extra') }],
    });
  });
});

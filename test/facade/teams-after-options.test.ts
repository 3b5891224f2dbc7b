/**
 * The facade with every option on, teams added after every optional construct exists: whatever the facade
 * deploys that lists teams (invocation-log queries, dashboards, ladder manifests, alarms, tag activation)
 * must list every team, however early something measured or resolved the template while placing teams.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BedrockGovernance, BedrockModel, CrossRegionGeo, InferenceRouting } from '../../src';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const TEAMS = ['search', 'support', 'legal'];

function fullFacade() {
  const app = testApp();
  const stack = new Stack(app, 'Governance', { env: ENV });
  const gov = new BedrockGovernance(stack, 'Gov', {
    focusExport: {},
    chargeback: {},
    cur2Export: {},
    attribution: {},
    invocationLogQueries: {},
    wasteAudit: {},
    alertEmails: ['finops@example.com'],
    dashboard: true,
    activateCostAllocationTags: true,
  });
  // every optional construct exists before the first team
  const optional = [
    gov.focusExport, gov.chargeback, gov.cur2Export, gov.attribution, gov.invocationLogQueries,
    gov.wasteAudit, gov.dashboard, gov.costAllocationTags, gov.invocationLogging,
  ];
  expect(optional.every((c) => c !== undefined)).toBe(true);
  for (const [i, name] of TEAMS.entries()) {
    const team = gov.addTeam(name, {
      costCenter: `CC-${1000 + i}`,
      environment: 'prod',
      models: [BedrockModel.NOVA_MICRO],
      routing: InferenceRouting.crossRegion(CrossRegionGeo.US),
      ladder: { light: BedrockModel.CLAUDE_HAIKU_4_5, standard: BedrockModel.CLAUDE_SONNET_4_5 },
      monthlyBudgetUsd: 500 + i,
      anomalyThresholdUsd: 50,
      alarms: { hourlySpendUsd: 10 + i },
      extraTags: { [`squad-${name}`]: name },
    });
    team.grantInvoke(new iam.Role(stack, `${name}App`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
  }
  return { gov, stack, template: Template.fromStack(stack) };
}

describe('BedrockGovernance: teams added after every optional construct', () => {
  const { gov, stack, template } = fullFacade();
  const json = JSON.stringify;

  test('each invocation-log named query names every team', () => {
    const queries = template.findResources('AWS::Athena::NamedQuery');
    const logQueries = Object.values(queries).filter((q: any) => q.Properties.WorkGroup.Ref?.includes('InvocationLogQueries') || json(q.Properties.WorkGroup).includes('InvocationLogQueries'));
    expect(logQueries.length).toBe(gov.invocationLogQueries!.namedQueries.length);
    expect(logQueries.length).toBeGreaterThan(0);
    for (const query of logQueries) {
      const sql = json((query as any).Properties.QueryString);
      for (const team of TEAMS) {
        expect(sql).toContain(`'${team}'`);
      }
      expect(sql).not.toContain('(unmapped profile)\' AS');
    }
  });

  test('the same SQL through querySql() and in the template', () => {
    const first = gov.invocationLogQueries!.namedQueries[0];
    const resolved = json(stack.resolve(first.queryString));
    for (const team of TEAMS) {
      expect(resolved).toContain(`'${team}'`);
    }
  });

  test('the dashboard names every team', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = json((dashboards[0] as any).Properties.DashboardBody);
    for (const team of TEAMS) {
      expect(body).toContain(team);
    }
  });

  test('each team has its ladder manifest, budget, anomaly monitor and usage alarms', () => {
    const params = Object.values(template.findResources('AWS::SSM::Parameter')).map((p: any) => json(p.Properties.Value));
    const budgets = Object.values(template.findResources('AWS::Budgets::Budget')).map((b) => json(b));
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => json(a));
    for (const team of TEAMS) {
      expect(params.filter((p) => p.includes(team)).length).toBeGreaterThanOrEqual(1);
      expect(budgets.filter((b) => b.includes(team)).length).toBe(1);
      expect(alarms.filter((a) => a.includes(team)).length).toBeGreaterThanOrEqual(1);
    }
  });

  test('the tag activation activates every team\'s extra tag key', () => {
    const chunks = Object.values(template.findResources('Custom::CostAllocationTagActivation'));
    const keys = chunks.flatMap((c: any) => c.Properties.TagKeys);
    for (const team of TEAMS) {
      expect(keys).toContain(`squad-${team}`);
    }
    // the principal form of the cost tag keys too (the second witness)
    expect(keys.slice(0, 6)).toEqual(['team', 'cost-center', 'environment', 'iamPrincipal/team', 'iamPrincipal/cost-center', 'iamPrincipal/environment']);
  });

  test('the chargeback and attribution queries are team-agnostic (they group by the tags AWS writes): all there', () => {
    const names = Object.values<any>(template.findResources('AWS::Athena::NamedQuery')).map((q) => q.Properties.Name);
    expect(names).toEqual(expect.arrayContaining([
      'Bedrock cost per team per month', 'Bedrock spend without a team tag',
      'Bedrock cost per team by profile tag and by principal tag', 'Bedrock cost per principal within each team', 'Bedrock cross-team use', 'Bedrock direct calls by principal',
    ]));
  });
});

test('attribution without cur2Export is an error naming the fix', () => {
  const stack = new Stack(testApp(), 'Governance', { env: ENV });
  expect(() => new BedrockGovernance(stack, 'Gov', { attribution: {} })).toThrow(
    'Governance/Gov: invalid attribution: the attribution queries read the CUR 2.0 export of this construct. Set cur2Export too, or use AttributionQueries with Cur2Export.fromExportAttributes() for an export made elsewhere');
});

describe('round-4 template changes with teams added after the dashboard and the alert topic', () => {
  const stack = new Stack(testApp(), 'Governance', { env: ENV });
  const gov = new BedrockGovernance(stack, 'Gov', { alertEmails: ['finops@example.com'], dashboard: true });
  expect(gov.dashboard).toBeDefined();
  const claude = [BedrockModel.CLAUDE_HAIKU_4_5, BedrockModel.CLAUDE_SONNET_4_5, BedrockModel.CLAUDE_OPUS_4_5];
  for (const name of TEAMS) {
    gov.addTeam(name, { costCenter: 'CC', environment: 'prod', models: claude, routing: InferenceRouting.crossRegion(CrossRegionGeo.US), monthlyBudgetUsd: 1000 });
  }
  const template = Template.fromStack(stack);
  const logicalIds = (type: string, part: string) => Object.entries(template.findResources(type))
    .filter(([, r]: [string, any]) => JSON.stringify(r.Properties.AlarmDescription ?? '').includes(part)).map(([id]) => id);

  test('each team\'s split spend alarm shows on the dashboard as its composite, without its parts', () => {
    const body = JSON.stringify(Object.values<any>(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
    for (const team of TEAMS) {
      const composites = logicalIds('AWS::CloudWatch::CompositeAlarm', `Team ${team}: estimated Bedrock spend`);
      const parts = logicalIds('AWS::CloudWatch::Alarm', `Team ${team}: estimated Bedrock spend`);
      expect([composites.length, parts.length]).toEqual([1, 2]);
      expect(body).toContain(`\${${composites[0]}.Arn}`);
      for (const part of parts) {
        expect(body).not.toContain(`\${${part}.Arn}`);
      }
    }
  });

  test('each team publishes its profile mapping as a version-2 team document', () => {
    for (const team of TEAMS) {
      const parameter = Object.values<any>(template.findResources('AWS::SSM::Parameter', { Properties: { Name: `/bedrock-governance/profile-mapping/${team}` } }));
      expect(parameter).toHaveLength(1);
      expect(parameter[0].Properties.Value['Fn::Join'][1][0]).toBe(`{"version":2,"team":"${team}","routing":"us","interactive":true,"cacheWriteTtl":"5m","profiles":[{"profile":"`);
    }
  });
});

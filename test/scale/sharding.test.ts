import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BedrockGovernance, BedrockModel, CrossRegionGeo, InferenceRouting } from '../../src';
import { renderedTemplateBytes } from '../../src/scale/private/measure';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const MODELS = [BedrockModel.NOVA_MICRO, BedrockModel.NOVA_LITE, BedrockModel.NOVA_PRO];

function buildApp(teams: number, props: Record<string, unknown> = {}, budgets = false) {
  const app = testApp();
  const stack = new Stack(app, 'Gov', { env: ENV });
  const gov = new BedrockGovernance(stack, 'Gov', { resourceBudgetPerStack: 60, profileQuota: 10000, ...props });
  for (let i = 1; i <= teams; i++) {
    gov.addTeam(`team-${i}`, {
      costCenter: `CC-${i}`,
      environment: 'prod',
      models: MODELS,
      routing: InferenceRouting.inRegion(),
      ...(budgets ? { monthlyBudgetUsd: 1000 } : {}),
    });
  }
  return { app, stack, gov };
}

/** 40 teams with budgets on the facade at its default budgets, alerting FinOps. */
function fortyBudgetedTeams() {
  const app = testApp();
  const stack = new Stack(app, 'Gov', { env: ENV });
  const gov = new BedrockGovernance(stack, 'Gov', { alertEmails: ['finops@example.com'] });
  for (let i = 1; i <= 40; i++) {
    gov.addTeam(`team-${i}`, { costCenter: 'CC', environment: 'prod', models: MODELS, monthlyBudgetUsd: 1000 });
  }
  return { app, stack, gov };
}

function resourceCount(stack: Stack): number {
  return Object.keys(Template.fromStack(stack).toJSON().Resources ?? {}).length;
}

describe('sharding', () => {
  test('teams fill the facade\'s stack up to the budget, then nested stacks; every stack stays within it', () => {
    const { stack, gov } = buildApp(40);
    expect(gov.shards.length).toBeGreaterThan(1);
    expect(gov.teams[0].node.path).toBe('Gov/Gov/team-1');
    const shardOfLast = Stack.of(gov.teams[39]);
    expect(shardOfLast).toBeInstanceOf(NestedStack);
    expect(shardOfLast.node.path).toBe(`Gov/Gov/Teams${gov.shards.length}`);
    for (const s of [stack, ...gov.shards]) {
      expect(resourceCount(s)).toBeLessThanOrEqual(60);
    }
    // every team is placed once and all profiles exist
    const profiles = [stack, ...gov.shards].reduce((n, s) => n + Object.values<any>(Template.fromStack(s).toJSON().Resources)
      .filter((r) => r.Type === 'AWS::Bedrock::ApplicationInferenceProfile').length, 0);
    expect(profiles).toBe(120);
    // each nested stack has its own dashboard of its teams; the account-wide graphs are on the main dashboard only
    expect(gov.dashboards.length).toBe(1 + gov.shards.length);
    for (const s of gov.shards) {
      Template.fromStack(s).resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    }
    const [main, ...nested] = gov.dashboards;
    // header, spend graph and table, 3 account-wide graphs, the alarm-status widget
    expect(main.widgetCount()).toBe(1 + 2 + 3 + 1);
    for (const d of nested) {
      // header, spend graph and table
      expect(d.widgetCount()).toBe(1 + 2);
    }
    const placed = gov.dashboards.reduce((n, d) => n + d.teams.length, 0);
    expect(placed).toBe(40);
  });

  test('nested stacks of teams are written without indentation unless the prop or the app\'s context says otherwise', () => {
    const templateText = (app: ReturnType<typeof testApp>, s: Stack) => fs.readFileSync(path.join(app.synth().directory, s.templateFile), 'utf8');
    const compact = buildApp(12);
    expect(compact.gov.shards.length).toBeGreaterThan(0);
    const nested = templateText(compact.app, compact.gov.shards[0]);
    expect(nested).not.toContain('\n');
    expect(JSON.parse(nested)).toEqual(Template.fromStack(compact.gov.shards[0]).toJSON());
    // the facade's own stack keeps the app's setting (indented by default)
    expect(templateText(compact.app, compact.stack)).toContain('\n "Resources": {');

    const indented = buildApp(12, { suppressNestedTemplateIndentation: false });
    expect(templateText(indented.app, indented.gov.shards[0])).toContain('\n "Resources": {');

    const app = testApp({ context: { '@aws-cdk/core:suppressTemplateIndentation': false } });
    const stack = new Stack(app, 'Gov', { env: ENV });
    const gov = new BedrockGovernance(stack, 'Gov', { resourceBudgetPerStack: 60, profileQuota: 10000 });
    for (let i = 1; i <= 12; i++) {
      gov.addTeam(`team-${i}`, { costCenter: 'CC-1', environment: 'prod', models: MODELS, routing: InferenceRouting.inRegion() });
    }
    expect(templateText(app, gov.shards[0])).toContain('\n "Resources": {');
    // placement is the same either way
    expect(indented.gov.teams.map((t) => Stack.of(t).node.path)).toEqual(compact.gov.teams.map((t) => Stack.of(t).node.path));
  });

  test('adding a team at the end replaces nothing: every earlier resource keeps its logical id and properties', () => {
    const before = buildApp(30);
    const after = buildApp(31);
    expect(after.gov.shards.length).toBeGreaterThanOrEqual(before.gov.shards.length);
    const stacksBefore = [before.stack, ...before.gov.shards];
    const stacksAfter = [after.stack, ...after.gov.shards];
    let compared = 0;
    stacksBefore.forEach((s, i) => {
      const a = Template.fromStack(s).toJSON().Resources;
      const b = Template.fromStack(stacksAfter[i]).toJSON().Resources;
      for (const [id, resource] of Object.entries<any>(a)) {
        expect(b[id]).toBeDefined();
        expect(b[id].Type).toBe(resource.Type);
        if (resource.Type === 'AWS::CloudFormation::Stack') {
          // a nested stack whose template grew gets a new TemplateURL: an update, not a replacement
          const { TemplateURL: _a, ...restA } = resource.Properties;
          const { TemplateURL: _b, ...restB } = b[id].Properties;
          expect(restB).toEqual(restA);
        } else if (resource.Type === 'AWS::CloudWatch::Dashboard') {
          // the dashboard body lists the teams: updated in place
          expect(b[id].Properties.DashboardName).toEqual(resource.Properties.DashboardName);
        } else {
          expect(b[id]).toEqual(resource);
        }
        compared++;
      }
    });
    expect(compared).toBeGreaterThan(100);
  });

  test('teams in nested stacks reach the facade\'s alert topic through a parameter', () => {
    const { app, gov } = buildApp(12, {}, true);
    expect(gov.shards.length).toBeGreaterThan(0);
    expect(() => app.synth()).not.toThrow();
    const shard = Template.fromStack(gov.shards[0]).toJSON();
    expect(Object.keys(shard.Parameters ?? {}).some((p) => /Alerts/.test(p))).toBe(true);
    expect(Object.values<any>(shard.Resources).some((r) => r.Type === 'AWS::Budgets::Budget')).toBe(true);
  });

  test('without sharding, a stack over 500 resources fails synth with the fix', () => {
    const { app } = buildApp(130, { sharding: false, resourceBudgetPerStack: 450 });
    expect(() => app.synth()).toThrow(/Gov: \d+ resources, over CloudFormation's limit of 500 per stack\. Turn sharding on \(the default\), or split the teams across several BedrockGovernance constructs in separate stacks/);
  });

  test('the profile quota counts teams x models per account and Region across the app', () => {
    const app = testApp();
    const gov1 = new BedrockGovernance(new Stack(app, 'A', { env: ENV }), 'Gov', { profileQuota: 7 });
    gov1.addTeam('a', { costCenter: 'C', environment: 'e', models: MODELS });
    const gov2 = new BedrockGovernance(new Stack(app, 'B', { env: ENV }), 'Gov', { profileQuota: 7, invocationLogging: { enabled: false } });
    gov2.addTeam('b', { costCenter: 'C', environment: 'e', models: MODELS });
    expect(() => gov2.addTeam('c', { costCenter: 'C', environment: 'e', models: MODELS.slice(0, 2) }))
      .toThrow('B/Gov: 8 application inference profiles in account 111122223333, Region us-east-1 (teams x models, across the app) exceed the profile quota of 7. Ask AWS to raise the Bedrock application inference profile quota and set profileQuota to the new value, or spread the teams across Regions or accounts');
    // another Region has its own quota
    const gov3 = new BedrockGovernance(new Stack(app, 'C', { env: { ...ENV, region: 'eu-west-1' } }), 'Gov', { profileQuota: 7 });
    expect(() => gov3.addTeam('d', { costCenter: 'C', environment: 'e', models: MODELS })).not.toThrow();
  });

  test('the default quota is 1,000', () => {
    const { gov } = buildApp(0, { profileQuota: undefined, resourceBudgetPerStack: 450 });
    for (let i = 0; i < 333; i++) {
      gov.addTeam(`t${i}`, { costCenter: 'C', environment: 'e', models: MODELS });
    }
    expect(() => gov.addTeam('t333', { costCenter: 'C', environment: 'e', models: MODELS.slice(0, 2) }))
      .toThrow(/^Gov\/Gov: 1001 application inference profiles in account 111122223333, Region us-east-1/);
  });

  test.each([
    [{ resourceBudgetPerStack: 501 }, "Gov/Gov: invalid resourceBudgetPerStack 501: the budget is a whole number of resources from 50 to 500 (CloudFormation's limit per stack). Pass e.g. 450"],
    [{ resourceBudgetPerStack: 10.5 }, "Gov/Gov: invalid resourceBudgetPerStack 10.5: the budget is a whole number of resources from 50 to 500 (CloudFormation's limit per stack). Pass e.g. 450"],
    [{ profileQuota: 0 }, 'Gov/Gov: invalid profileQuota 0: the quota is a positive whole number of profiles. Pass the quota AWS shows for your account and Region, e.g. 1000'],
  ])('bad scale props %j', (props, message) => {
    expect(() => buildApp(0, props)).toThrow(message);
  });
});

describe('sharding at the default budgets', () => {
  test('40 fully governed teams: every template under 450 resources and 800 KB as written', () => {
    const { app, gov } = fortyBudgetedTeams();
    const assembly = app.synth();
    const files = fs.readdirSync(assembly.directory).filter((f: string) => f.endsWith('.template.json'));
    expect(files.length).toBe(1 + gov.shards.length);
    expect(gov.shards.length).toBeGreaterThan(0);
    for (const f of files) {
      const text = fs.readFileSync(path.join(assembly.directory, f), 'utf8');
      expect(text.length).toBeLessThan(800_000);
      expect(Object.keys(JSON.parse(text).Resources).length).toBeLessThanOrEqual(450);
    }
  });
});

describe('placement across versions of the library', () => {
  test('the profile mapping written smaller moves no team: placement measures it as earlier versions wrote it', () => {
    const { stack, gov } = fortyBudgetedTeams();
    // where the version before the team document placed these teams (measured without the stand-in: team-38
    // would move into Teams1)
    const firstOfEachStack = gov.teams.filter((t, i) => i === 0 || Stack.of(t) !== Stack.of(gov.teams[i - 1]))
      .map((t) => `${Stack.of(t).node.path}: ${t.teamName}`);
    expect(firstOfEachStack).toEqual(['Gov: team-1', 'Gov/Gov/Teams1: team-16', 'Gov/Gov/Teams2: team-38']);
    // the parameter as placement measures it: bytes and team-name occurrences as the earlier version rendered them
    const mapping = gov.teams[0].node.findChild('ProfileMapping');
    const measured = renderedTemplateBytes(mapping, stack);
    expect([measured.bytes, measured.text.split('team-1').length - 1]).toEqual([1378, 5]);
    expect(measured.text).toContain('"Description": "Bedrock application inference profiles of team team-1, for cdk-bedrock-governance report --mapping-parameter"');
    expect(measured.text).toContain('"{\\"profiles\\":[{\\"profile\\":\\""');
    // while the template holds the team document
    const parameter = Template.fromStack(stack).findResources('AWS::SSM::Parameter', { Properties: { Name: '/bedrock-governance/profile-mapping/team-1' } });
    expect(Object.values(parameter)[0].Properties.Value['Fn::Join'][1][0]).toBe('{"version":2,"team":"team-1","routing":"in-region","interactive":true,"cacheWriteTtl":"5m","profiles":[{"profile":"');
  });
});

describe('placement counts a team\'s invokePolicy as before the guard\'s statements were joined', () => {
  /** The statement count placement estimates a team's invokePolicy from (it never renders policies) and the real one. */
  function counts(models: BedrockModel[], routing = InferenceRouting.inRegion()): { placement: number; written: number; guarded: boolean } {
    const app = testApp();
    const stack = new Stack(app, 'Gov', { env: ENV });
    const gov = new BedrockGovernance(stack, 'Gov', { dashboard: false });
    const team = gov.addTeam('team-1', { costCenter: 'CC', environment: 'prod', models, routing });
    const policy = team.invokePolicy.node.defaultChild as CfnResource;
    const written = team.invokePolicy.document.statementCount;
    return {
      placement: renderedTemplateBytes(policy, stack).bytes / 420,
      written,
      guarded: JSON.stringify(stack.resolve(team.invokePolicy.document)).includes('"Effect":"Deny"'),
    };
  }

  test('three models: the guard copy is counted with the 3 statements it no longer writes', () => {
    // 4 allow statements and the guard copy: 17 statements written, 20 before the join and the folding
    expect(counts(MODELS)).toEqual({ placement: 20, written: 17, guarded: true });
  });

  test('a team whose guard copy fits only since the join is counted without it, as before (where it did not fit)', () => {
    // four models across Regions: 5 allow statements and a guard copy that was about 300 characters too long before
    const models = [BedrockModel.NOVA_MICRO, BedrockModel.NOVA_LITE, BedrockModel.NOVA_PRO, BedrockModel.CLAUDE_HAIKU_4_5];
    const { placement, written, guarded } = counts(models, InferenceRouting.crossRegion(CrossRegionGeo.US));
    expect(guarded).toBe(true);
    expect(written).toBe(18);
    // the 5 allow statements alone, as placement counted them before: under its 3,000-byte floor for a policy
    expect(placement * 420).toBe(3000);
  });
});

describe('groups of nested stacks', () => {
  test('when the facade\'s stack has no room for another nested stack, nested stacks go into groups', () => {
    const app = testApp();
    const stack = new Stack(app, 'Gov', { env: ENV });
    const gov = new BedrockGovernance(stack, 'Gov', {
      resourceBudgetPerStack: 50, profileQuota: 10000, dashboard: false, invocationLogging: { enabled: false }, activateCostAllocationTags: false,
    });
    for (let i = 1; i <= 260; i++) {
      gov.addTeam(`team-${i}`, { costCenter: 'CC', environment: 'prod', models: MODELS });
    }
    const hosts = new Set(gov.shards.map((s) => s.node.scope!.node.id));
    expect([...hosts].some((h) => /^Group\d+$/.test(h))).toBe(true);
    expect(() => app.synth()).not.toThrow();
    const all = [stack, ...gov.shards, ...gov.shards.map((s) => Stack.of(s.node.scope!))];
    for (const s of new Set(all)) {
      expect(Object.keys(Template.fromStack(s).toJSON().Resources).length).toBeLessThanOrEqual(50);
    }
    expect(gov.teams[259].node.path).toMatch(/^Gov\/Gov\/Group\d+\/Teams\d+\/team-260$/);
  });
});

describe('placement renders nothing but one team per shape', () => {
  test('20 teams of one shape: the resources of one team are resolved while placing, not of every team', () => {
    const app = testApp();
    const stack = new Stack(app, 'Gov', { env: ENV });
    const gov = new BedrockGovernance(stack, 'Gov', { resourceBudgetPerStack: 100, profileQuota: 10000 });
    // count the resolutions placement makes (others, e.g. a team's acknowledgement ids, are not placement's)
    const original = Stack.prototype.resolve;
    let placing = 0;
    const resolve = jest.spyOn(Stack.prototype, 'resolve').mockImplementation(function (this: Stack, value: any) {
      if (/team-placement|scale[\\/]private[\\/]measure/.test(new Error().stack ?? '')) {
        placing++;
      }
      return original.call(this, value);
    });
    try {
      gov.addTeam('team-1', { costCenter: 'CC', environment: 'prod', models: MODELS, routing: InferenceRouting.inRegion(), monthlyBudgetUsd: 10 });
      gov.addTeam('team-2', { costCenter: 'CC', environment: 'prod', models: MODELS, routing: InferenceRouting.inRegion(), monthlyBudgetUsd: 10 });
      const afterFirstShape = placing;
      expect(afterFirstShape).toBeGreaterThan(0); // the first team of the shape is measured
      for (let i = 3; i <= 20; i++) {
        gov.addTeam(`team-${i}`, { costCenter: 'CC', environment: 'prod', models: MODELS, routing: InferenceRouting.inRegion(), monthlyBudgetUsd: 10 });
      }
      expect(placing).toBe(afterFirstShape);
      expect(gov.shards.length).toBeGreaterThan(0);
    } finally {
      resolve.mockRestore();
    }
  });

  test('nothing of the facade is resolved early: a tag key of a team added later is still activated', () => {
    const app = testApp();
    const stack = new Stack(app, 'Gov', { env: ENV });
    const gov = new BedrockGovernance(stack, 'Gov', {});
    gov.addTeam('team-1', { costCenter: 'CC', environment: 'prod', models: MODELS, routing: InferenceRouting.inRegion() });
    gov.addTeam('team-2', { costCenter: 'CC', environment: 'prod', models: MODELS, routing: InferenceRouting.inRegion(), extraTags: { project: 'x' } });
    gov.addTeam('team-3', { costCenter: 'CC', environment: 'prod', models: MODELS, routing: InferenceRouting.inRegion() });
    const activations = Object.values<any>(Template.fromStack(stack).findResources('Custom::CostAllocationTagActivation'));
    expect(activations.flatMap((r) => r.Properties.TagKeys)).toEqual(expect.arrayContaining(['team', 'cost-center', 'environment', 'project']));
  });
});

describe('placement measures a team as before its alarms were written lighter', () => {
  test('a three-model team with a budget: the bytes placement counts are those it counted before the short alarm ids (issue #17)', () => {
    const { gov } = buildApp(1, {}, true);
    const team = gov.teams[0];
    const stack = Stack.of(team);
    const alarms = team.node.findChild('UsageAlarms');
    // measured on the commit before the team-wide alarms' metric ids were shortened (p0_inputTokens, expr_1,
    // expressions with spaces): the same figures, so no team moves into another stack
    expect(renderedTemplateBytes(team, stack).bytes).toBe(27_722);
    expect(renderedTemplateBytes(alarms, stack).bytes).toBe(13_502);
    // while the alarms themselves are written lighter
    const written = alarms.node.findAll().filter((c): c is CfnResource => c instanceof CfnResource).reduce((n, c) => {
      const text = JSON.stringify(stack.resolve((c as any)._toCloudFormation()), undefined, 1);
      return n + text.length + (text.match(/\n/g)?.length ?? 0) * 2;
    }, 0);
    expect(written).toBeLessThan(13_502 - 500);
  });
});

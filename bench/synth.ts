/**
 * Synth benchmark: N teams x 3 models with full governance, against a plain aws-cdk-lib L1 app that writes
 * the same resources (same types, same properties, same templates), in the same process, alternating A/B.
 *
 * Usage: node_modules/.bin/tsx bench/synth.ts [teams...]        e.g. tsx bench/synth.ts 10 100 1000 5000
 *        node_modules/.bin/tsx bench/synth.ts --once 5000        one synthesis of our app only (limits check)
 *   Each N runs in its own child process (so peak RSS is per N). REPS (env) sets the repetitions (default 3;
 *   1 for N >= 5000). Prints a Markdown table.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BedrockGovernance, BedrockGovernanceChecks, BedrockModel, CrossRegionGeo, InferenceRouting } from '../src';

const ENV = { account: '111122223333', region: 'us-east-1' };
const MODELS = [BedrockModel.CLAUDE_HAIKU_4_5, BedrockModel.CLAUDE_SONNET_4_5, BedrockModel.CLAUDE_OPUS_4_5];

interface Built {
  readonly app: App;
  readonly stacks: Stack[];
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-bg-bench-'));
}

/** Our app: every team with profiles, a granted role, a budget (and its default alarms), on the facade. */
function buildOurs(teams: number): Built {
  const app = new App({ outdir: tmp(), builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Governance', { env: ENV });
  const gov = new BedrockGovernance(stack, 'Gov', {
    alertEmails: ['finops@example.com'],
    focusExport: {},
    profileQuota: 100_000,
  });
  for (let i = 0; i < teams; i++) {
    const team = gov.addTeam(`team-${i}`, {
      costCenter: `CC-${i % 97}`,
      environment: 'prod',
      models: MODELS,
      routing: InferenceRouting.crossRegion(CrossRegionGeo.US),
      monthlyBudgetUsd: 1000,
    });
    // the team's application role, in the team's own stack
    team.grantInvoke(new iam.Role(team, 'AppRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
  }
  return { app, stacks: [stack, ...gov.shards] };
}

/** The baseline: plain CfnResource copies of every resource of our templates, one plain stack per template. */
function buildBaseline(templates: any[]): Built {
  const app = new App({ outdir: tmp(), builtinCloudFormationValidation: false });
  const stacks: Stack[] = [];
  templates.forEach((template, i) => {
    const stack = new Stack(app, `Baseline${i}`, { env: ENV });
    for (const [id, resource] of Object.entries<any>(template.Resources ?? {})) {
      new CfnResource(stack, id, { type: resource.Type, properties: resource.Properties });
    }
    stacks.push(stack);
  });
  return { app, stacks };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(teams: number, reps: number): Record<string, number | string> {
  // shape of our app, once
  const probe = buildOurs(teams);
  const assembly = probe.app.synth();
  const templates = probe.stacks.map((s) => {
    const artifactFile = s instanceof NestedStack
      ? path.join(assembly.directory, (s as NestedStack).templateFile)
      : path.join(assembly.directory, s.templateFile);
    return JSON.parse(fs.readFileSync(artifactFile, 'utf8'));
  });
  const counts = templates.map((t) => Object.keys(t.Resources ?? {}).length);
  const bytes = probe.stacks.map((s) => fs.statSync(path.join(assembly.directory, s.templateFile)).size);
  const resources = counts.reduce((a, b) => a + b, 0);

  const oursMs: number[] = [];
  const baseMs: number[] = [];
  for (let r = 0; r < reps; r++) {
    // A then B, alternating
    let t = process.hrtime.bigint();
    buildOurs(teams).app.synth();
    oursMs.push(Number(process.hrtime.bigint() - t) / 1e6);
    const baseline = buildBaseline(templates);
    t = process.hrtime.bigint();
    baseline.app.synth();
    baseMs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  // the baseline's construction time is not synth: measure build + synth of the baseline too
  const baseBuildMs: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = process.hrtime.bigint();
    buildBaseline(templates).app.synth();
    baseBuildMs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }

  // nag packs on our app (validateScope returns the report without throwing)
  const nagApp = buildOurs(teams).app;
  const ourPackMs: number[] = [];
  const awsPackMs: number[] = [];
  let ourFindings = 0;
  for (let r = 0; r < reps; r++) {
    let t = process.hrtime.bigint();
    const ours = new BedrockGovernanceChecks().validateScope(nagApp);
    ourPackMs.push(Number(process.hrtime.bigint() - t) / 1e6);
    ourFindings = ours.violations.reduce((n, v) => n + v.violatingResources.length, 0);
    t = process.hrtime.bigint();
    new AwsSolutionsChecks().validateScope(nagApp);
    awsPackMs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }

  return {
    teams,
    resources,
    stacks: counts.length,
    maxResourcesPerStack: Math.max(...counts),
    largestTemplateBytes: Math.max(...bytes),
    oursMs: Math.round(median(oursMs)),
    baselineMs: Math.round(median(baseBuildMs)),
    baselineSynthOnlyMs: Math.round(median(baseMs)),
    ratio: Number((median(oursMs) / median(baseBuildMs)).toFixed(2)),
    ourPackUsPerResource: Number((median(ourPackMs) * 1000 / resources).toFixed(1)),
    awsSolutionsUsPerResource: Number((median(awsPackMs) * 1000 / resources).toFixed(1)),
    ourPackFindings: ourFindings,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

/** One synthesis of our app only: stacks, resources and template sizes, time and peak RSS. */
function once(teams: number): void {
  const t = process.hrtime.bigint();
  const built = buildOurs(teams);
  const assembly = built.app.synth();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const files = fs.readdirSync(assembly.directory).filter((f) => f.endsWith('.template.json'));
  let resources = 0;
  let maxResources = 0;
  let maxBytes = 0;
  for (const f of files) {
    const text = fs.readFileSync(path.join(assembly.directory, f), 'utf8');
    const count = Object.keys(JSON.parse(text).Resources ?? {}).length;
    resources += count;
    maxResources = Math.max(maxResources, count);
    maxBytes = Math.max(maxBytes, Buffer.byteLength(text));
  }
  console.log(JSON.stringify({
    teams,
    templates: files.length,
    resources,
    maxResourcesPerTemplate: maxResources,
    largestTemplateBytes: maxBytes,
    buildAndSynthMs: Math.round(ms),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }));
}

function main(): void {
  const [, , mode, arg] = process.argv;
  if (mode === '--once') {
    once(Number(arg));
    return;
  }
  if (mode === '--child') {
    const teams = Number(arg);
    const reps = Number(process.env.REPS ?? (teams >= 5000 ? 1 : 3));
    process.stdout.write(JSON.stringify(measure(teams, reps)));
    return;
  }
  const sizes = process.argv.slice(2).map(Number);
  const rows: Array<Record<string, number | string>> = [];
  for (const teams of sizes.length ? sizes : [10, 100, 1000]) {
    const out = execFileSync(process.execPath, [...process.execArgv, __filename, '--child', String(teams)], {
      encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: process.env,
    });
    const row = JSON.parse(out);
    rows.push(row);
    console.error(`measured ${teams} teams`);
  }
  console.log(`Machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  console.log('| teams | resources | stacks | max resources/stack | largest template (bytes) | synth ms ours | synth ms baseline | ratio | our pack µs/resource | AwsSolutions µs/resource | our pack findings | peak RSS MB |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.teams} | ${r.resources} | ${r.stacks} | ${r.maxResourcesPerStack} | ${r.largestTemplateBytes} | ${r.oursMs} | ${r.baselineMs} | ${r.ratio} | ${r.ourPackUsPerResource} | ${r.awsSolutionsUsPerResource} | ${r.ourPackFindings} | ${r.peakRssMb} |`);
  }
}

main();

/**
 * Synth benchmark: N teams x 3 models with full governance (bench/governed-app.ts) against the fair baseline
 * (bench/fair-baseline.ts: typed L1s - CfnRole, CfnAlarm, CfnDashboard... - at the same construct paths with the same
 * Ref/GetAtt tokens, token-string dashboard bodies and the same nested-stack layout, whose templates are checked
 * byte-identical to ours in every run).
 *
 * Usage: node_modules/.bin/tsx bench/synth.ts [--write] [teams...]     e.g. tsx bench/synth.ts 10 100 300
 *        node_modules/.bin/tsx bench/synth.ts --once <ours|fair> N     one synthesis in this process (RSS)
 *        node_modules/.bin/tsx bench/synth.ts --packs [teams...]      the rule-pack comparison alone (REPS, default 5)
 *   - CPU time (process.cpuUsage, user + system) of build + synth, ours and the baseline alternating in pairs
 *     (the order flips every pair), medians of REPS pairs (env, default 3) and the median of the paired ratios.
 *   - Peak RSS of ONE synthesis per process (a child per app and N), so nothing else is kept alive.
 *   - Both rule packs on the same governed app, per resource, cold (first run on a fresh app) and warm (again); the
 *     packs take turns at going first, a fresh app each, medians of REPS runs.
 *   - MEMORY_FLAGS (env) passes node flags to the RSS children (e.g. --max-old-space-size=512); BENCH_TREE_METADATA=0,
 *     BENCH_STACK_TRACES=0 turn those off in the governed app; BENCH_CREATION_STACK_TRACES=1|0 overrides the facade's
 *     creation stack traces (off by default) with the app's context; BENCH_FAIR_CREATION_STACK_TRACES=0 turns them off
 *     in the fair baseline too (aws-cdk-lib's default: on). bench/memory.ts runs these; docs/PERFORMANCE.md, Memory.
 *   --write stores the rows in bench/results.json and regenerates the table in docs/PERFORMANCE.md.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildBaseline, BaselinePlan, compileBaseline, loadBaselineClasses, verifyIdentical } from './fair-baseline';
import { benchOutdir, buildGovernedApp } from './governed-app';
import { BenchRow, writePerformanceDoc } from '../scripts/render-performance-table';
import { BedrockGovernanceChecks } from '../src';

const gc: () => void = (global as any).gc ?? (() => undefined);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** CPU milliseconds (user + system) a function takes. */
function cpuMs(fn: () => void): number {
  gc();
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function rmrf(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

function planFile(teams: number): string {
  return path.join(os.tmpdir(), `cdk-bg-bench-plan-${teams}.json`);
}

function measure(teams: number, reps: number): Omit<BenchRow, 'peakRssMbOurs' | 'peakRssMbFair'> {
  // shape of our app, once; the baseline is compiled from it and must write the same templates
  const probeDir = benchOutdir();
  const probe = buildGovernedApp(teams, probeDir).app;
  const assembly = probe.synth();
  const plan = compileBaseline(probe, assembly);
  const checkDir = benchOutdir();
  buildBaseline(plan, checkDir, fairOptions()).synth();
  const problems = verifyIdentical(plan, assembly.directory, checkDir);
  if (problems.length > 0) {
    throw new Error(`the baseline's templates differ from ours:\n${problems.join('\n')}`);
  }
  rmrf(checkDir);
  fs.writeFileSync(planFile(teams), JSON.stringify(plan));
  const sizes = plan.stacks.map((s) => fs.statSync(path.join(assembly.directory, s.file)).size);
  const counts = plan.stacks.map((s) => Object.keys(s.template.Resources ?? {}).length);
  const resources = counts.reduce((a, b) => a + b, 0);
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  rmrf(probeDir);

  const ours: number[] = [];
  const fair: number[] = [];
  const ratios: number[] = [];
  const runOurs = () => {
    const dir = benchOutdir();
    const ms = cpuMs(() => buildGovernedApp(teams, dir).app.synth());
    rmrf(dir);
    return ms;
  };
  const runFair = (p: BaselinePlan) => {
    const dir = benchOutdir();
    const ms = cpuMs(() => buildBaseline(p, dir, fairOptions()).synth());
    rmrf(dir);
    return ms;
  };
  for (let r = 0; r < reps; r++) {
    let a: number;
    let b: number;
    if (r % 2 === 0) {
      a = runOurs();
      b = runFair(plan);
    } else {
      b = runFair(plan);
      a = runOurs();
    }
    ours.push(a);
    fair.push(b);
    ratios.push(a / b);
  }

  const { ours: ourPack, aws: awsPack } = comparePacks(teams, reps, resources);

  return {
    teams,
    resources,
    templates: counts.length,
    maxResourcesPerTemplate: Math.max(...counts),
    maxTemplateBytes: Math.max(...sizes),
    bytesPerTeam: Math.round(totalBytes / teams),
    oursCpuMs: Math.round(median(ours)),
    fairCpuMs: Math.round(median(fair)),
    ratio: Number(median(ratios).toFixed(2)),
    ourPackUsPerResourceCold: Number(ourPack.cold.toFixed(1)),
    ourPackUsPerResourceWarm: Number(ourPack.warm.toFixed(1)),
    awsSolutionsUsPerResourceCold: Number(awsPack.cold.toFixed(1)),
    awsSolutionsUsPerResourceWarm: Number(awsPack.warm.toFixed(1)),
    ourPackFindings: ourPack.findings,
    reps,
  };
}

/**
 * Both rule packs on the same governed app (built, not synthesized: cdk-nag 3 walks the construct tree), each on a
 * fresh app per repetition, taking turns at going first (as the synthesis pairs do), so neither always runs on code
 * the other has warmed: medians of cold (the first run on the app) and warm (a second run) CPU, per resource.
 */
function comparePacks(teams: number, reps: number, resources: number) {
  const packRun = (make: () => { validateScope(scope: any): any }) => {
    const dir = benchOutdir();
    const app = buildGovernedApp(teams, dir).app;
    const cold = cpuMs(() => make().validateScope(app));
    let report: any;
    const warm = cpuMs(() => {
      report = make().validateScope(app);
    });
    rmrf(dir);
    return { cold, warm, findings: report.violations.reduce((n: number, v: any) => n + v.violatingResources.length, 0) };
  };
  const runs = { ours: [] as Array<ReturnType<typeof packRun>>, aws: [] as Array<ReturnType<typeof packRun>> };
  for (let r = 0; r < reps; r++) {
    const runOurPack = () => runs.ours.push(packRun(() => new BedrockGovernanceChecks()));
    const runAwsPack = () => runs.aws.push(packRun(() => new AwsSolutionsChecks()));
    if (r % 2 === 0) {
      runOurPack();
      runAwsPack();
    } else {
      runAwsPack();
      runOurPack();
    }
  }
  const summary = (list: Array<ReturnType<typeof packRun>>) => ({
    cold: median(list.map((run) => run.cold)) * 1000 / resources,
    warm: median(list.map((run) => run.warm)) * 1000 / resources,
    findings: list[list.length - 1].findings,
  });
  return { ours: summary(runs.ours), aws: summary(runs.aws) };
}

/** `--packs N`: the rule-pack comparison alone (more repetitions in the time of one synthesis row). */
function packsOnly(teams: number, reps: number): void {
  const resources = buildGovernedApp(teams).app.node.findAll().filter((c) => CfnResource.isCfnResource(c)).length;
  const { ours, aws } = comparePacks(teams, reps, resources);
  const round = (n: number) => Number(n.toFixed(1));
  console.log(JSON.stringify({
    teams,
    resources,
    reps,
    ourPackUsPerResourceCold: round(ours.cold),
    ourPackUsPerResourceWarm: round(ours.warm),
    awsSolutionsUsPerResourceCold: round(aws.cold),
    awsSolutionsUsPerResourceWarm: round(aws.warm),
    ourPackFindings: ours.findings,
  }));
}

/** An on/off setting from the environment: '1' on, '0' off, unset the default. */
function envFlag(name: string): boolean | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value !== '0';
}

/** The fair baseline's creation stack traces: aws-cdk-lib's default (on) unless BENCH_FAIR_CREATION_STACK_TRACES=0. */
function fairOptions(): { creationStackTraces?: boolean } {
  return { creationStackTraces: envFlag('BENCH_FAIR_CREATION_STACK_TRACES') };
}

/** One synthesis of one app in this process: CPU ms and peak RSS. */
function once(which: string, teams: number): void {
  const dir = benchOutdir();
  let ms: number;
  if (which === 'fair') {
    const plan: BaselinePlan = JSON.parse(fs.readFileSync(planFile(teams), 'utf8'));
    loadBaselineClasses(plan); // the modules of the typed L1s, loaded before the clock starts (ours imports its own)
    ms = cpuMs(() => buildBaseline(plan, dir, fairOptions()).synth());
  } else {
    ms = cpuMs(() => buildGovernedApp(teams, dir, {
      treeMetadata: process.env.BENCH_TREE_METADATA !== '0',
      stackTraces: process.env.BENCH_STACK_TRACES !== '0',
      creationStackTraces: envFlag('BENCH_CREATION_STACK_TRACES'),
    }).app.synth());
  }
  rmrf(dir);
  const heapMb = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify({ which, teams, cpuMs: Math.round(ms), peakRssMb, heapUsedAfterMb: heapMb }));
}

function child(args: string[], flags: string[] = []): string {
  return execFileSync(process.execPath, [...flags, ...process.execArgv, __filename, ...args], {
    encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: process.env, stdio: ['ignore', 'pipe', 'inherit'],
  });
}

function main(): void {
  const argv = process.argv.slice(2);
  if (argv[0] === '--once') {
    once(argv[1], Number(argv[2]));
    return;
  }
  if (argv[0] === '--packs') {
    // one child per size, with gc exposed (a gc() before each measured run)
    for (const teams of argv.slice(1).map(Number)) {
      process.stdout.write(child(['--packs-child', String(teams)], ['--expose-gc']));
    }
    return;
  }
  if (argv[0] === '--packs-child') {
    packsOnly(Number(argv[1]), Number(process.env.REPS ?? 5));
    return;
  }
  if (argv[0] === '--child') {
    const teams = Number(argv[1]);
    process.stdout.write(JSON.stringify(measure(teams, Number(process.env.REPS ?? 3))));
    return;
  }
  const write = argv.includes('--write');
  const sizes = argv.filter((a) => a !== '--write').map(Number);
  const memoryFlags = (process.env.MEMORY_FLAGS ?? '').split(' ').filter(Boolean);
  const rows: BenchRow[] = [];
  for (const teams of sizes.length ? sizes : [10, 100, 300]) {
    const row = JSON.parse(child(['--child', String(teams)], ['--expose-gc']));
    const rss = (which: string) => JSON.parse(child(['--once', which, String(teams)], memoryFlags)).peakRssMb;
    rows.push({ ...row, peakRssMbOurs: rss('ours'), peakRssMbFair: rss('fair') });
    fs.rmSync(planFile(teams), { force: true });
    console.error(`measured ${teams} teams`);
  }
  const machine = `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  console.log(JSON.stringify({ machine, rows }, undefined, 1));
  if (write) {
    writePerformanceDoc({ machine, date: new Date().toISOString().slice(0, 10), rows });
    console.error('bench/results.json and docs/PERFORMANCE.md updated');
  }
}

main();

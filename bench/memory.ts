/**
 * Peak RSS and CPU of ONE synthesis of the governed app (bench/governed-app.ts) per process, under the settings a
 * user can change: defaults (the facade records no creation stack traces); creation stack traces on (aws-cdk-lib's
 * default, `creationStackTraces: true`); tree.json and metadata stack traces off (App `treeMetadata: false`,
 * `stackTraces: false`); V8's old-space cap (`--max-old-space-size`); and those together. Prints a Markdown table
 * (docs/PERFORMANCE.md, Memory).
 *
 * Usage: node_modules/.bin/tsx bench/memory.ts [teams...]       e.g. tsx bench/memory.ts 1000 5000
 *        REPS=2 to repeat each cell (medians); SETTINGS=0,3,5 to run only those rows (by index, in the order below)
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

interface Setting {
  readonly name: string;
  readonly env: Record<string, string>;
  readonly flags: string[];
}

const SETTINGS: Setting[] = [
  { name: 'defaults (the facade records no creation stack traces)', env: {}, flags: [] },
  { name: 'creation stack traces on (`creationStackTraces: true`, aws-cdk-lib\'s own default)', env: { BENCH_CREATION_STACK_TRACES: '1' }, flags: [] },
  { name: 'defaults and `treeMetadata: false`, `stackTraces: false` (App props)', env: { BENCH_TREE_METADATA: '0', BENCH_STACK_TRACES: '0' }, flags: [] },
];

function oldSpaceCap(teams: number): number {
  // about what the live heap needs (measured: ~0.27 MB per team) plus room, rounded to 128 MB
  return Math.max(256, Math.ceil((teams * 0.35 + 128) / 128) * 128);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
}

function once(teams: number, setting: Setting): { peakRssMb: number; cpuMs: number } {
  const out = execFileSync(process.execPath, [...setting.flags, ...process.execArgv, path.join(__dirname, 'synth.ts'), '--once', 'ours', String(teams)], {
    encoding: 'utf8', env: { ...process.env, ...setting.env }, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

function main(): void {
  const sizes = process.argv.slice(2).map(Number);
  const reps = Number(process.env.REPS ?? 1);
  console.log('| teams | settings | peak RSS MB | CPU ms |');
  console.log('|---|---|---|---|');
  for (const teams of sizes.length ? sizes : [1000]) {
    const cap = oldSpaceCap(teams);
    const settings: Setting[] = [
      ...SETTINGS,
      { name: `defaults and \`--max-old-space-size=${cap}\``, env: {}, flags: [`--max-old-space-size=${cap}`] },
      { name: `defaults, tree metadata and stack traces off, \`--max-old-space-size=${cap}\``, env: SETTINGS[2].env, flags: [`--max-old-space-size=${cap}`] },
    ];
    const only = process.env.SETTINGS?.split(',').map(Number);
    for (const setting of settings.filter((_, i) => !only || only.includes(i))) {
      const runs = Array.from({ length: reps }, () => once(teams, setting));
      console.log(`| ${teams.toLocaleString('en-US')} | ${setting.name} | ${median(runs.map((r) => r.peakRssMb))} | ${median(runs.map((r) => r.cpuMs)).toLocaleString('en-US')} |`);
    }
  }
}

main();

/**
 * Writes two cloud assemblies to compare templates before and after a change: the quickstart example and a
 * 40-team facade (bench/governed-app.ts: 3 models, budgets, alarms, dashboards, sharded into nested stacks).
 *
 * Usage: node_modules/.bin/tsx bench/assemblies.ts <outdir>      then  diff -r <before> <after>
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { buildGovernedApp } from './governed-app';

function main(): void {
  const out = process.argv[2];
  if (!out) {
    throw new Error('usage: tsx bench/assemblies.ts <outdir>');
  }
  fs.rmSync(out, { recursive: true, force: true });
  // the quickstart is a CDK app script (the README's app): it synthesizes itself into CDK_OUTDIR on exit
  execFileSync(path.join('node_modules', '.bin', 'tsx'), [path.join('examples', 'quickstart.ts')], {
    env: { ...process.env, CDK_OUTDIR: path.join(out, 'quickstart') },
    stdio: 'inherit',
  });

  buildGovernedApp(40, path.join(out, 'teams40')).app.synth();
  for (const dir of ['quickstart', 'teams40']) {
    const files = fs.readdirSync(path.join(out, dir)).filter((f) => f.endsWith('.template.json'));
    const bytes = files.map((f) => fs.statSync(path.join(out, dir, f)).size);
    console.log(`${dir}: ${files.length} templates, ${bytes.reduce((a, b) => a + b, 0)} bytes (largest ${Math.max(...bytes)})`);
  }
}

main();

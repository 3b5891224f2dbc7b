/**
 * Runs a CDK app file the way the CDK CLI does (`tsx <file>` with CDK_OUTDIR set, so the app synthesizes itself
 * when the process ends) and reads what it wrote: the exit status, the output and the validation report.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..');

/** One finding of a validation plugin, as `<plugin> <rule> <construct path>`. */
export interface AppRun {
  readonly status: number | null;
  readonly output: string;
  /** Unacknowledged findings, one `<plugin> <rule> <construct path>` line each. */
  readonly findings: string[];
  /** Acknowledged findings, one `<plugin> <rule> <construct path> (<acknowledged id>: <reason>)` line each. */
  readonly acknowledged: string[];
  readonly outdir: string;
}

export function runApp(file: string, outdir: string): AppRun {
  const result = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [file], {
    cwd: ROOT,
    encoding: 'utf8',
    // NODE_PATH: an app written outside the repository resolves aws-cdk-lib and cdk-nag from its node_modules.
    env: { ...process.env, CDK_OUTDIR: outdir, NODE_PATH: path.join(ROOT, 'node_modules'), CDK_DISABLE_CLI_TELEMETRY: 'true' },
    timeout: 180_000,
  });
  const reportFile = path.join(outdir, 'validation-report.json');
  const report = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf8')) : { pluginReports: [] };
  const findings: string[] = [];
  const acknowledged: string[] = [];
  for (const plugin of report.pluginReports ?? []) {
    for (const v of plugin.violations ?? []) {
      for (const c of v.violatingConstructs ?? [{ constructPath: '' }]) {
        findings.push(`${plugin.pluginName} ${v.ruleName} ${c.constructPath}`);
      }
    }
    for (const v of plugin.suppressedViolations ?? []) {
      for (const c of v.violatingConstructs ?? [{ constructPath: '' }]) {
        acknowledged.push(`${plugin.pluginName} ${v.ruleName} ${c.constructPath} (${v.acknowledgedId}: ${v.reason})`);
      }
    }
  }
  return { status: result.status, output: `${result.stdout}\n${result.stderr}`, findings: [...new Set(findings)].sort(), acknowledged: [...new Set(acknowledged)].sort(), outdir };
}

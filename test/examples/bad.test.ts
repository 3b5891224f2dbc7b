import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createBadApp } from '../../examples/bad';
import { BedrockGovernanceChecks } from '../../src';

const ROOT = path.join(__dirname, '..', '..');

describe('examples/bad.ts', () => {
  test('in process: the pack reports direct model access, the missing cost tags and the missing logging', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-bg-bad-'));
    try {
      const app = createBadApp({ outdir, builtinCloudFormationValidation: false });
      const report = new BedrockGovernanceChecks().validateScope(app);
      const findings = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`)).sort();
      expect(findings).toEqual([
        'BedrockGovernance-IAM1[Resource::*] Ungoverned/ApiRole/DefaultPolicy/Resource',
        'BedrockGovernance-LOG1 Ungoverned/ApiRole/DefaultPolicy/Resource',
        'BedrockGovernance-LOG1 Ungoverned/SharedProfile',
        'BedrockGovernance-TAG1[Tag::cost-center] Ungoverned/SharedProfile',
        'BedrockGovernance-TAG1[Tag::environment] Ungoverned/SharedProfile',
        'BedrockGovernance-TAG1[Tag::team] Ungoverned/SharedProfile',
      ]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('through the real CDK CLI: `cdk synth` exits non-zero and prints the findings', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-bg-bad-cli-'));
    try {
      const result = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'cdk'), [
        'synth', '--no-notices', '--quiet',
        '--app', `${path.join(ROOT, 'node_modules', '.bin', 'tsx')} ${path.join(ROOT, 'examples', 'bad.ts')}`,
        '--output', outdir,
      ], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CI: 'true' }, timeout: 120_000 });
      const output = `${result.stdout}\n${result.stderr}`;
      expect(result.status).not.toBe(0);
      expect(output).toContain('BedrockGovernance-IAM1[Resource::*]');
      expect(output).toContain('BedrockGovernance-TAG1[Tag::team]');
      expect(output).toContain('BedrockGovernance-LOG1');
      expect(output).toContain('Ungoverned/ApiRole/DefaultPolicy/Resource');
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

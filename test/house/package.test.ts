import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

describe('the npm package', () => {
  test('ships the library and the bundled handlers, not rosetta/, docs/, examples/ or the unbundled handlers', () => {
    const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(result.status).toBe(0);
    const files: string[] = JSON.parse(result.stdout)[0].files.map((f: { path: string }) => f.path);
    const unwanted = files.filter((f) => /^(rosetta|docs|examples|bench|scripts|test|src)\//.test(f) || /^lib\/.*\/handlers\//.test(f));
    expect(unwanted).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));
    // after a build (CI compiles before it tests): the compiled library and the minified bundles are in
    if (fs.existsSync(path.join(ROOT, 'lib', 'index.js'))) {
      expect(files).toEqual(expect.arrayContaining(['lib/index.js', 'lib/audit/bin.js', '.jsii']));
      expect(fs.existsSync(path.join(ROOT, 'lib', 'audit', 'handlers'))).toBe(true); // tsc emits them; the package leaves them out
    }
    if (fs.existsSync(path.join(ROOT, 'assets', 'waste-audit', 'index.js'))) {
      expect(files).toContain('assets/waste-audit/index.js');
    }
  });
});

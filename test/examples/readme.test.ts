import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT, runApp } from './run-app';

const PACKAGE = 'cdk-bedrock-governance';
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const REPOSITORY = 'https://github.com/cdk-bedrock-governance/cdk-bedrock-governance';

interface Block { readonly info: string; readonly code: string }

function codeBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const fence = /^```([^\n]*)\n([\s\S]*?)^```$/gm;
  for (let m = fence.exec(markdown); m; m = fence.exec(markdown)) {
    blocks.push({ info: m[1].trim(), code: m[2] });
  }
  return blocks;
}

/** Every TypeScript block of the README that builds an app. */
const APP_BLOCKS = codeBlocks(README).filter((b) => /^(ts|typescript)\b/.test(b.info) && /new App\(/.test(b.code));

/** examples/quickstart.ts between its markers, spelled as a user of the package would. */
function quickstartAsPublished(): string {
  const source = fs.readFileSync(path.join(ROOT, 'examples', 'quickstart.ts'), 'utf8');
  const inner = source.split('// README:begin\n')[1]?.split('// README:end\n')[0];
  if (inner === undefined) {
    throw new Error('examples/quickstart.ts has no README:begin ... README:end markers');
  }
  return inner.replace(/from '\.\.\/src';/g, `from '${PACKAGE}';`);
}

/** The block as a file that runs from a temporary directory: only the library's module specifier changes. */
function writeApp(code: string, dir: string): string {
  expect(code).toContain(`from '${PACKAGE}';`);
  const file = path.join(dir, 'app.ts');
  fs.writeFileSync(file, code.split(`from '${PACKAGE}';`).join(`from '${path.join(ROOT, 'src')}';`));
  return file;
}

describe('README.md', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-bg-readme-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('its app is examples/quickstart.ts (between the markers), and it comes first', () => {
    expect(APP_BLOCKS.length).toBeGreaterThanOrEqual(1);
    expect(APP_BLOCKS[0].code).toBe(quickstartAsPublished());
    const firstTs = codeBlocks(README).find((b) => /^(ts|typescript)\b/.test(b.info));
    expect(firstTs?.code).toBe(APP_BLOCKS[0].code);
  });

  test('says how to install the package with its peer dependencies', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const install = codeBlocks(README).find((b) => b.code.startsWith(`npm install ${PACKAGE} `));
    expect(install).toBeDefined();
    for (const [name, range] of Object.entries<string>(pkg.peerDependencies)) {
      if (!(pkg.peerDependenciesMeta?.[name]?.optional)) {
        expect(install!.code).toContain(`${name}@${range}`);
      }
    }
  });

  test.each(APP_BLOCKS.map((b, i) => [i, b.code] as const))(
    'app block %i synthesizes as written with its rule packs: zero findings', (i, code) => {
      const dir = fs.mkdtempSync(path.join(tmp, `app${i}-`));
      const run = runApp(writeApp(code, dir), path.join(dir, 'cdk.out'));
      expect({ status: run.status, findings: run.findings }).toEqual({ status: 0, findings: [] });
      expect(fs.existsSync(path.join(dir, 'cdk.out', 'manifest.json'))).toBe(true);
    });

  test('the app\'s packs really run: without its acknowledgement and one budget, both packs fail the synth', () => {
    // a non-streaming grant from the interactive team goes inline, so the routing wildcard sits on the role's DefaultPolicy
    const mutated = APP_BLOCKS[0].code
      .replace('search.grantInvoke(searchApi);', 'search.grantInvoke(searchApi, { streaming: false });')
      .replace('search.acknowledgeGrantWildcards(searchApi);\n', '')
      .replace('  monthlyBudgetUsd: 800,\n', '');
    expect(mutated).not.toBe(APP_BLOCKS[0].code);
    const dir = fs.mkdtempSync(path.join(tmp, 'mutated-'));
    const run = runApp(writeApp(mutated, dir), path.join(dir, 'cdk.out'));
    expect(run.status).not.toBe(0);
    expect(run.findings).toEqual(expect.arrayContaining([
      expect.stringMatching(/^AwsSolutions AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:bedrock:\*::foundation-model\/.*\] Governance\/SearchApiRole\/DefaultPolicy\/Resource$/),
      expect.stringMatching(/^BedrockGovernance BedrockGovernance-BUD1.* Governance\/Gov\/support\//),
    ]));
  });

  test('links to repository files are absolute URLs to files that exist (the npm package ships neither docs/ nor examples/)', () => {
    const links = [...README.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    const relative = links.filter((l) => !/^(https?:|#|mailto:)/.test(l));
    expect(relative).toEqual([]);
    // docs/PERFORMANCE.md is written by the performance work (issue 17), merged beside this README.
    const writtenElsewhere = new Set(['docs/PERFORMANCE.md']);
    const missing = links
      .filter((l) => l.startsWith(`${REPOSITORY}/blob/main/`))
      .map((l) => l.slice(`${REPOSITORY}/blob/main/`.length).split('#')[0])
      .filter((file) => !writtenElsewhere.has(file) && !fs.existsSync(path.join(ROOT, file)));
    expect(missing).toEqual([]);
  });

  test('stays a front page: at most 25 KB, no Performance section', () => {
    expect(Buffer.byteLength(README)).toBeLessThanOrEqual(25 * 1024);
    expect(README).not.toMatch(/^## Performance/m);
  });
});

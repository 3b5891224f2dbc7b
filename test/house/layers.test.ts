import * as fs from 'fs';
import * as path from 'path';
import { loadESLint } from 'eslint';
import { AREAS_WITH_PRIVATE, FACADE_FILES, LAYERS } from '../../projenrc/layers';

const ROOT = path.resolve(__dirname, '..', '..');

/** The project's own eslintrc (projen writes a comment line above the JSON). */
function eslintrc(): any {
  const text = fs.readFileSync(path.join(ROOT, '.eslintrc.json'), 'utf8');
  return JSON.parse(text.split('\n').filter((line) => !line.startsWith('//')).join('\n'));
}

/**
 * Lint a file that does not exist with the layer rule exactly as .eslintrc.json configures it (the
 * type-aware rules are left out: they need the file in the TypeScript program).
 */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const config = eslintrc();
  const ESLint = await loadESLint({ useFlatConfig: false });
  const eslint = new ESLint({
    cwd: ROOT,
    useEslintrc: false,
    overrideConfig: {
      parser: '@typescript-eslint/parser',
      parserOptions: { ecmaVersion: 2022, sourceType: 'module' },
      plugins: ['import'],
      settings: config.settings,
      rules: { 'import/no-restricted-paths': config.rules['import/no-restricted-paths'] },
    },
  } as any);
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result.messages.map((m: any) => `${m.ruleId}: ${m.message}`);
}

describe('the layer rule (import/no-restricted-paths from projenrc/layers.ts)', () => {
  test('every folder of src/ is in exactly one layer, and the facade files are the only files at its top', () => {
    const srcDir = path.join(ROOT, 'src');
    const folders = fs.readdirSync(srcDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect([...LAYERS.flat()].sort()).toEqual(folders);
    const files = fs.readdirSync(srcDir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name).sort();
    expect(files).toEqual([...FACADE_FILES].sort());
    for (const area of folders) {
      expect(fs.existsSync(path.join(srcDir, area, 'private'))).toBe(AREAS_WITH_PRIVATE.includes(area));
    }
  });

  test.each([
    ['src/models/up.ts', "import { CostTags } from '../tags/cost-tags';", 'models'],
    ['src/tags/up.ts', "import { GovernanceValidationError } from '../private/errors';", 'tags'],
    ['src/profiles/up.ts', "import type { Team } from '../teams/team';", 'profiles'],
    ['src/teams/up.ts', "import { DirectInvocationGuard } from '../access/direct-invocation-guard';", 'teams'],
    ['src/budgets/up.ts', "import { TeamPlacement } from '../scale/team-placement';", 'logging/billing/budgets/monitoring/audit/nag'],
    ['src/scale/up.ts', "import { BedrockGovernance } from '../governance';", 'scale'],
  ])('%s reaching up is an error: %s', async (file, code, layer) => {
    const errors = await layerErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('import/no-restricted-paths: Unexpected path');
    expect(errors[0]).toContain(`layer '${layer}' may not import a higher layer`);
  });

  test("another area's private folder is an error, the area's own is not", async () => {
    expect(await layerErrors('src/audit/peek.ts', "import { globCovers } from '../nag/private/glob';")).toEqual([
      expect.stringContaining('src/nag/private/ is importable only from src/nag/'),
    ]);
    expect(await layerErrors('src/governance-props.ts', "import { templateBytes } from './scale/private/measure';")).toEqual([
      expect.stringContaining('src/scale/private/ is importable only from src/scale/'),
    ]);
    expect(await layerErrors('src/nag/rules/own.ts', "import { globCovers } from '../private/glob';")).toEqual([]);
  });

  test('imports down the layers and across one layer are allowed', async () => {
    expect(await layerErrors('src/teams/down.ts', "import { TeamInferenceProfile } from '../profiles/team-inference-profile';\nimport { CostTags } from '../tags/cost-tags';")).toEqual([]);
    expect(await layerErrors('src/audit/across.ts', "import { FocusExport } from '../billing/focus-export';")).toEqual([]);
    expect(await layerErrors('src/governance.ts', "import { TeamPlacement } from './scale/team-placement';")).toEqual([]);
  });
});

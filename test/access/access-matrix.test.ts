import * as fs from 'fs';
import * as path from 'path';
import { Cell, FormApp, Kind, runMatrix, renderMatrix } from './matrix';
import { cleanupOutdirs } from '../helpers/cfn';

afterAll(cleanupOutdirs);

describe('the IAM access matrix of the direct-invocation guard', () => {
  let cells: Cell[];
  let scpLength: number;
  let apps: FormApp[];

  beforeAll(async () => {
    ({ cells, scpLength, apps } = await runMatrix());
  }, 120_000);

  test('the principals granted with alpha.grantInvoke() are evaluated with alpha\'s attached invokePolicy, and hold no invoke statement of their own', () => {
    for (const app of apps) {
      for (const kind of ['grantInvoke role', 'IAM user', 'batch submitter'] as Kind[]) {
        const policies = app.principals[kind].policies.identityPolicies;
        expect(policies.map((p) => p.name)).toContainEqual(expect.stringMatching(/^GovalphaInvokePolicy/));
        const own = policies.filter((p) => !/^(GovalphaInvokePolicy|GovGuardPolicy|AdministratorAccess$)/.test(p.name));
        expect(JSON.stringify(own)).not.toContain('bedrock:InvokeModel');
      }
    }
  });

  test('has at least 1,000 cells, scenarios in every form and kind, and every table action in every form', () => {
    expect(cells.length).toBeGreaterThanOrEqual(1000);
    expect(new Set(cells.filter((c) => c.part === 'scenario').map((c) => `${c.form}/${c.principal}`)).size).toBe(24);
    expect(new Set(cells.filter((c) => c.part === 'sweep').map((c) => c.form)).size).toBe(4);
  });

  test('no unexpected allow and no unexpected deny', () => {
    const unexpected = cells.filter((c) => c.actual !== c.expected)
      .map((c) => `${c.form} | ${c.principal} | ${c.group} | ${c.name}: expected ${c.expected}, got ${c.actual}`);
    expect(unexpected).toEqual([]);
  });

  test('the control: without the guard, the simulator allows every path the guard denies', () => {
    const control = cells.filter((c) => c.form === 'no guard');
    expect(control.filter((c) => c.actual !== 'A')).toEqual([]);
    const deniedSomewhere = new Set(cells.filter((c) => c.form !== 'no guard' && c.actual === 'D').map((c) => `${c.part}/${c.group}/${c.name}`));
    const allowedInControl = new Set(control.map((c) => `${c.part}/${c.group}/${c.name}`));
    expect([...deniedSomewhere].filter((k) => !allowedInControl.has(k))).toEqual([]);
  });

  test('the simulator ignored no context key', () => {
    expect(cells.flatMap((c) => c.ignoredContextKeys)).toEqual([]);
  });

  test('docs/ACCESS-MATRIX.md is fresh (regenerate with `node_modules/.bin/tsx scripts/render-access-matrix.ts`)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'ACCESS-MATRIX.md'), 'utf8');
    expect(committed).toBe(renderMatrix(cells, scpLength));
  });
});

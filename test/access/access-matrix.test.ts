import * as fs from 'fs';
import * as path from 'path';
import { Cell, MatrixApp, buildMatrixApp, evaluateMatrix, renderMatrix } from './matrix';
import { cleanupOutdirs } from '../helpers/cfn';

afterAll(cleanupOutdirs);

describe('the IAM access matrix of the direct-invocation guard', () => {
  let m: MatrixApp;
  let cells: Cell[];

  beforeAll(async () => {
    m = buildMatrixApp();
    cells = await evaluateMatrix(m);
  });

  test('has at least 200 cells', () => {
    expect(cells.length).toBeGreaterThanOrEqual(200);
  });

  test('no unexpected allow and no unexpected deny', () => {
    const unexpected = cells.filter((c) => c.actual !== c.expected)
      .map((c) => `${c.principal} | ${c.action} | ${c.resource} | ${c.context}: expected ${c.expected}, got ${c.actual}`);
    expect(unexpected).toEqual([]);
  });

  test('the simulator ignored no context key', () => {
    expect(cells.flatMap((c) => c.ignoredContextKeys)).toEqual([]);
  });

  test('docs/ACCESS-MATRIX.md is fresh (regenerate with `npx tsx scripts/render-access-matrix.ts`)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'ACCESS-MATRIX.md'), 'utf8');
    expect(committed).toBe(renderMatrix(cells));
  });
});

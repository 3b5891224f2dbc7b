/**
 * Render the IAM access matrix of test/access/matrix.ts to docs/ACCESS-MATRIX.md.
 *
 * Usage: node_modules/.bin/tsx scripts/render-access-matrix.ts
 */
import * as fs from 'fs';
import * as path from 'path';
import { renderMatrix, runMatrix } from '../test/access/matrix';
import { cleanupOutdirs } from '../test/helpers/cfn';

async function main(): Promise<void> {
  const { cells, scpLength } = await runMatrix();
  const file = path.join(__dirname, '..', 'docs', 'ACCESS-MATRIX.md');
  fs.writeFileSync(file, renderMatrix(cells, scpLength));
  cleanupOutdirs();
  const unexpected = cells.filter((c) => c.actual !== c.expected).length;
  console.log(`wrote ${path.relative(process.cwd(), file)}: ${cells.length} cells, ${unexpected} unexpected`);
  if (unexpected > 0) {
    process.exitCode = 1;
  }
}

void main();

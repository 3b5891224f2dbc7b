/**
 * docs/PERFORMANCE.md shows the last committed benchmark results (bench/results.json, written by
 * `tsx bench/synth.ts --write ...`). The benchmark itself never runs in tests.
 */
import * as fs from 'fs';
import { BenchResults, PERFORMANCE_DOC, RESULTS_FILE, renderPerformanceTable, replaceBlock } from '../../scripts/render-performance-table';

describe('docs/PERFORMANCE.md', () => {
  test('the performance table is fresh (regenerate with `npx tsx scripts/render-performance-table.ts`)', () => {
    const results: BenchResults = JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8'));
    expect(results.rows.length).toBeGreaterThan(0);
    expect(fs.readFileSync(PERFORMANCE_DOC, 'utf8')).toContain(renderPerformanceTable(results));
  });

  test('every row of the results is complete and its ratio is ours over the fair baseline', () => {
    const results: BenchResults = JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8'));
    for (const row of results.rows) {
      for (const value of Object.values(row)) {
        expect(Number.isFinite(value)).toBe(true);
      }
      // the ratio is the median of paired ratios: close to, not always equal to, the ratio of the medians
      expect(row.ratio).toBeGreaterThan(0.5 * row.oursCpuMs / row.fairCpuMs);
      expect(row.ratio).toBeLessThan(2 * row.oursCpuMs / row.fairCpuMs);
    }
  });

  test('the table is replaced between its markers only', () => {
    const results: BenchResults = { machine: 'm', date: 'd', rows: [] };
    const block = renderPerformanceTable(results);
    const doc = `before\n${block.replace('Measured d', 'Measured old')}\nafter\n`;
    expect(replaceBlock(doc, block)).toBe(`before\n${block}\nafter\n`);
    expect(() => replaceBlock('no markers', block)).toThrow('docs/PERFORMANCE.md has no');
  });
});

import * as fs from 'fs';
import * as path from 'path';
import { PLAYBOOK_ALL_LEVERS, PLAYBOOK_DOCUMENT_QA } from './workloads';
import { renderLeverTables } from '../../scripts/render-lever-tables';
import { BedrockGovernance, BedrockModel, CacheTtl, CostEstimator, CrossRegionGeo, InferenceRouting } from '../../src';

describe('CostEstimator', () => {
  test('the playbook example: about $20,000 a year saved by caching, cache-write premium included', () => {
    const e = BedrockGovernance.estimateMonthlyCost(PLAYBOOK_DOCUMENT_QA);
    // Without caching: 1,000 x 20,000 tokens x $3/M = $60.00 a day.
    // With caching: 990 reads x 20,000 x $0.30/M + 10 writes x 20,000 x $3.75/M = $5.94 + $0.75 = $6.69 a day.
    expect(e.baselineMonthlyUsd).toBe(1825); //    60 x 365 / 12
    expect(e.cachingMonthlyUsd).toBe(203.49); //   6.69 x 365 / 12 = 203.4875
    expect(e.cachingAnnualSavingUsd).toBe(19458.15); // (60 - 6.69) x 365
    expect(e.cachingApplies).toBe(true);
    // no ladder, no batch in this input: those levers change nothing
    expect(e.ladderMonthlyUsd).toBe(1825);
    expect(e.batchMonthlyUsd).toBe(1825);
  });

  test('laddering, batch and all levers together, by hand', () => {
    const e = CostEstimator.estimate(PLAYBOOK_ALL_LEVERS);
    // ladder alone: 500 x 20,000 x $3/M + 500 x 20,000 x $1/M = $30 + $10 = $40/day
    expect(e.ladderMonthlyUsd).toBe(1216.67);
    expect(e.ladderAnnualSavingUsd).toBe(7300);
    // batch alone: 700 x 20,000 x $3/M + 300 x 20,000 x $3/M x 0.5 = $42 + $9 = $51/day
    expect(e.batchMonthlyUsd).toBe(1551.25);
    expect(e.batchAnnualSavingUsd).toBe(3285);
    // all: Sonnet 350 cached (20k x (0.99 x 0.30 + 0.01 x 3.75)/M each) = 2.3415; Sonnet 150 batch = 4.5;
    //      Haiku 350 cached (20k x (0.99 x 0.10 + 0.01 x 1.25)/M each) = 0.7805; Haiku 150 batch = 1.5 -> $9.122/day
    expect(e.allLeversMonthlyUsd).toBe(277.46);
    expect(e.allLeversAnnualSavingUsd).toBe(18570.47);
  });

  test('a prefix below the model\'s minimum is not cached; routing premium and 1-hour writes are priced', () => {
    const small = CostEstimator.estimate({
      ...PLAYBOOK_DOCUMENT_QA, model: BedrockModel.CLAUDE_HAIKU_4_5, inputTokensPerRequest: 3000, cacheablePrefixTokens: 3000,
    });
    expect(small.cachingApplies).toBe(false); // Haiku 4.5 caches from 4,096 tokens
    expect(small.cachingMonthlyUsd).toBe(small.baselineMonthlyUsd);
    const geo = CostEstimator.estimate({
      ...PLAYBOOK_DOCUMENT_QA, routing: InferenceRouting.crossRegion(CrossRegionGeo.US), cacheTtl: CacheTtl.ONE_HOUR, daysPerMonth: 30,
    });
    // $3.30/M input: 1,000 x 20,000 x 3.3 / 1e6 = $66/day x 30
    expect(geo.baselineMonthlyUsd).toBe(1980);
    // 990 x 20k x 0.33/M + 10 x 20k x 6.6/M = 6.534 + 1.32 = 7.854/day x 30 = 235.62
    expect(geo.cachingMonthlyUsd).toBe(235.62);
  });

  test('output tokens are priced', () => {
    const e = CostEstimator.estimate({
      model: BedrockModel.NOVA_LITE,
      requestsPerDay: 100,
      inputTokensPerRequest: 1000,
      outputTokensPerRequest: 500,
      routing: InferenceRouting.inRegion(),
      daysPerMonth: 30,
    });
    // 100 x (1000 x 0.06 + 500 x 0.24) / 1e6 = 0.018/day x 30 = 0.54
    expect(e.baselineMonthlyUsd).toBe(0.54);
  });

  test.each([
    [{ requestsPerDay: -1 }, 'invalid requestsPerDay -1: must be a finite number >= 0. Pass a non-negative number'],
    [{ cacheHitRatio: 1.5 }, 'invalid cacheHitRatio 1.5: must be a fraction between 0 and 1. Pass e.g. 0.25 for a quarter'],
    [{ cacheablePrefixTokens: 30000 }, 'invalid cacheablePrefixTokens 30000: it exceeds inputTokensPerRequest (20000). The prefix is part of the input'],
    [{ ladderShare: 0.2 }, 'invalid ladderShare: a ladder share needs a ladderModel. Pass ladderModel, e.g. BedrockModel.CLAUDE_HAIKU_4_5'],
    [{ batchShare: NaN }, 'invalid batchShare NaN: must be a fraction between 0 and 1. Pass e.g. 0.25 for a quarter'],
  ])('bad input %j', (change, message) => {
    expect(() => CostEstimator.estimate({ ...PLAYBOOK_DOCUMENT_QA, ...change })).toThrow(message);
  });

  test('the lever tables of docs/MODELS.md are fresh (regenerate with `npx tsx scripts/render-lever-tables.ts`)', () => {
    const models = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'MODELS.md'), 'utf8');
    expect(models).toContain(renderLeverTables());
  });
});

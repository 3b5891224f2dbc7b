/**
 * The chargeback named queries, executed: a sample FOCUS export is written as Parquet in the Data Exports layout with
 * the columns and types of the synthesized Glue table, and every named query of the template runs on it in DuckDB.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DuckDbFocusExport, FocusRow, GlueColumn, toDuckDbDialect } from './duckdb-focus';
import { ChargebackQueries, ChargebackSql, FocusExport, FocusVersion } from '../../src/billing';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '444455556666';
const HAIKU = 'Claude Haiku 4.5 (Amazon Bedrock Edition)';
const SONNET = 'Claude Sonnet 4.5 (Amazon Bedrock Edition)';
const SONNET_NO_SUFFIX = 'Claude Sonnet 4.5';
const profile = (id: string) => `arn:aws:bedrock:us-east-1:${ACCOUNT}:application-inference-profile/${id}`;
const NOVA_MODEL_ARN = 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0';

interface Sample {
  readonly period: string;
  readonly service: string;
  readonly code: string;
  readonly issuer?: string;
  readonly resource: string | null;
  readonly tags: Record<string, string> | null;
  readonly operation: string;
  readonly usage: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly billed: number;
  readonly effective?: number;
  readonly account?: string;
}

/**
 * Two teams (search, support), three models (Claude Haiku 4.5 and Sonnet 4.5 through Marketplace, Amazon Nova Lite
 * billed as Amazon Bedrock), every form of the team key, untagged and blank-tagged rows, cache reads and a cache
 * write, and two rows that are not Bedrock (S3, another Marketplace product) with a team tag.
 */
const SAMPLES: Sample[] = [
  // 2026-01, search: Haiku through its profile, key 'user:team' (and 'resourceTags/user:team' on the cache read)
  { period: '2026-01', service: HAIKU, code: 'c8haikuopaque', resource: profile('searchhaiku01'), tags: { 'user:team': 'search', 'user:cost-center': 'CC-1042' }, operation: 'InvokeModelInference', usage: 'USE1-MP:USE1_InputTokenCount-Units', quantity: 2, unitPrice: 1.1, billed: 2.2 },
  { period: '2026-01', service: HAIKU, code: 'c8haikuopaque', resource: profile('searchhaiku01'), tags: { 'user:team': 'search' }, operation: 'InvokeModelStreamingInference', usage: 'USE1-MP:USE1_OutputTokenCount-Units', quantity: 0.5, unitPrice: 5.5, billed: 2.75 },
  { period: '2026-01', service: HAIKU, code: 'c8haikuopaque', resource: profile('searchhaiku01'), tags: { 'resourceTags/user:team': 'search' }, operation: 'InvokeModelInference', usage: 'USE1-MP:USE1_CacheReadInputTokenCount-Units', quantity: 10, unitPrice: 0.11, billed: 1.1 },
  { period: '2026-01', service: HAIKU, code: 'c8haikuopaque', resource: profile('searchhaiku01'), tags: { 'user:team': 'search' }, operation: 'InvokeModelInference', usage: 'USE1-MP:USE1_CacheWriteInputTokenCount-Units', quantity: 2, unitPrice: 1.375, billed: 2.75 },
  // 2026-01, search: Sonnet (service code AmazonBedrockFoundationModels), key 'team'
  { period: '2026-01', service: SONNET, code: 'AmazonBedrockFoundationModels', resource: profile('searchsonnet1'), tags: { team: 'search' }, operation: 'InvokeModelStreamingInference', usage: 'USE1-MP:USE1_InputTokenCount-Units', quantity: 1, unitPrice: 3.3, billed: 3.3 },
  // 2026-01, support: Sonnet found by service code only (no Edition suffix), key 'user_team', with a discount
  { period: '2026-01', service: SONNET_NO_SUFFIX, code: 'AmazonBedrockFoundationModels', resource: profile('supportsonn01'), tags: { user_team: 'support' }, operation: 'InvokeModelInference', usage: 'USE1-MP:USE1_InputTokenCount-Units', quantity: 3, unitPrice: 3.3, billed: 9.9, effective: 9.4 },
  { period: '2026-01', service: SONNET_NO_SUFFIX, code: 'AmazonBedrockFoundationModels', resource: profile('supportsonn01'), tags: { user_team: 'support' }, operation: 'InvokeModelInference', usage: 'USE1-MP:USE1_CacheReadInputTokenCount-Units', quantity: 20, unitPrice: 0.33, billed: 6.6 },
  // 2026-01, support: Nova Lite billed by AWS as Amazon Bedrock, key 'team'
  { period: '2026-01', service: 'Amazon Bedrock', code: 'AmazonBedrock', issuer: 'Amazon Web Services, Inc.', resource: profile('supportnova01'), tags: { team: 'support' }, operation: 'InvokeModelInference', usage: 'USE1-NovaLite-input-tokens', quantity: 4, unitPrice: 0.06, billed: 0.24 },
  // 2026-01, untagged: a direct model call (no tags), a blank team tag, a profile with only a cost-center tag
  { period: '2026-01', service: 'Amazon Bedrock', code: 'AmazonBedrock', issuer: 'Amazon Web Services, Inc.', resource: NOVA_MODEL_ARN, tags: null, operation: 'InvokeModelInference', usage: 'USE1-NovaLite-output-tokens', quantity: 2, unitPrice: 0.24, billed: 0.48 },
  { period: '2026-01', service: HAIKU, code: 'c8haikuopaque', resource: '', tags: { 'user:team': '  ' }, operation: 'InvokeModelStreamingInference', usage: 'USE1-MP:USE1_InputTokenCount-Units', quantity: 1, unitPrice: 1.1, billed: 1.1 },
  { period: '2026-01', service: 'Amazon Bedrock', code: 'AmazonBedrock', issuer: 'Amazon Web Services, Inc.', resource: profile('orphanprof01'), tags: { 'user:cost-center': 'CC-9' }, operation: 'InvokeModelInference', usage: 'USE1-NovaLite-output-tokens', quantity: 1.25, unitPrice: 0.24, billed: 0.3, account: OTHER_ACCOUNT },
  // 2026-01, not Bedrock, though tagged: must never be counted
  { period: '2026-01', service: 'Amazon Simple Storage Service', code: 'AmazonS3', issuer: 'Amazon Web Services, Inc.', resource: 'arn:aws:s3:::search-data', tags: { 'user:team': 'search' }, operation: 'PutObject', usage: 'USE1-Requests-Tier1', quantity: 1000, unitPrice: 0.005, billed: 5 },
  { period: '2026-01', service: 'Observability Pro', code: 'c9otherproduct', resource: null, tags: { 'user:team': 'search' }, operation: 'Subscribe', usage: 'USE1-MP:Seats', quantity: 1, unitPrice: 7, billed: 7 },
  // 2026-02
  { period: '2026-02', service: HAIKU, code: 'c8haikuopaque', resource: profile('searchhaiku01'), tags: { 'user:team': 'search' }, operation: 'InvokeModelInference', usage: 'USE1-MP:USE1_InputTokenCount-Units', quantity: 3, unitPrice: 1.1, billed: 3.3 },
  { period: '2026-02', service: 'Amazon Bedrock', code: 'AmazonBedrock', issuer: 'Amazon Web Services, Inc.', resource: profile('supportnova01'), tags: { team: 'support' }, operation: 'InvokeModelInference', usage: 'USE1-NovaLite-input-tokens', quantity: 5, unitPrice: 0.06, billed: 0.3 },
];

function focusRows(version: FocusVersion, samples: Sample[] = SAMPLES): FocusRow[] {
  const usageColumn = version === FocusVersion.V1_0 ? 'x_usagetype' : 'skumeter';
  return samples.map((s) => ({
    billing_period: s.period,
    billingperiodstart: `${s.period}-01 00:00:00`,
    chargeperiodstart: `${s.period}-15 00:00:00`,
    billingcurrency: 'USD',
    chargecategory: 'Usage',
    providername: 'AWS',
    servicename: s.service,
    x_servicecode: s.code,
    invoiceissuername: s.issuer ?? 'AWS Marketplace',
    subaccountid: s.account ?? ACCOUNT,
    regionid: 'us-east-1',
    resourceid: s.resource,
    tags: s.tags,
    x_operation: s.operation,
    [usageColumn]: s.usage,
    chargedescription: `${s.service} ${s.usage}`,
    pricingquantity: s.quantity,
    consumedquantity: s.quantity,
    pricingunit: 'Million Tokens',
    listunitprice: s.unitPrice,
    listcost: s.billed,
    billedcost: s.billed,
    effectivecost: s.effective ?? s.billed,
  }));
}

interface Synthesized {
  readonly columns: GlueColumn[];
  readonly dataPrefix: string;
  readonly locationTemplate: string;
  readonly queries: Record<string, string>;
}

function synthesize(version: FocusVersion, teamKey?: string): Synthesized {
  const stack = new Stack(testApp(), 'Billing', { env: ENV });
  const focusExport = new FocusExport(stack, 'Focus', { version });
  new ChargebackQueries(stack, 'Chargeback', { focusExport, costTagKeys: teamKey ? { team: teamKey } : undefined });
  const template = Template.fromStack(stack);
  const table = Object.values<any>(template.findResources('AWS::Glue::Table'))[0].Properties.TableInput;
  const bucketId = stack.getLogicalId(focusExport.bucket.node.defaultChild as any);
  const location = table.Parameters['storage.location.template'];
  expect(location['Fn::Join'][1][1]).toEqual({ Ref: bucketId });
  const queries: Record<string, string> = {};
  for (const [id, resource] of Object.entries<any>(template.findResources('AWS::Athena::NamedQuery'))) {
    queries[id.replace(/^Chargeback/, '').replace(/[0-9A-F]{8}$/, '')] = resource.Properties.QueryString;
  }
  return {
    columns: table.StorageDescriptor.Columns,
    dataPrefix: focusExport.dataPrefix,
    locationTemplate: location['Fn::Join'][1].slice(2).join(''),
    queries,
  };
}

/** Money as whole cents, so that totals are compared to the cent. */
function cents(rows: Record<string, unknown>[], ...moneyColumns: string[]): Record<string, unknown>[] {
  return rows.map((row) => {
    const out: Record<string, unknown> = { ...row };
    for (const column of moneyColumns) {
      out[column] = row[column] === null ? null : Math.round(Number(row[column]) * 100);
    }
    return out;
  });
}

/** Rows summed over some columns (dropped), keeping the first-seen order of the remaining keys. */
function sumOver(rows: Record<string, unknown>[], drop: string[], sum: string[]): Record<string, unknown>[] {
  const out = new Map<string, Record<string, unknown>>();
  for (const row of rows) {
    const rest: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) {
      if (!drop.includes(k)) {
        rest[k] = v;
      }
    }
    const key = JSON.stringify(Object.entries(rest).filter(([k]) => !sum.includes(k)));
    const existing = out.get(key);
    if (existing) {
      for (const column of sum) {
        existing[column] = Number(existing[column]) + Number(rest[column]);
      }
    } else {
      out.set(key, rest);
    }
  }
  return [...out.values()];
}

describe.each([FocusVersion.V1_2, FocusVersion.V1_0])('chargeback named queries on DuckDB, %s', (version) => {
  let synth: Synthesized;
  let db: DuckDbFocusExport;

  beforeAll(async () => {
    synth = synthesize(version);
    db = await DuckDbFocusExport.create({
      database: 'bedrock_chargeback',
      table: 'focus',
      dataPrefix: synth.dataPrefix,
      columns: synth.columns,
      rows: focusRows(version),
    });
  });
  afterAll(() => db.close());

  test('the sample is Parquet in the Data Exports layout that the Glue table projects', async () => {
    expect(synth.locationTemplate).toBe('/focus/bedrock-governance-focus/data/BILLING_PERIOD=${billing_period}');
    expect(db.files()).toEqual(['BILLING_PERIOD=2026-01/data_0.parquet', 'BILLING_PERIOD=2026-02/data_0.parquet']);
    // the files hold exactly the Glue table's columns (the partition is only in the path)
    const described = await db.raw(`DESCRIBE SELECT * FROM read_parquet('${db.dataDir}/BILLING_PERIOD=2026-01/data_0.parquet', hive_partitioning = false)`);
    expect(described.map((c) => c.column_name)).toEqual(synth.columns.map((c) => c.Name));
    expect(synth.columns).toHaveLength(version === FocusVersion.V1_0 ? 48 : 60);
    expect(Object.keys(synth.queries)).toEqual([
      'CostPerTeamPerMonth', 'CostPerTeamPerModel', 'CostPerTeamPerOperation', 'CacheSavings', 'UntaggedSpend', 'TagKeys',
    ]);
  });

  test('cost per team per month: every key form, Marketplace and native rows, untagged, nothing else', async () => {
    const rows = await db.query(synth.queries.CostPerTeamPerMonth);
    expect(cents(rows, 'billed_cost', 'effective_cost')).toEqual([
      { billing_period: '2026-01', team: '(untagged)', attributed_by: null, charge_category: 'Usage', corrected_period: null, currency: 'USD', billed_cost: 188, effective_cost: 188 },
      { billing_period: '2026-01', team: 'search', attributed_by: 'resource tag', charge_category: 'Usage', corrected_period: null, currency: 'USD', billed_cost: 1210, effective_cost: 1210 },
      { billing_period: '2026-01', team: 'support', attributed_by: 'resource tag', charge_category: 'Usage', corrected_period: null, currency: 'USD', billed_cost: 1674, effective_cost: 1624 },
      { billing_period: '2026-02', team: 'search', attributed_by: 'resource tag', charge_category: 'Usage', corrected_period: null, currency: 'USD', billed_cost: 330, effective_cost: 330 },
      { billing_period: '2026-02', team: 'support', attributed_by: 'resource tag', charge_category: 'Usage', corrected_period: null, currency: 'USD', billed_cost: 30, effective_cost: 30 },
    ]);
  });

  test('cost per team per model and profile', async () => {
    // the query tells models apart by SKU and usage type too (see chargeback-real-bill.test.ts); summed over them here
    const rows = sumOver(cents(await db.query(synth.queries.CostPerTeamPerModel), 'billed_cost', 'effective_cost'), ['sku_id', 'usage_type'], ['billed_cost', 'effective_cost']);
    expect(rows).toEqual([
      { billing_period: '2026-01', team: '(untagged)', service_name: 'Amazon Bedrock', resource_id: profile('orphanprof01'), profile_id: 'orphanprof01', charge_category: 'Usage', currency: 'USD', billed_cost: 30, effective_cost: 30 },
      { billing_period: '2026-01', team: '(untagged)', service_name: 'Amazon Bedrock', resource_id: NOVA_MODEL_ARN, profile_id: null, charge_category: 'Usage', currency: 'USD', billed_cost: 48, effective_cost: 48 },
      { billing_period: '2026-01', team: '(untagged)', service_name: HAIKU, resource_id: '', profile_id: null, charge_category: 'Usage', currency: 'USD', billed_cost: 110, effective_cost: 110 },
      { billing_period: '2026-01', team: 'search', service_name: HAIKU, resource_id: profile('searchhaiku01'), profile_id: 'searchhaiku01', charge_category: 'Usage', currency: 'USD', billed_cost: 880, effective_cost: 880 },
      { billing_period: '2026-01', team: 'search', service_name: SONNET, resource_id: profile('searchsonnet1'), profile_id: 'searchsonnet1', charge_category: 'Usage', currency: 'USD', billed_cost: 330, effective_cost: 330 },
      { billing_period: '2026-01', team: 'support', service_name: 'Amazon Bedrock', resource_id: profile('supportnova01'), profile_id: 'supportnova01', charge_category: 'Usage', currency: 'USD', billed_cost: 24, effective_cost: 24 },
      { billing_period: '2026-01', team: 'support', service_name: SONNET_NO_SUFFIX, resource_id: profile('supportsonn01'), profile_id: 'supportsonn01', charge_category: 'Usage', currency: 'USD', billed_cost: 1650, effective_cost: 1600 },
      { billing_period: '2026-02', team: 'search', service_name: HAIKU, resource_id: profile('searchhaiku01'), profile_id: 'searchhaiku01', charge_category: 'Usage', currency: 'USD', billed_cost: 330, effective_cost: 330 },
      { billing_period: '2026-02', team: 'support', service_name: 'Amazon Bedrock', resource_id: profile('supportnova01'), profile_id: 'supportnova01', charge_category: 'Usage', currency: 'USD', billed_cost: 30, effective_cost: 30 },
    ]);
  });

  test('cost per team per operation, streaming or not', async () => {
    const rows = await db.query(synth.queries.CostPerTeamPerOperation);
    expect(cents(rows, 'billed_cost', 'effective_cost')).toEqual([
      { billing_period: '2026-01', team: '(untagged)', operation: 'InvokeModelInference', invocation_mode: 'non-streaming', charge_category: 'Usage', currency: 'USD', billed_cost: 78, effective_cost: 78 },
      { billing_period: '2026-01', team: '(untagged)', operation: 'InvokeModelStreamingInference', invocation_mode: 'streaming', charge_category: 'Usage', currency: 'USD', billed_cost: 110, effective_cost: 110 },
      { billing_period: '2026-01', team: 'search', operation: 'InvokeModelInference', invocation_mode: 'non-streaming', charge_category: 'Usage', currency: 'USD', billed_cost: 605, effective_cost: 605 },
      { billing_period: '2026-01', team: 'search', operation: 'InvokeModelStreamingInference', invocation_mode: 'streaming', charge_category: 'Usage', currency: 'USD', billed_cost: 605, effective_cost: 605 },
      { billing_period: '2026-01', team: 'support', operation: 'InvokeModelInference', invocation_mode: 'non-streaming', charge_category: 'Usage', currency: 'USD', billed_cost: 1674, effective_cost: 1624 },
      { billing_period: '2026-02', team: 'search', operation: 'InvokeModelInference', invocation_mode: 'non-streaming', charge_category: 'Usage', currency: 'USD', billed_cost: 330, effective_cost: 330 },
      { billing_period: '2026-02', team: 'support', operation: 'InvokeModelInference', invocation_mode: 'non-streaming', charge_category: 'Usage', currency: 'USD', billed_cost: 30, effective_cost: 30 },
    ]);
  });

  test('cache savings: cache reads at the input price of the same model and month, minus their cost', async () => {
    const rows = await db.query(synth.queries.CacheSavings);
    expect(cents(rows, 'input_unit_price', 'cache_read_list_cost', 'cache_read_effective_cost', 'cost_at_input_price', 'savings')).toEqual([
      {
        billing_period: '2026-01',
        team: 'search',
        service_name: HAIKU,
        resource_id: profile('searchhaiku01'),
        pricing_unit: 'Million Tokens',
        currency: 'USD',
        cache_read_quantity: 10,
        input_unit_price: 110,
        cache_read_list_cost: 110,
        cache_read_effective_cost: 110,
        cost_at_input_price: 1100,
        savings: 990,
      },
      {
        billing_period: '2026-01',
        team: 'support',
        service_name: SONNET_NO_SUFFIX,
        resource_id: profile('supportsonn01'),
        pricing_unit: 'Million Tokens',
        currency: 'USD',
        cache_read_quantity: 20,
        input_unit_price: 330,
        cache_read_list_cost: 660,
        cache_read_effective_cost: 660,
        cost_at_input_price: 6600,
        savings: 5940,
      },
    ]);
  });

  test('untagged Bedrock spend, largest first, with the account', async () => {
    const rows = await db.query(synth.queries.UntaggedSpend);
    expect(cents(rows, 'billed_cost', 'effective_cost')).toEqual([
      { billing_period: '2026-01', account_id: ACCOUNT, service_name: HAIKU, resource_id: '', operation: 'InvokeModelStreamingInference', currency: 'USD', billed_cost: 110, effective_cost: 110 },
      { billing_period: '2026-01', account_id: ACCOUNT, service_name: 'Amazon Bedrock', resource_id: NOVA_MODEL_ARN, operation: 'InvokeModelInference', currency: 'USD', billed_cost: 48, effective_cost: 48 },
      { billing_period: '2026-01', account_id: OTHER_ACCOUNT, service_name: 'Amazon Bedrock', resource_id: profile('orphanprof01'), operation: 'InvokeModelInference', currency: 'USD', billed_cost: 30, effective_cost: 30 },
    ]);
  });

  test('tag keys on Bedrock rows only', async () => {
    const rows = (await db.query(synth.queries.TagKeys)).map((r) => ({ ...r, line_items: Number(r.line_items) }));
    expect(rows).toEqual([
      { tag_key: 'resourceTags/user:team', line_items: 1 },
      { tag_key: 'team', line_items: 3 },
      { tag_key: 'user:cost-center', line_items: 2 },
      { tag_key: 'user:team', line_items: 5 },
      { tag_key: 'user_team', line_items: 2 },
    ]);
  });

  test('the totals reconcile: per month = per model = per operation = every Bedrock row', async () => {
    const bedrockTotal = SAMPLES.filter((s) => s.service !== 'Amazon Simple Storage Service' && s.service !== 'Observability Pro')
      .reduce((sum, s) => sum + Math.round(s.billed * 100), 0);
    for (const query of ['CostPerTeamPerMonth', 'CostPerTeamPerModel', 'CostPerTeamPerOperation']) {
      const rows = cents(await db.query(synth.queries[query]), 'billed_cost');
      expect(rows.reduce((sum, r) => sum + Number(r.billed_cost), 0)).toBe(bedrockTotal);
    }
    expect(bedrockTotal).toBe(3432);
  });
});

describe('chargeback queries with another team key', () => {
  test("costTagKeys.team = 'squad' finds 'squad', 'user:squad' and 'resourceTags/squad', not 'team'", async () => {
    const synth = synthesize(FocusVersion.V1_2, 'squad');
    const samples: Sample[] = [
      { ...SAMPLES[0], tags: { 'user:squad': 'alpha' } },
      { ...SAMPLES[1], tags: { 'resourceTags/squad': 'alpha' } },
      { ...SAMPLES[4], tags: { squad: 'beta' } },
      { ...SAMPLES[7], tags: { team: 'support' } },
    ];
    const db = await DuckDbFocusExport.create({ database: 'bedrock_chargeback', table: 'focus', dataPrefix: synth.dataPrefix, columns: synth.columns, rows: focusRows(FocusVersion.V1_2, samples) });
    try {
      const rows = cents(await db.query(synth.queries.CostPerTeamPerMonth), 'billed_cost', 'effective_cost');
      expect(rows).toEqual([
        { billing_period: '2026-01', team: '(untagged)', attributed_by: null, charge_category: 'Usage', corrected_period: null, currency: 'USD', billed_cost: 24, effective_cost: 24 },
        { billing_period: '2026-01', team: 'alpha', attributed_by: 'resource tag', charge_category: 'Usage', corrected_period: null, currency: 'USD', billed_cost: 495, effective_cost: 495 },
        { billing_period: '2026-01', team: 'beta', attributed_by: 'resource tag', charge_category: 'Usage', corrected_period: null, currency: 'USD', billed_cost: 330, effective_cost: 330 },
      ]);
    } finally {
      db.close();
    }
  });
});

describe('FOCUS 1.0 cost categories', () => {
  test('x_CostCategories[<team key>] attributes a row no tag attributes, as a cost category', async () => {
    const synth = synthesize(FocusVersion.V1_0);
    const rows = focusRows(FocusVersion.V1_0, [{ ...SAMPLES[8], tags: null }, SAMPLES[7]]);
    rows[0].x_costcategories = { team: 'platform' };
    const db = await DuckDbFocusExport.create({ database: 'bedrock_chargeback', table: 'focus', dataPrefix: synth.dataPrefix, columns: synth.columns, rows });
    try {
      // SAMPLES[8] 0.48 (a direct call, no tags), SAMPLES[7] 0.24 (support's profile)
      expect(cents(await db.query(synth.queries.CostPerTeamPerMonth), 'billed_cost', 'effective_cost')).toEqual([
        { billing_period: '2026-01', team: 'platform', attributed_by: 'cost category', charge_category: 'Usage', corrected_period: null, currency: 'USD', billed_cost: 48, effective_cost: 48 },
        { billing_period: '2026-01', team: 'support', attributed_by: 'resource tag', charge_category: 'Usage', corrected_period: null, currency: 'USD', billed_cost: 24, effective_cost: 24 },
      ]);
      expect(await db.query(synth.queries.UntaggedSpend)).toEqual([]);
    } finally {
      db.close();
    }
  });
});

describe('toDuckDbDialect', () => {
  test('rewrites element_at (value in Trino, list in DuckDB) to map_extract_value, and nothing else', () => {
    const sql = ChargebackSql.costPerTeamPerMonth({ database: 'd', table: 't' });
    const adapted = toDuckDbDialect(sql);
    expect(adapted).not.toContain('element_at(');
    expect(adapted.split('map_extract_value(').length - 1).toBe(sql.split('element_at(').length - 1);
    expect(adapted.replace(/map_extract_value\(/g, 'element_at(')).toBe(sql);
    expect(toDuckDbDialect("SELECT my_element_at(x), element_at(m, 'k')")).toBe("SELECT my_element_at(x), map_extract_value(m, 'k')");
  });

  test('is needed: DuckDB element_at returns a list where Trino returns the value', async () => {
    const db = await DuckDbFocusExport.create({ database: 'd', table: 't', dataPrefix: 'p/e/data', columns: [{ Name: 'tags', Type: 'map<string,string>' }], rows: [{ billing_period: '2026-01', tags: { team: 'search' } }] });
    try {
      expect(await db.raw("SELECT element_at(tags, 'team') AS v, element_at(tags, 'missing') AS w FROM d.t")).toEqual([{ v: ['search'], w: [] }]);
      expect(await db.query("SELECT element_at(tags, 'team') AS v, element_at(tags, 'missing') AS w FROM d.t")).toEqual([{ v: 'search', w: null }]);
    } finally {
      db.close();
    }
  });
});

/**
 * The chargeback named queries on a FOCUS 1.2 month that looks like what AWS writes: the file columns in AWS's mixed
 * case, millisecond timestamps, non-round amounts, tax, a credit, a correction of the month before, Marketplace rows
 * with and without the "(Amazon Bedrock Edition)" suffix, EC2 and other Marketplace rows carrying the team tag, and
 * every tag source AWS prefixes (resource tags, `iamPrincipal/`, `accountTag/`, `costCategory/`).
 *
 * Every expected figure below was worked out by hand from the rows (in cents, rounded half up), not by the code.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DuckDbFocusExport, FocusRow } from './duckdb-focus';
import { ChargebackQueries, FocusExport, FocusVersion } from '../../src/billing';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const ACCOUNT = '111122223333';
const profile = (id: string) => `arn:aws:bedrock:us-east-1:${ACCOUNT}:application-inference-profile/${id}`;
const model = (id: string) => `arn:aws:bedrock:us-east-1::foundation-model/${id}`;
const SONNET = 'Claude Sonnet 4.5 (Amazon Bedrock Edition)';

interface Line {
  readonly n: number;
  readonly period: string;
  readonly category?: string;
  readonly chargeClass?: string;
  readonly chargeStart?: string;
  readonly service: string;
  readonly code: string;
  readonly sku?: string;
  readonly meter?: string;
  readonly resource?: string;
  readonly tags?: Record<string, string>;
  readonly billed: number;
  readonly effective?: number;
}

const LINES: Line[] = [
  { n: 1, period: '2026-03', service: SONNET, code: 'prod-7x1aopaque', sku: 'SONIN001', meter: 'USE1-MP:USE1_InputTokenCount-Units', resource: profile('searchsonnet1'), tags: { 'resourceTags/user:team': 'search' }, billed: 12.3456 },
  { n: 2, period: '2026-03', service: SONNET, code: 'prod-7x1aopaque', sku: 'SONOUT01', meter: 'USE1-MP:USE1_OutputTokenCount-Units', resource: profile('searchsonnet1'), tags: { 'user:team': 'search' }, billed: 47.1289, effective: 44.7731 },
  { n: 3, period: '2026-03', service: 'Claude Haiku 4.5', code: 'AmazonBedrockFoundationModels', sku: 'HAIIN001', meter: 'USE1-MP:USE1_InputTokenCount-Units', resource: profile('supporthaiku1'), tags: { 'user:team': 'support' }, billed: 3.0714 },
  { n: 4, period: '2026-03', service: 'Amazon Bedrock', code: 'AmazonBedrock', sku: 'NLITEIN1', meter: 'USE1-NovaLite-input-tokens', resource: profile('supportnova01'), tags: { team: 'support' }, billed: 0.8123 },
  { n: 5, period: '2026-03', service: 'Amazon Bedrock', code: 'AmazonBedrock', sku: 'NPROOUT1', meter: 'USE1-NovaPro-output-tokens', resource: profile('supportnova02'), tags: { team: 'support' }, billed: 2.3377 },
  // a direct call (no profile) by a role tagged team=search: the principal witness
  { n: 6, period: '2026-03', service: 'Amazon Bedrock', code: 'AmazonBedrock', sku: 'NLITEIN1', meter: 'USE1-NovaLite-input-tokens', resource: model('amazon.nova-lite-v1:0'), tags: { 'iamPrincipal/team': 'search' }, billed: 1.4142 },
  // a direct call by an untagged principal: the governance gap
  { n: 7, period: '2026-03', service: 'Amazon Bedrock', code: 'AmazonBedrock', sku: 'C46OPOUT', meter: 'USE1-Claude4.6Opus-output-tokens', resource: model('anthropic.claude-opus-4-6-v1'), billed: 5.5561 },
  { n: 8, period: '2026-03', service: 'Amazon Bedrock', code: 'AmazonBedrock', sku: 'NMICIN01', meter: 'USE1-NovaMicro-input-tokens', resource: profile('legalmicro01'), tags: { 'accountTag/team': 'legal' }, billed: 0.9876 },
  { n: 9, period: '2026-03', service: 'Claude Haiku 4.5 (Amazon Bedrock Edition)', code: 'prod-haiopaque', sku: 'HAIIN001', meter: 'USE1-MP:USE1_InputTokenCount-Units', resource: profile('researchhai1'), tags: { 'costCategory/team': 'research' }, billed: 0.4321 },
  // search's profile, called by a role of support: the profile witness wins in these queries
  { n: 10, period: '2026-03', service: SONNET, code: 'prod-7x1aopaque', sku: 'SONIN001', meter: 'USE1-MP:USE1_InputTokenCount-Units', resource: profile('searchsonnet1'), tags: { 'user:team': 'search', 'iamPrincipal/team': 'support' }, billed: 2.2222 },
  { n: 11, period: '2026-03', category: 'Tax', service: 'Amazon Bedrock', code: 'AmazonBedrock', billed: 2.6051 },
  { n: 12, period: '2026-03', category: 'Tax', service: SONNET, code: 'prod-7x1aopaque', billed: 3.8846 },
  { n: 13, period: '2026-03', category: 'Credit', service: 'Amazon Bedrock', code: 'AmazonBedrock', billed: -10 },
  // not Bedrock, though tagged
  { n: 14, period: '2026-03', service: 'Amazon Elastic Compute Cloud', code: 'AmazonEC2', sku: 'EC2BOX01', meter: 'USE1-BoxUsage:m7g.large', resource: 'i-0abc1234def567890', tags: { 'user:team': 'search' }, billed: 31.4159 },
  { n: 15, period: '2026-03', service: 'Vector Store Pro', code: 'prod-vsopaque', meter: 'USE1-MP:Seats', tags: { 'user:team': 'support' }, billed: 7 },
  { n: 16, period: '2026-04', service: SONNET, code: 'prod-7x1aopaque', sku: 'SONIN001', meter: 'USE1-MP:USE1_InputTokenCount-Units', resource: profile('searchsonnet1'), tags: { 'user:team': 'search' }, billed: 8.7654 },
  // a refund of March usage, invoiced in April
  { n: 17, period: '2026-04', chargeClass: 'Correction', chargeStart: '2026-03-20 00:00:00.000', service: SONNET, code: 'prod-7x1aopaque', sku: 'SONOUT01', meter: 'USE1-MP:USE1_OutputTokenCount-Units', resource: profile('searchsonnet1'), tags: { 'user:team': 'search' }, billed: -4.1234 },
  { n: 18, period: '2026-04', service: 'Amazon Bedrock', code: 'AmazonBedrock', sku: 'NLITEIN1', meter: 'USE1-NovaLite-input-tokens', resource: profile('supportnova01'), tags: { team: 'support' }, billed: 0.6543 },
  { n: 19, period: '2026-04', category: 'Tax', service: 'Amazon Bedrock', code: 'AmazonBedrock', billed: 1.2345 },
];

function rows(): FocusRow[] {
  return LINES.map((l) => ({
    billing_period: l.period,
    billingperiodstart: `${l.period}-01 00:00:00.000`,
    chargeperiodstart: l.chargeStart ?? `${l.period}-14 07:00:00.000`,
    chargeperiodend: l.chargeStart ?? `${l.period}-14 08:00:00.000`,
    billingcurrency: 'USD',
    chargecategory: l.category ?? 'Usage',
    chargeclass: l.chargeClass ?? null,
    providername: 'AWS',
    servicename: l.service,
    x_servicecode: l.code,
    skuid: l.sku ?? null,
    skumeter: l.meter ?? null,
    subaccountid: ACCOUNT,
    regionid: 'us-east-1',
    resourceid: l.resource ?? null,
    tags: l.tags ?? null,
    x_operation: l.category ? null : 'InvokeModelInference',
    chargedescription: `line ${l.n}`,
    billedcost: l.billed,
    effectivecost: l.effective ?? l.billed,
    listcost: l.billed,
  }));
}

/** Money as whole cents. */
function cents(result: Record<string, unknown>[], ...money: string[]): Record<string, unknown>[] {
  return result.map((r) => {
    const out = { ...r };
    for (const m of money) {
      out[m] = Math.round(Number(r[m]) * 100);
    }
    return out;
  });
}

describe('chargeback queries on a realistic FOCUS 1.2 bill', () => {
  let db: DuckDbFocusExport;
  let queries: Record<string, string>;

  beforeAll(async () => {
    const stack = new Stack(testApp(), 'Billing', { env: ENV });
    const focusExport = new FocusExport(stack, 'Focus', { version: FocusVersion.V1_2 });
    new ChargebackQueries(stack, 'Chargeback', { focusExport });
    const template = Template.fromStack(stack);
    const table = Object.values<any>(template.findResources('AWS::Glue::Table'))[0].Properties.TableInput;
    queries = {};
    for (const [id, resource] of Object.entries<any>(template.findResources('AWS::Athena::NamedQuery'))) {
      queries[id.replace(/^Chargeback/, '').replace(/[0-9A-F]{8}$/, '')] = resource.Properties.QueryString;
    }
    db = await DuckDbFocusExport.create({
      database: 'bedrock_chargeback',
      table: 'focus',
      dataPrefix: focusExport.dataPrefix,
      columns: table.StorageDescriptor.Columns,
      rows: rows(),
      fileColumnNames: FocusExport.columnsOf(FocusVersion.V1_2),
    });
  });
  afterAll(() => db.close());

  test('the files carry AWS\'s mixed-case column names', async () => {
    const described = await db.raw(`DESCRIBE SELECT * FROM read_parquet('${db.dataDir}/BILLING_PERIOD=2026-03/*.parquet', hive_partitioning = false)`);
    expect(described.map((c) => c.column_name)).toEqual(expect.arrayContaining(['BilledCost', 'ChargeCategory', 'ChargeClass', 'SkuMeter', 'Tags', 'x_ServiceCode']));
  });

  test('cost per team per month: every witness, tax and credit apart from usage, the correction with the month it corrects', async () => {
    expect(cents(await db.query(queries.CostPerTeamPerMonth), 'billed_cost', 'effective_cost')).toEqual([
      // lines 13 / 11+12 / 7
      { billing_period: '2026-03', team: '(unallocated)', attributed_by: null, charge_category: 'Credit', corrected_period: null, currency: 'USD', billed_cost: -1000, effective_cost: -1000 },
      { billing_period: '2026-03', team: '(unallocated)', attributed_by: null, charge_category: 'Tax', corrected_period: null, currency: 'USD', billed_cost: 649, effective_cost: 649 },
      { billing_period: '2026-03', team: '(untagged)', attributed_by: null, charge_category: 'Usage', corrected_period: null, currency: 'USD', billed_cost: 556, effective_cost: 556 },
      // line 8 / 9 / 6 / 1+2+10 (2 has a discount: 44.7731 effective) / 3+4+5
      { billing_period: '2026-03', team: 'legal', attributed_by: 'account tag', charge_category: 'Usage', corrected_period: null, currency: 'USD', billed_cost: 99, effective_cost: 99 },
      { billing_period: '2026-03', team: 'research', attributed_by: 'cost category', charge_category: 'Usage', corrected_period: null, currency: 'USD', billed_cost: 43, effective_cost: 43 },
      { billing_period: '2026-03', team: 'search', attributed_by: 'principal tag', charge_category: 'Usage', corrected_period: null, currency: 'USD', billed_cost: 141, effective_cost: 141 },
      { billing_period: '2026-03', team: 'search', attributed_by: 'resource tag', charge_category: 'Usage', corrected_period: null, currency: 'USD', billed_cost: 6170, effective_cost: 5934 },
      { billing_period: '2026-03', team: 'support', attributed_by: 'resource tag', charge_category: 'Usage', corrected_period: null, currency: 'USD', billed_cost: 622, effective_cost: 622 },
      // line 19 / 17 (corrects March) / 16 / 18
      { billing_period: '2026-04', team: '(unallocated)', attributed_by: null, charge_category: 'Tax', corrected_period: null, currency: 'USD', billed_cost: 123, effective_cost: 123 },
      { billing_period: '2026-04', team: 'search', attributed_by: 'resource tag', charge_category: 'Usage', corrected_period: '2026-03', currency: 'USD', billed_cost: -412, effective_cost: -412 },
      { billing_period: '2026-04', team: 'search', attributed_by: 'resource tag', charge_category: 'Usage', corrected_period: null, currency: 'USD', billed_cost: 877, effective_cost: 877 },
      { billing_period: '2026-04', team: 'support', attributed_by: 'resource tag', charge_category: 'Usage', corrected_period: null, currency: 'USD', billed_cost: 65, effective_cost: 65 },
    ]);
  });

  test('the gap is the untagged usage only: no tax, no credit, nothing a witness attributes', async () => {
    expect(cents(await db.query(queries.UntaggedSpend), 'billed_cost', 'effective_cost')).toEqual([
      { billing_period: '2026-03', account_id: ACCOUNT, service_name: 'Amazon Bedrock', resource_id: model('anthropic.claude-opus-4-6-v1'), operation: 'InvokeModelInference', currency: 'USD', billed_cost: 556, effective_cost: 556 },
    ]);
  });

  test('models within Amazon Bedrock told apart by SKU and usage type', async () => {
    const result = (await db.query(queries.CostPerTeamPerModel)).filter((r) => r.billing_period === '2026-03' && r.service_name === 'Amazon Bedrock');
    expect(cents(result, 'billed_cost', 'effective_cost').map(({ billing_period: _p, service_name: _s, currency: _c, effective_cost: _e, ...rest }) => rest)).toEqual([
      { team: '(unallocated)', sku_id: null, usage_type: null, resource_id: null, profile_id: null, charge_category: 'Credit', billed_cost: -1000 },
      { team: '(unallocated)', sku_id: null, usage_type: null, resource_id: null, profile_id: null, charge_category: 'Tax', billed_cost: 261 },
      { team: '(untagged)', sku_id: 'C46OPOUT', usage_type: 'USE1-Claude4.6Opus-output-tokens', resource_id: model('anthropic.claude-opus-4-6-v1'), profile_id: null, charge_category: 'Usage', billed_cost: 556 },
      { team: 'legal', sku_id: 'NMICIN01', usage_type: 'USE1-NovaMicro-input-tokens', resource_id: profile('legalmicro01'), profile_id: 'legalmicro01', charge_category: 'Usage', billed_cost: 99 },
      { team: 'search', sku_id: 'NLITEIN1', usage_type: 'USE1-NovaLite-input-tokens', resource_id: model('amazon.nova-lite-v1:0'), profile_id: null, charge_category: 'Usage', billed_cost: 141 },
      { team: 'support', sku_id: 'NLITEIN1', usage_type: 'USE1-NovaLite-input-tokens', resource_id: profile('supportnova01'), profile_id: 'supportnova01', charge_category: 'Usage', billed_cost: 81 },
      { team: 'support', sku_id: 'NPROOUT1', usage_type: 'USE1-NovaPro-output-tokens', resource_id: profile('supportnova02'), profile_id: 'supportnova02', charge_category: 'Usage', billed_cost: 234 },
    ]);
  });

  test('the month totals add up to every Bedrock line (EC2 and the other Marketplace product left out)', async () => {
    const byPeriod = new Map<string, number>();
    for (const r of cents(await db.query(queries.CostPerTeamPerMonth), 'billed_cost')) {
      byPeriod.set(String(r.billing_period), (byPeriod.get(String(r.billing_period)) ?? 0) + Number(r.billed_cost));
    }
    // by hand: March 12.3456+47.1289+3.0714+0.8123+2.3377+1.4142+5.5561+0.9876+0.4321+2.2222+2.6051+3.8846-10 = 72.7958
    // (per-group rounding: -1000+649+556+99+43+141+6170+622 = 7280); April 8.7654-4.1234+0.6543+1.2345 = 6.5308 (123-412+877+65 = 653)
    expect(Object.fromEntries(byPeriod)).toEqual({ '2026-03': 7280, '2026-04': 653 });
  });
});

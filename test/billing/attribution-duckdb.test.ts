/**
 * The attribution (reconciliation) named queries, executed on DuckDB against a CUR 2.0 month with IAM principal data
 * written as Parquet in the Data Exports layout with the columns and types of the synthesized Glue table: calls
 * through profiles by their own team, by another team, by an untagged user, direct model calls by a tagged and an
 * untagged role, a Marketplace row, a row without a principal, tax, and an EC2 row with the team tag.
 *
 * Every expected figure was worked out by hand from the rows (cents), not by the code.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DuckDbFocusExport, FocusRow } from './duckdb-focus';
import { AttributionQueries, AttributionSql, Cur2Export } from '../../src/billing';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const ACCT = '111122223333';
const profile = (id: string) => `arn:aws:bedrock:us-east-1:${ACCT}:application-inference-profile/${id}`;
const session = (role: string, name: string) => `arn:aws:sts::${ACCT}:assumed-role/${role}/${name}`;
const SEARCH_API_1 = session('search-api', 'i-0a1b');
const SEARCH_API_2 = session('search-api', 'i-0c2d');
const SUPPORT_BOT = session('support-bot', 'worker-9');
const ALICE = `arn:aws:iam::${ACCT}:user/alice`;
const DATA_SCIENCE = session('data-science', 'jupyter-kim');
const LEGACY = session('legacy-app', 'cron');
const OPUS = 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-opus-4-6-v1';
const NOVA = 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0';

interface CurLine {
  readonly type?: string;
  readonly product?: string;
  readonly description?: string;
  readonly usageType?: string;
  readonly resource?: string;
  readonly principal?: string;
  readonly tags?: Record<string, string>;
  readonly cost: number;
  readonly net?: number | null;
}

const LINES: CurLine[] = [
  // 1-3: search's profile, by search's role (two sessions) and by support's bot (cross-team)
  { resource: profile('searchsonn01'), principal: SEARCH_API_1, tags: { 'resourceTags/user:team': 'search', 'iamPrincipal/team': 'search' }, usageType: 'USE1-Claude4.6Sonnet-input-tokens', cost: 10.1234 },
  { resource: profile('searchsonn01'), principal: SUPPORT_BOT, tags: { 'resourceTags/user:team': 'search', 'iamPrincipal/team': 'support' }, usageType: 'USE1-Claude4.6Sonnet-output-tokens', cost: 3.3333 },
  { resource: profile('searchsonn01'), principal: SEARCH_API_2, tags: { 'resourceTags/user:team': 'search', 'iamPrincipal/team': 'search' }, usageType: 'USE1-Claude4.6Sonnet-input-tokens', cost: 1.1111 },
  // 4: support's profile by a user without principal tags
  { resource: profile('supportnova1'), principal: ALICE, tags: { 'resourceTags/team': 'support' }, usageType: 'USE1-NovaPro-input-tokens', cost: 2.468 },
  // 5-6: direct model calls: a role whose session tag says research, an untagged role
  { resource: NOVA, principal: DATA_SCIENCE, tags: { 'iamPrincipal/team': 'research' }, usageType: 'USE1-NovaPro-output-tokens', cost: 4.5678 },
  { resource: OPUS, principal: LEGACY, usageType: 'USE1-Claude4.6Opus-output-tokens', cost: 0.9876 },
  // 7: Marketplace model through search's profile (opaque product code), with a discount
  { product: 'prod-8h2opaque', description: 'Claude Sonnet 4.5 (Amazon Bedrock Edition) input tokens', resource: profile('searchmp0001'), principal: SEARCH_API_1, tags: { 'resourceTags/user:team': 'search', 'iamPrincipal/team': 'search' }, usageType: 'USE1-MP:USE1_InputTokenCount-Units', cost: 6.5001, net: 6.0001 },
  // 8: support's profile, no principal recorded
  { resource: profile('supportnova1'), principal: '', tags: { 'resourceTags/team': 'support' }, usageType: 'USE1-NovaPro-input-tokens', cost: 0.5557 },
  // 9: tax (not usage), 10: EC2 with the team tag (not Bedrock)
  { type: 'Tax', description: 'Tax for product code AmazonBedrock', cost: 1.2345 },
  { product: 'AmazonEC2', resource: 'i-0abc1234def567890', tags: { 'resourceTags/user:team': 'search' }, usageType: 'USE1-BoxUsage:m7g.large', principal: SEARCH_API_1, cost: 31.4159 },
];

function rows(): FocusRow[] {
  return LINES.map((l, i) => ({
    billing_period: '2026-05',
    bill_billing_entity: l.product?.startsWith('prod-') ? 'AWS Marketplace' : 'AWS',
    bill_billing_period_start_date: '2026-05-01 00:00:00.000',
    bill_billing_period_end_date: '2026-06-01 00:00:00.000',
    bill_payer_account_id: ACCT,
    identity_line_item_id: `li-${i + 1}`,
    identity_time_interval: '2026-05-12T00:00:00Z/2026-05-13T00:00:00Z',
    line_item_line_item_type: l.type ?? 'Usage',
    line_item_usage_account_id: ACCT,
    line_item_product_code: l.product ?? 'AmazonBedrock',
    product_servicecode: l.product ?? 'AmazonBedrock',
    line_item_usage_type: l.usageType ?? null,
    line_item_operation: l.type ? null : 'InvokeModelInference',
    line_item_resource_id: l.resource ?? null,
    line_item_line_item_description: l.description ?? `line ${i + 1}`,
    line_item_usage_start_date: '2026-05-12 00:00:00.000',
    line_item_usage_end_date: '2026-05-13 00:00:00.000',
    line_item_currency_code: 'USD',
    line_item_unblended_cost: l.cost,
    line_item_net_unblended_cost: l.net === undefined ? l.cost : l.net,
    line_item_iam_principal: l.principal ?? null,
    tags: l.tags ?? null,
  }));
}

function cents(result: Record<string, unknown>[], ...money: string[]): Record<string, unknown>[] {
  return result.map((r) => {
    const out: Record<string, unknown> = { ...r };
    for (const m of money) {
      out[m] = Math.round(Number(r[m]) * 100);
    }
    if ('line_items' in out) {
      out.line_items = Number(out.line_items);
    }
    return out;
  });
}

describe('attribution queries on a CUR 2.0 month with IAM principal data', () => {
  let db: DuckDbFocusExport;
  let queries: Record<string, string>;
  let stack: Stack;

  beforeAll(async () => {
    stack = new Stack(testApp(), 'Billing', { env: ENV });
    const cur2Export = new Cur2Export(stack, 'Cur2');
    const attribution = new AttributionQueries(stack, 'Attribution', { cur2Export });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    attribution.grantQuery(reader);
    attribution.acknowledgeQueryGrantWildcards(reader);
    const template = Template.fromStack(stack);
    const table = Object.values<any>(template.findResources('AWS::Glue::Table'))[0].Properties.TableInput;
    queries = {};
    for (const [id, resource] of Object.entries<any>(template.findResources('AWS::Athena::NamedQuery'))) {
      queries[id.replace(/^Attribution/, '').replace(/[0-9A-F]{8}$/, '')] = resource.Properties.QueryString;
    }
    db = await DuckDbFocusExport.create({
      database: 'bedrock_attribution',
      table: 'cur2',
      dataPrefix: cur2Export.dataPrefix,
      columns: table.StorageDescriptor.Columns,
      rows: rows(),
    });
  });
  afterAll(() => db.close());

  test('the Glue table: CUR 2.0 types, projected billing periods, the queries', () => {
    const template = Template.fromStack(stack);
    const table = Object.values<any>(template.findResources('AWS::Glue::Table'))[0].Properties.TableInput;
    const types = Object.fromEntries(table.StorageDescriptor.Columns.map((c: any) => [c.Name, c.Type]));
    expect(types).toMatchObject({
      line_item_unblended_cost: 'double',
      line_item_net_unblended_cost: 'double',
      line_item_usage_start_date: 'timestamp',
      line_item_iam_principal: 'string',
      tags: 'map<string,string>',
      bill_billing_period_start_date: 'timestamp',
    });
    expect(table.Parameters['projection.billing_period.range']).toBe('2026-04,NOW');
    expect(Object.keys(queries)).toEqual(['TeamByBothWitnesses', 'CostPerPrincipal', 'CrossTeamUse', 'DirectCalls']);
    expect(db.files()).toEqual(['BILLING_PERIOD=2026-05/data_0.parquet']);
  });

  test('cost per team by profile tag and by principal tag, side by side', async () => {
    // by profile tag: search 1+2+3+7 = 10.1234+3.3333+1.1111+6.0001 = 20.5679; support 4+8 = 3.0237; untagged 5+6 = 5.5554
    // by principal tag: search 1+3+7 = 17.2346; support 2 = 3.3333; research 5 = 4.5678; untagged 4+6+8 = 4.0113
    expect(cents(await db.query(queries.TeamByBothWitnesses), 'by_profile_tag', 'by_principal_tag', 'difference')).toEqual([
      { billing_period: '2026-05', team: '(untagged)', by_profile_tag: 556, by_principal_tag: 401, difference: 154 },
      { billing_period: '2026-05', team: 'research', by_profile_tag: 0, by_principal_tag: 457, difference: -457 },
      { billing_period: '2026-05', team: 'search', by_profile_tag: 2057, by_principal_tag: 1723, difference: 333 },
      { billing_period: '2026-05', team: 'support', by_profile_tag: 302, by_principal_tag: 333, difference: -31 },
    ]);
  });

  test('cost per principal within each team', async () => {
    expect(cents(await db.query(queries.CostPerPrincipal), 'cost')).toEqual([
      { billing_period: '2026-05', team: '(untagged)', principal: LEGACY, role_name: 'legacy-app', principal_team: null, line_items: 1, cost: 99 },
      { billing_period: '2026-05', team: 'research', principal: DATA_SCIENCE, role_name: 'data-science', principal_team: 'research', line_items: 1, cost: 457 },
      // lines 1+7: 10.1234 + 6.0001 (net) = 16.1235
      { billing_period: '2026-05', team: 'search', principal: SEARCH_API_1, role_name: 'search-api', principal_team: 'search', line_items: 2, cost: 1612 },
      { billing_period: '2026-05', team: 'search', principal: SEARCH_API_2, role_name: 'search-api', principal_team: 'search', line_items: 1, cost: 111 },
      { billing_period: '2026-05', team: 'search', principal: SUPPORT_BOT, role_name: 'support-bot', principal_team: 'support', line_items: 1, cost: 333 },
      { billing_period: '2026-05', team: 'support', principal: ALICE, role_name: null, principal_team: null, line_items: 1, cost: 247 },
      { billing_period: '2026-05', team: 'support', principal: null, role_name: null, principal_team: null, line_items: 1, cost: 56 },
    ]);
  });

  test('cross-team use: support\'s bot through search\'s profile', async () => {
    expect(cents(await db.query(queries.CrossTeamUse), 'cost')).toEqual([
      { billing_period: '2026-05', profile_team: 'search', principal_team: 'support', principal: SUPPORT_BOT, profile_id: 'searchsonn01', cost: 333 },
    ]);
  });

  test('direct calls: who called models without a profile', async () => {
    expect(cents(await db.query(queries.DirectCalls), 'cost')).toEqual([
      { billing_period: '2026-05', principal: DATA_SCIENCE, principal_team: 'research', resource_id: NOVA, usage_type: 'USE1-NovaPro-output-tokens', cost: 457 },
      { billing_period: '2026-05', principal: LEGACY, principal_team: null, resource_id: OPUS, usage_type: 'USE1-Claude4.6Opus-output-tokens', cost: 99 },
    ]);
  });

  test('both witnesses account for the same Bedrock usage (no tax, no EC2)', async () => {
    const result = await db.query(queries.TeamByBothWitnesses);
    const total = (column: string) => Math.round(result.reduce((sum, r) => sum + Number(r[column]), 0) * 100);
    // 29.147 either way before rounding; the per-team rounded figures add up to 29.15 and 29.14
    expect(total('by_profile_tag')).toBe(2915);
    expect(total('by_principal_tag')).toBe(2914);
  });

  test('no unacknowledged AwsSolutions finding', () => {
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  });

  test('another team key', () => {
    const sql = AttributionSql.costPerPrincipal({ database: 'd', table: 't', costTagKeys: { team: 'squad' } });
    expect(sql).toContain("element_at(tags, 'iamPrincipal/squad')");
    expect(sql).toContain("element_at(tags, 'resourceTags/user:squad')");
    expect(sql).not.toContain("'iamPrincipal/team'");
  });
});

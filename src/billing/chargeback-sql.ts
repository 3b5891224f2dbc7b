import { FocusVersion } from './focus-version';
import { resolveCostTagKeys } from '../tags/cost-tag-keys';
import { CostTagKeys } from '../tags/cost-tags';

/** What the chargeback queries run against. */
export interface ChargebackSqlOptions {
  /** The Glue (Athena) database of the FOCUS table. */
  readonly database: string;

  /** The FOCUS table, with lower-case FOCUS column names and a `billing_period` (`YYYY-MM`) partition column. */
  readonly table: string;

  /**
   * The FOCUS version of the table. FOCUS 1.0 describes usage in `x_UsageType`, FOCUS 1.2 in `SkuMeter`; both
   * have `ChargeDescription`.
   *
   * @default FocusVersion.V1_2
   */
  readonly version?: FocusVersion;

  /**
   * The cost tag key names; the team key finds each row's team.
   *
   * @default - `team`, `cost-center`, `environment`
   */
  readonly costTagKeys?: CostTagKeys;

  /**
   * Service codes (`x_ServiceCode`) that mark Bedrock rows, besides the service name `Amazon Bedrock` and
   * Marketplace service names ending in `(Amazon Bedrock Edition)`.
   *
   * @default ['AmazonBedrock', 'AmazonBedrockFoundationModels']
   */
  readonly bedrockServiceCodes?: string[];
}

/**
 * The chargeback SQL over a FOCUS export, in the Athena (Trino) dialect: the single source of the named queries of
 * `ChargebackQueries`, usable on its own in any Trino-compatible engine.
 *
 * Every query keeps only Bedrock rows, billed either as `Amazon Bedrock` (Amazon models) or through AWS Marketplace
 * (third-party models: service names like `Claude Haiku 4.5 (Amazon Bedrock Edition)`, service code
 * `AmazonBedrockFoundationModels` or an opaque product code), and reads the team from the `Tags` map whatever form
 * the key takes (`team`, `user:team`, `user_team`, `resourceTags/team`, `resourceTags/user:team`: the key form of
 * FOCUS `Tags` is UNVERIFIED), and from the prefixed forms AWS writes for other tag sources (`iamPrincipal/`,
 * `accountTag/`, `costCategory/`).
 *
 * Who a row belongs to (`team`), and by which witness (`attributed_by`): the resource tag of the row (for Bedrock, the
 * application inference profile's tag), else the tag of the IAM principal that made the call (`iamPrincipal/<key>`,
 * since April 2026), else the account's tag (`accountTag/<key>`), else a cost category named like the key
 * (`costCategory/<key>`; FOCUS 1.0 also `x_CostCategories[<key>]`). Usage rows with none of these are `(untagged)` (the governance gap); other rows with none
 * (tax, credits, refunds, fees: AWS does not tag most of them) are `(unallocated)`, never counted in the gap.
 *
 * Every cost query keeps `charge_category` (FOCUS `ChargeCategory`: Usage, Tax, Credit, Adjustment, Purchase) as a
 * column, so usage is never silently netted with tax or credits, and `corrected_period`: for a correction of an
 * earlier month (FOCUS `ChargeClass` = `Correction`), the month it corrects (the month of its `ChargePeriodStart`),
 * else NULL. Rows stay in the billing period AWS invoiced them in; group by `corrected_period` to restate a month.
 *
 * Cost columns: `effective_cost` (FOCUS `EffectiveCost`) is the one to charge back: it is what the usage cost after
 * negotiated discounts and with commitment purchases spread over the usage they cover, so a team pays for what it
 * used, not for when the organization happened to be invoiced. `billed_cost` (FOCUS `BilledCost`) is what the
 * invoice says: use it to reconcile with the invoice. Costs are summed per billing currency and rounded to the cent.
 */
export class ChargebackSql {
  /** The service name of Bedrock rows billed by AWS (Amazon models). */
  public static readonly BEDROCK_SERVICE_NAME = 'Amazon Bedrock';
  /** The ending of the service names of Bedrock models billed through AWS Marketplace. */
  public static readonly MARKETPLACE_EDITION_SUFFIX = '(Amazon Bedrock Edition)';
  /** The team label of usage rows that no witness attributes to a team (the governance gap). */
  public static readonly UNTAGGED = '(untagged)';
  /** The team label of rows other than usage (tax, credits, refunds, fees) that no witness attributes to a team. */
  public static readonly UNALLOCATED = '(unallocated)';
  /** The FOCUS `ChargeCategory` of usage rows. */
  public static readonly USAGE = 'Usage';
  /** The FOCUS `ChargeClass` of rows that correct an earlier billing period. */
  public static readonly CORRECTION = 'Correction';

  /**
   * The prefixes AWS puts before a tag key in the `Tags` map for each source of tags, in the order the queries trust
   * them: resource tags (no prefix, or `resourceTags/`), IAM principal and session tags (`iamPrincipal/`), account
   * tags (`accountTag/`) and cost categories (`costCategory/`).
   *
   * @see https://docs.aws.amazon.com/cur/latest/userguide/table-dictionary-cur2-tag-columns.html
   */
  public static readonly PRINCIPAL_TAG_PREFIX = 'iamPrincipal/';
  /** The prefix of account tags in the `Tags` map. */
  public static readonly ACCOUNT_TAG_PREFIX = 'accountTag/';
  /** The prefix of cost categories in the `Tags` map. */
  public static readonly COST_CATEGORY_PREFIX = 'costCategory/';

  /**
   * The forms a cost allocation tag key may take in the FOCUS `Tags` map: the key itself, `user:<key>`,
   * `user_<key>` (and with every other character than a letter or digit as `_`, the CUR 2.0 form),
   * `resourceTags/<key>` and `resourceTags/user:<key>`.
   */
  public static tagKeyForms(key: string): string[] {
    const sanitized = key.replace(/[^A-Za-z0-9]/g, '_');
    return unique([key, `user:${key}`, `user_${key}`, `user_${sanitized}`, `resourceTags/${key}`, `resourceTags/user:${key}`, `resourceTags/user_${sanitized}`]);
  }

  /**
   * The forms a tag key of another source takes in the `Tags` map: `<prefix><key>`, `<prefix>user:<key>` and
   * `<prefix>user_<key>` (e.g. `iamPrincipal/team`).
   */
  public static prefixedTagKeyForms(prefix: string, key: string): string[] {
    const sanitized = key.replace(/[^A-Za-z0-9]/g, '_');
    return unique([`${prefix}${key}`, `${prefix}user:${key}`, `${prefix}user_${sanitized}`]);
  }

  /**
   * Bedrock cost per team per month (`billing_period`), with the witness that attributed it, the charge category and
   * the month a correction corrects.
   */
  public static costPerTeamPerMonth(options: ChargebackSqlOptions): string {
    return lines(
      '-- Bedrock cost per team and month, by witness, charge category and corrected month (cdk-bedrock-governance)',
      COST_COLUMN_NOTE,
      ...ChargebackSql.header(options),
      'SELECT',
      '  billing_period,',
      '  team,',
      '  attributed_by,',
      '  charge_category,',
      '  corrected_period,',
      '  currency,',
      '  ROUND(SUM(billedcost), 2) AS billed_cost,',
      '  ROUND(SUM(effectivecost), 2) AS effective_cost',
      'FROM bedrock',
      'GROUP BY billing_period, team, attributed_by, charge_category, corrected_period, currency',
      'ORDER BY billing_period, team, attributed_by, charge_category, corrected_period, currency',
    );
  }

  /**
   * Bedrock cost per team, month, service (for Marketplace rows: the model), SKU and usage type (which tell models
   * apart within `Amazon Bedrock`, e.g. `USE1-NovaLite-input-tokens`), and resource (the application inference
   * profile ARN when the call went through one), with the profile id (the `ModelId` dimension of the profile's
   * CloudWatch metrics) and the charge category.
   */
  public static costPerTeamPerModel(options: ChargebackSqlOptions): string {
    return lines(
      '-- Bedrock cost per team, month, model (service name, SKU and usage type) and inference profile (resource id) (cdk-bedrock-governance)',
      COST_COLUMN_NOTE,
      ...ChargebackSql.header(options),
      'SELECT',
      '  billing_period,',
      '  team,',
      '  servicename AS service_name,',
      '  skuid AS sku_id,',
      `  ${ChargebackSql.usageColumn(options)} AS usage_type,`,
      '  resourceid AS resource_id,',
      "  NULLIF(regexp_extract(resourceid, 'application-inference-profile/([A-Za-z0-9]+)', 1), '') AS profile_id,",
      '  charge_category,',
      '  currency,',
      '  ROUND(SUM(billedcost), 2) AS billed_cost,',
      '  ROUND(SUM(effectivecost), 2) AS effective_cost',
      'FROM bedrock',
      `GROUP BY billing_period, team, servicename, skuid, ${ChargebackSql.usageColumn(options)}, resourceid, charge_category, currency`,
      'ORDER BY billing_period, team, service_name, sku_id, usage_type, resource_id, charge_category, currency',
    );
  }

  /**
   * Bedrock cost per team, month and operation (`x_Operation`, e.g. `InvokeModelInference`), with the invocation
   * mode: `streaming` when the operation name contains "stream" (e.g. `InvokeModelStreamingInference`), else
   * `non-streaming`.
   */
  public static costPerTeamPerOperation(options: ChargebackSqlOptions): string {
    return lines(
      '-- Bedrock cost per team, month and operation, streaming or not (cdk-bedrock-governance)',
      ...ChargebackSql.header(options, [
        "    CASE WHEN lower(x_operation) LIKE '%stream%' THEN 'streaming' ELSE 'non-streaming' END AS invocation_mode,",
      ]),
      'SELECT',
      '  billing_period,',
      '  team,',
      '  x_operation AS operation,',
      '  invocation_mode,',
      '  charge_category,',
      '  currency,',
      '  ROUND(SUM(billedcost), 2) AS billed_cost,',
      '  ROUND(SUM(effectivecost), 2) AS effective_cost',
      'FROM bedrock',
      'GROUP BY billing_period, team, x_operation, invocation_mode, charge_category, currency',
      'ORDER BY billing_period, team, operation, charge_category, currency',
    );
  }

  /**
   * What prompt caching saved, per team, month, service and resource: the cache-read rows priced at the full input
   * price, minus their list cost.
   *
   * Cache-read rows are those whose usage text (FOCUS 1.0: `x_UsageType` and `ChargeDescription`; FOCUS 1.2:
   * `SkuMeter` and `ChargeDescription`, lower-cased, without `-`, `_` and spaces) contains `cacheread`. The full
   * input price is derived from the export's own rows: the highest `ListUnitPrice` of the uncached input-token
   * rows (usage text contains `inputtoken` but not `cache`) of the same month, service, resource, Region and
   * pricing unit. So negotiated and Regional prices are used as billed, and no price catalogue is needed; where
   * no such input row exists, `input_unit_price` and the savings are NULL. Usage rows only: a credit or refund on
   * cache reads is not a cache read.
   */
  public static cacheSavings(options: ChargebackSqlOptions): string {
    return lines(
      '-- Prompt-cache savings per team, month, model and inference profile (cdk-bedrock-governance)',
      '-- savings = cache-read quantity x the list unit price of uncached input tokens of the same model, month and Region - the list cost of the cache reads',
      ...ChargebackSql.header(options, [
        `    ${ChargebackSql.usageText(options)} AS usage_text,`,
        "    COALESCE(resourceid, '') AS resource_key,",
        "    COALESCE(regionid, '') AS region_key,",
        "    COALESCE(pricingunit, '') AS unit_key,",
      ]).slice(0, -1),
      '),',
      'input_prices AS (',
      '  SELECT billing_period, servicename, resource_key, region_key, unit_key, MAX(listunitprice) AS input_unit_price',
      '  FROM bedrock',
      `  WHERE charge_category = '${ChargebackSql.USAGE}' AND usage_text LIKE '%inputtoken%' AND usage_text NOT LIKE '%cache%' AND listunitprice > 0`,
      '  GROUP BY billing_period, servicename, resource_key, region_key, unit_key',
      '),',
      'cache_reads AS (',
      '  SELECT *',
      '  FROM bedrock',
      `  WHERE charge_category = '${ChargebackSql.USAGE}' AND usage_text LIKE '%cacheread%'`,
      ')',
      'SELECT',
      '  c.billing_period,',
      '  c.team,',
      '  c.servicename AS service_name,',
      '  c.resourceid AS resource_id,',
      '  c.pricingunit AS pricing_unit,',
      '  c.currency,',
      '  SUM(c.pricingquantity) AS cache_read_quantity,',
      '  MAX(p.input_unit_price) AS input_unit_price,',
      '  ROUND(SUM(c.listcost), 2) AS cache_read_list_cost,',
      '  ROUND(SUM(c.effectivecost), 2) AS cache_read_effective_cost,',
      '  ROUND(SUM(c.pricingquantity * p.input_unit_price), 2) AS cost_at_input_price,',
      '  ROUND(SUM(c.pricingquantity * p.input_unit_price) - SUM(c.listcost), 2) AS savings',
      'FROM cache_reads c',
      'LEFT JOIN input_prices p',
      '  ON p.billing_period = c.billing_period',
      '  AND p.servicename = c.servicename',
      '  AND p.resource_key = c.resource_key',
      '  AND p.region_key = c.region_key',
      '  AND p.unit_key = c.unit_key',
      'GROUP BY c.billing_period, c.team, c.servicename, c.resourceid, c.pricingunit, c.currency',
      'ORDER BY c.billing_period, c.team, service_name, resource_id',
    );
  }

  /**
   * Bedrock usage that no witness attributes to a team (the governance gap): per month, account, service, resource
   * and operation, largest first. Usage only: tax, credits and refunds are not usage and are never in the gap (they
   * are `(unallocated)` in the other queries). Calls made directly on a model, by a principal without a team tag,
   * instead of through a team's application inference profile land here; a direct call by a tagged principal is
   * attributed by its principal tag (see the reconciliation queries for who called without a profile).
   */
  public static untaggedSpend(options: ChargebackSqlOptions): string {
    return lines(
      '-- Bedrock spend without a team tag: the governance gap (cdk-bedrock-governance)',
      ...ChargebackSql.header(options),
      'SELECT',
      '  billing_period,',
      '  subaccountid AS account_id,',
      '  servicename AS service_name,',
      '  resourceid AS resource_id,',
      '  x_operation AS operation,',
      '  currency,',
      '  ROUND(SUM(billedcost), 2) AS billed_cost,',
      '  ROUND(SUM(effectivecost), 2) AS effective_cost',
      'FROM bedrock',
      `WHERE team = '${ChargebackSql.UNTAGGED}'`,
      'GROUP BY billing_period, subaccountid, servicename, resourceid, x_operation, currency',
      'ORDER BY billing_period, billed_cost DESC, service_name, resource_id, operation',
    );
  }

  /**
   * The tag keys that Bedrock rows carry, with their row counts: shows which form the team key takes in your
   * export (the key form of FOCUS `Tags` is UNVERIFIED).
   */
  public static tagKeys(options: ChargebackSqlOptions): string {
    return lines(
      '-- Tag keys on Bedrock rows, to check the form of the team key (cdk-bedrock-governance)',
      'SELECT',
      '  tag_key,',
      '  COUNT(*) AS line_items',
      `FROM ${ChargebackSql.source(options)}`,
      'CROSS JOIN UNNEST(map_keys(tags)) AS t (tag_key)',
      `WHERE ${ChargebackSql.bedrockPredicate(options)}`,
      'GROUP BY tag_key',
      'ORDER BY tag_key',
    );
  }

  /** The `WITH bedrock AS (...)` CTE shared by the queries: Bedrock rows with their team and currency. */
  private static header(options: ChargebackSqlOptions, extraColumns: string[] = []): string[] {
    const key = resolveCostTagKeys(options.costTagKeys).team;
    const resource = tagLookup(ChargebackSql.tagKeyForms(key));
    const principal = tagLookup(ChargebackSql.prefixedTagKeyForms(ChargebackSql.PRINCIPAL_TAG_PREFIX, key));
    const account = tagLookup(ChargebackSql.prefixedTagKeyForms(ChargebackSql.ACCOUNT_TAG_PREFIX, key));
    const categoryForms = ChargebackSql.prefixedTagKeyForms(ChargebackSql.COST_CATEGORY_PREFIX, key).map((form) => `element_at(tags, ${literal(form)})`);
    if ((options.version ?? FocusVersion.V1_2) === FocusVersion.V1_0) {
      // FOCUS 1.0 also has the cost categories in a column of their own, keyed by the category name
      categoryForms.push(`element_at(x_costcategories, ${literal(key)})`);
    }
    const category = `NULLIF(TRIM(COALESCE(${categoryForms.join(', ')})), '')`;
    return [
      'WITH witnessed AS (',
      '  SELECT',
      '    *,',
      `    ${resource} AS resource_team,`,
      `    ${principal} AS principal_team,`,
      `    ${account} AS account_team,`,
      `    ${category} AS category_team`,
      `  FROM ${ChargebackSql.source(options)}`,
      `  WHERE ${ChargebackSql.bedrockPredicate(options)}`,
      '),',
      'bedrock AS (',
      '  SELECT',
      '    *,',
      `    COALESCE(resource_team, principal_team, account_team, category_team, CASE WHEN chargecategory = '${ChargebackSql.USAGE}' THEN '${ChargebackSql.UNTAGGED}' ELSE '${ChargebackSql.UNALLOCATED}' END) AS team,`,
      "    CASE WHEN resource_team IS NOT NULL THEN 'resource tag' WHEN principal_team IS NOT NULL THEN 'principal tag'"
        + " WHEN account_team IS NOT NULL THEN 'account tag' WHEN category_team IS NOT NULL THEN 'cost category' END AS attributed_by,",
      "    COALESCE(chargecategory, '(none)') AS charge_category,",
      `    CASE WHEN chargeclass = '${ChargebackSql.CORRECTION}' THEN substr(CAST(chargeperiodstart AS varchar), 1, 7) END AS corrected_period,`,
      ...extraColumns,
      "    COALESCE(billingcurrency, 'USD') AS currency",
      '  FROM witnessed',
      ')',
    ];
  }

  /** True for Bedrock rows, however they are billed. */
  private static bedrockPredicate(options: ChargebackSqlOptions): string {
    const codes = options.bedrockServiceCodes ?? ['AmazonBedrock', 'AmazonBedrockFoundationModels'];
    const parts = [
      `servicename = ${literal(ChargebackSql.BEDROCK_SERVICE_NAME)}`,
      `servicename LIKE ${literal(`%${ChargebackSql.MARKETPLACE_EDITION_SUFFIX}%`)}`,
    ];
    if (codes.length > 0) {
      parts.push(`x_servicecode IN (${codes.map(literal).join(', ')})`);
    }
    return `(${parts.join(' OR ')})`;
  }

  /** The usage description of a row, lower-cased, without `-`, `_` and spaces. */
  private static usageText(options: ChargebackSqlOptions): string {
    return `lower(replace(replace(replace(COALESCE(${ChargebackSql.usageColumn(options)}, '') || ' ' || COALESCE(chargedescription, ''), '-', ''), '_', ''), ' ', ''))`;
  }

  /** The column that names the usage of a row: FOCUS 1.0 `x_UsageType`, FOCUS 1.2 `SkuMeter`. */
  private static usageColumn(options: ChargebackSqlOptions): string {
    return (options.version ?? FocusVersion.V1_2) === FocusVersion.V1_0 ? 'x_usagetype' : 'skumeter';
  }

  private static source(options: ChargebackSqlOptions): string {
    return `${identifier(options.database)}.${identifier(options.table)}`;
  }

  private constructor() {
  }
}

/** The comment line every cost query starts with: which cost column a chargeback uses, and why. */
const COST_COLUMN_NOTE = '-- chargeback: use effective_cost (after discounts, commitments spread over the usage they cover); billed_cost reconciles with the invoice';

/** The first non-blank value among the forms of a tag key in the `Tags` map, else NULL. */
function tagLookup(forms: string[]): string {
  return `NULLIF(TRIM(COALESCE(${forms.map((form) => `element_at(tags, ${literal(form)})`).join(', ')})), '')`;
}

function lines(...parts: string[]): string {
  return parts.join('\n');
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function identifier(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

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
 * FOCUS `Tags` is UNVERIFIED). Rows without a team are reported as `(untagged)`. Costs are summed per billing
 * currency and rounded to the cent.
 */
export class ChargebackSql {
  /** The service name of Bedrock rows billed by AWS (Amazon models). */
  public static readonly BEDROCK_SERVICE_NAME = 'Amazon Bedrock';
  /** The ending of the service names of Bedrock models billed through AWS Marketplace. */
  public static readonly MARKETPLACE_EDITION_SUFFIX = '(Amazon Bedrock Edition)';
  /** The team label of rows that carry no team tag. */
  public static readonly UNTAGGED = '(untagged)';

  /**
   * The forms a cost allocation tag key may take in the FOCUS `Tags` map: the key itself, `user:<key>`,
   * `user_<key>` (and with every other character than a letter or digit as `_`, the CUR 2.0 form),
   * `resourceTags/<key>` and `resourceTags/user:<key>`.
   */
  public static tagKeyForms(key: string): string[] {
    const sanitized = key.replace(/[^A-Za-z0-9]/g, '_');
    return unique([key, `user:${key}`, `user_${key}`, `user_${sanitized}`, `resourceTags/${key}`, `resourceTags/user:${key}`]);
  }

  /** Bedrock cost per team per month (`billing_period`). */
  public static costPerTeamPerMonth(options: ChargebackSqlOptions): string {
    return lines(
      '-- Bedrock cost per team and month (cdk-bedrock-governance)',
      ...ChargebackSql.header(options),
      'SELECT',
      '  billing_period,',
      '  team,',
      '  currency,',
      '  ROUND(SUM(billedcost), 2) AS billed_cost,',
      '  ROUND(SUM(effectivecost), 2) AS effective_cost',
      'FROM bedrock',
      'GROUP BY billing_period, team, currency',
      'ORDER BY billing_period, team, currency',
    );
  }

  /**
   * Bedrock cost per team, month, service (for Marketplace rows: the model) and resource (the application
   * inference profile ARN when the call went through one), with the profile id (the `ModelId` dimension of the
   * profile's CloudWatch metrics).
   */
  public static costPerTeamPerModel(options: ChargebackSqlOptions): string {
    return lines(
      '-- Bedrock cost per team, month, model (service name) and inference profile (resource id) (cdk-bedrock-governance)',
      ...ChargebackSql.header(options),
      'SELECT',
      '  billing_period,',
      '  team,',
      '  servicename AS service_name,',
      '  resourceid AS resource_id,',
      "  NULLIF(regexp_extract(resourceid, 'application-inference-profile/([A-Za-z0-9]+)', 1), '') AS profile_id,",
      '  currency,',
      '  ROUND(SUM(billedcost), 2) AS billed_cost,',
      '  ROUND(SUM(effectivecost), 2) AS effective_cost',
      'FROM bedrock',
      'GROUP BY billing_period, team, servicename, resourceid, currency',
      'ORDER BY billing_period, team, service_name, resource_id, currency',
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
      '  currency,',
      '  ROUND(SUM(billedcost), 2) AS billed_cost,',
      '  ROUND(SUM(effectivecost), 2) AS effective_cost',
      'FROM bedrock',
      'GROUP BY billing_period, team, x_operation, invocation_mode, currency',
      'ORDER BY billing_period, team, operation, currency',
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
   * no such input row exists, `input_unit_price` and the savings are NULL.
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
      "  WHERE usage_text LIKE '%inputtoken%' AND usage_text NOT LIKE '%cache%' AND listunitprice > 0",
      '  GROUP BY billing_period, servicename, resource_key, region_key, unit_key',
      '),',
      'cache_reads AS (',
      '  SELECT *',
      '  FROM bedrock',
      "  WHERE usage_text LIKE '%cacheread%'",
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
   * Bedrock spend that carries no team tag (the governance gap): per month, account, service, resource and
   * operation, largest first. Calls made directly on a model instead of through a team's application inference
   * profile land here.
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
    return [
      'WITH bedrock AS (',
      '  SELECT',
      '    *,',
      `    COALESCE(${ChargebackSql.teamExpression(options)}, '${ChargebackSql.UNTAGGED}') AS team,`,
      ...extraColumns,
      "    COALESCE(billingcurrency, 'USD') AS currency",
      `  FROM ${ChargebackSql.source(options)}`,
      `  WHERE ${ChargebackSql.bedrockPredicate(options)}`,
      ')',
    ];
  }

  /** The team of a row: the first non-blank value among the forms of the team key, else NULL. */
  private static teamExpression(options: ChargebackSqlOptions): string {
    const key = resolveCostTagKeys(options.costTagKeys).team;
    const lookups = ChargebackSql.tagKeyForms(key).map((form) => `element_at(tags, ${literal(form)})`);
    return `NULLIF(TRIM(COALESCE(${lookups.join(', ')})), '')`;
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
    const usageColumn = (options.version ?? FocusVersion.V1_2) === FocusVersion.V1_0 ? 'x_usagetype' : 'skumeter';
    return `lower(replace(replace(replace(COALESCE(${usageColumn}, '') || ' ' || COALESCE(chargedescription, ''), '-', ''), '_', ''), ' ', ''))`;
  }

  private static source(options: ChargebackSqlOptions): string {
    return `${identifier(options.database)}.${identifier(options.table)}`;
  }

  private constructor() {
  }
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

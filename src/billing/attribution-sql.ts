import { ChargebackSql } from './chargeback-sql';
import { resolveCostTagKeys } from '../tags/cost-tag-keys';
import { CostTagKeys } from '../tags/cost-tags';

/** What the attribution queries run against. */
export interface AttributionSqlOptions {
  /** The Glue (Athena) database of the CUR 2.0 table. */
  readonly database: string;

  /** The CUR 2.0 table (columns of `Cur2Export.columns()`), with a `billing_period` (`YYYY-MM`) partition column. */
  readonly table: string;

  /**
   * The cost tag key names; the team key is read from the resource tags (the profile witness) and from the
   * principal tags (`iamPrincipal/<key>`, the principal witness).
   *
   * @default - `team`, `cost-center`, `environment`
   */
  readonly costTagKeys?: CostTagKeys;

  /**
   * Product codes (`line_item_product_code` or `product_servicecode`) that mark Bedrock rows, besides any row whose
   * resource is a Bedrock ARN and Marketplace rows whose description names "(Amazon Bedrock Edition)".
   *
   * @default ['AmazonBedrock', 'AmazonBedrockFoundationModels']
   */
  readonly bedrockProductCodes?: string[];
}

/**
 * The reconciliation SQL over a CUR 2.0 export with IAM principal data, Athena (Trino) dialect: the two witnesses of
 * who spent, side by side.
 *
 * - The profile witness: the resource tags of the row (for a call through an application inference profile, the
 *   profile's tags), keys `resourceTags/<key>` and the other forms `ChargebackSql.tagKeyForms` lists.
 * - The principal witness: the IAM principal that made the call (`line_item_iam_principal`, the ARN AWS records,
 *   `assumed-role/<role>/<session>` for roles) and its principal or session tags (`iamPrincipal/<key>`).
 *
 * Usage rows of Bedrock only (`line_item_line_item_type = 'Usage'`): tax, credits and refunds carry no principal.
 * Cost is `line_item_net_unblended_cost` (after discounts, the CUR counterpart of FOCUS `EffectiveCost`), falling
 * back to `line_item_unblended_cost` where the net column is empty. Rows with no tag are `(untagged)`; rows with no
 * principal (e.g. APIs not covered by principal attribution, or usage before the export included it) have a NULL
 * principal.
 *
 * @see https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/iam-principal-cost-allocation.html
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/cost-mgmt-iam-principal-tracking.html
 */
export class AttributionSql {
  /** The label of rows without the team tag (either witness). */
  public static readonly UNTAGGED = '(untagged)';

  /** Cost per team as each witness sees it, side by side, with the difference (profile minus principal). */
  public static teamByBothWitnesses(options: AttributionSqlOptions): string {
    return lines(
      '-- Bedrock cost per team: by profile tag and by principal tag, side by side (cdk-bedrock-governance)',
      '-- difference = by_profile_tag - by_principal_tag: spend the two witnesses put in different teams',
      ...AttributionSql.header(options, true),
      'sides AS (',
      `  SELECT billing_period, COALESCE(profile_team, '${AttributionSql.UNTAGGED}') AS team, cost AS profile_cost, 0E0 AS principal_cost FROM bedrock`,
      '  UNION ALL',
      `  SELECT billing_period, COALESCE(principal_team, '${AttributionSql.UNTAGGED}') AS team, 0E0 AS profile_cost, cost AS principal_cost FROM bedrock`,
      ')',
      'SELECT',
      '  billing_period,',
      '  team,',
      '  ROUND(SUM(profile_cost), 2) AS by_profile_tag,',
      '  ROUND(SUM(principal_cost), 2) AS by_principal_tag,',
      '  ROUND(SUM(profile_cost) - SUM(principal_cost), 2) AS difference',
      'FROM sides',
      'GROUP BY billing_period, team',
      'ORDER BY billing_period, team',
    );
  }

  /**
   * Cost per principal within each team (the team of the profile, else of the principal), with the principal's own
   * team tag and the role name of assumed-role principals.
   */
  public static costPerPrincipal(options: AttributionSqlOptions): string {
    return lines(
      '-- Bedrock cost per IAM principal within each team (cdk-bedrock-governance)',
      ...AttributionSql.header(options, true),
      'attributed AS (',
      `  SELECT *, COALESCE(profile_team, principal_team, '${AttributionSql.UNTAGGED}') AS team FROM bedrock`,
      ')',
      'SELECT',
      '  billing_period,',
      '  team,',
      '  principal,',
      '  role_name,',
      '  principal_team,',
      '  COUNT(*) AS line_items,',
      '  ROUND(SUM(cost), 2) AS cost',
      'FROM attributed',
      'GROUP BY billing_period, team, principal, role_name, principal_team',
      'ORDER BY billing_period, team, principal',
    );
  }

  /** Spend through one team's profile by a principal tagged with another team (cross-team use). */
  public static crossTeamUse(options: AttributionSqlOptions): string {
    return lines(
      '-- Bedrock spend through a team\'s profile by a principal of another team (cdk-bedrock-governance)',
      ...AttributionSql.header(options),
      'SELECT',
      '  billing_period,',
      '  profile_team,',
      '  principal_team,',
      '  principal,',
      '  profile_id,',
      '  ROUND(SUM(cost), 2) AS cost',
      'FROM bedrock',
      'WHERE profile_team IS NOT NULL AND principal_team IS NOT NULL AND profile_team <> principal_team',
      'GROUP BY billing_period, profile_team, principal_team, principal, profile_id',
      'ORDER BY billing_period, cost DESC, profile_team, principal',
    );
  }

  /** Bedrock spend with a principal but no application inference profile: who calls models directly. */
  public static directCalls(options: AttributionSqlOptions): string {
    return lines(
      '-- Bedrock spend with a principal and no application inference profile: direct calls, by whom (cdk-bedrock-governance)',
      ...AttributionSql.header(options),
      'SELECT',
      '  billing_period,',
      '  principal,',
      '  principal_team,',
      '  resource_id,',
      '  usage_type,',
      '  ROUND(SUM(cost), 2) AS cost',
      'FROM bedrock',
      'WHERE principal IS NOT NULL AND profile_id IS NULL',
      'GROUP BY billing_period, principal, principal_team, resource_id, usage_type',
      'ORDER BY billing_period, cost DESC, principal, resource_id, usage_type',
    );
  }

  /** The `WITH bedrock AS (...)` CTE: Bedrock usage rows with both witnesses (then a comma when more CTEs follow). */
  private static header(options: AttributionSqlOptions, moreCtes: boolean = false): string[] {
    const key = resolveCostTagKeys(options.costTagKeys).team;
    const codes = (options.bedrockProductCodes ?? ['AmazonBedrock', 'AmazonBedrockFoundationModels']).map(literal).join(', ');
    return [
      'WITH bedrock AS (',
      '  SELECT',
      '    billing_period,',
      `    ${tagLookup(ChargebackSql.tagKeyForms(key))} AS profile_team,`,
      `    ${tagLookup(ChargebackSql.prefixedTagKeyForms(ChargebackSql.PRINCIPAL_TAG_PREFIX, key))} AS principal_team,`,
      "    NULLIF(TRIM(line_item_iam_principal), '') AS principal,",
      "    COALESCE(NULLIF(regexp_extract(line_item_iam_principal, 'assumed-role/([^/]+)', 1), ''), NULLIF(regexp_extract(line_item_iam_principal, ':role/(?:.*/)?([^/]+)$', 1), '')) AS role_name,",
      '    line_item_resource_id AS resource_id,',
      "    NULLIF(regexp_extract(line_item_resource_id, 'application-inference-profile/([A-Za-z0-9]+)', 1), '') AS profile_id,",
      '    line_item_usage_type AS usage_type,',
      '    COALESCE(line_item_net_unblended_cost, line_item_unblended_cost) AS cost',
      `  FROM ${identifier(options.database)}.${identifier(options.table)}`,
      "  WHERE line_item_line_item_type = 'Usage'",
      `    AND (line_item_product_code IN (${codes}) OR product_servicecode IN (${codes})`,
      "      OR line_item_resource_id LIKE 'arn:%:bedrock:%'",
      `      OR line_item_line_item_description LIKE ${literal(`%${ChargebackSql.MARKETPLACE_EDITION_SUFFIX}%`)})`,
      moreCtes ? '),' : ')',
    ];
  }

  private constructor() {
  }
}

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

/**
 * The columns of the CUR 2.0 table (`COST_AND_USAGE_REPORT`) of AWS Data Exports that `Cur2Export` selects, with the
 * Glue (Hive) type the CUR 2.0 table dictionary gives each: costs, rates and amounts `double`, dates `timestamp`, the
 * tag and category maps `map<string,string>`, the rest `string`. A subset of the table: what attribution needs
 * (who, what, when, how much, which tags), so the export stays small. `line_item_iam_principal` is filled only when
 * the export includes IAM principal data.
 *
 * @see https://docs.aws.amazon.com/cur/latest/userguide/table-dictionary-cur2.html
 * @see https://docs.aws.amazon.com/cur/latest/userguide/table-dictionary-cur2-tag-columns.html
 * @see https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/iam-principal-cost-allocation.html
 */
export const CUR2_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['bill_billing_entity', 'string'],
  ['bill_billing_period_start_date', 'timestamp'],
  ['bill_billing_period_end_date', 'timestamp'],
  ['bill_invoice_id', 'string'],
  ['bill_payer_account_id', 'string'],
  ['identity_line_item_id', 'string'],
  ['identity_time_interval', 'string'],
  ['line_item_line_item_type', 'string'],
  ['line_item_usage_account_id', 'string'],
  ['line_item_product_code', 'string'],
  ['line_item_usage_type', 'string'],
  ['line_item_operation', 'string'],
  ['line_item_resource_id', 'string'],
  ['line_item_line_item_description', 'string'],
  ['line_item_usage_start_date', 'timestamp'],
  ['line_item_usage_end_date', 'timestamp'],
  ['line_item_usage_amount', 'double'],
  ['line_item_currency_code', 'string'],
  ['line_item_unblended_cost', 'double'],
  ['line_item_net_unblended_cost', 'double'],
  ['line_item_iam_principal', 'string'],
  ['product_servicecode', 'string'],
  ['product_region_code', 'string'],
  ['pricing_unit', 'string'],
  // every tag source in one map, each key prefixed by its source (resourceTags/, iamPrincipal/, accountTag/,
  // costCategory/, userAttribute/): no need for the resource_tags and cost_category columns besides
  ['tags', 'map<string,string>'],
];

/** The Glue (Hive) type of a column of `CUR2_COLUMNS` (`string` for any other name). */
export function cur2ColumnType(column: string): string {
  return CUR2_COLUMNS.find(([name]) => name === column)?.[1] ?? 'string';
}

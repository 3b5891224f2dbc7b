/**
 * The FOCUS tables of AWS Data Exports: their exact column lists and the Glue (Hive) type of every column.
 *
 * FOCUS 1.0 (`FOCUS_1_0_AWS`, 48 columns) is the column list of the AWS Data Exports table dictionary, as used by
 * the Cloud Intelligence Dashboards' `data-exports-aggregation.yaml`. FOCUS 1.2 (`FOCUS_1_2_AWS`, 60 columns) is
 * the list the Cloud Intelligence Dashboards moved to in January 2026 (same template). Both are recorded in
 * AWS-FACTS.md section 5.
 */

/** The 48 columns of `FOCUS_1_0_AWS`, in the order the export query selects them. */
export const FOCUS_1_0_COLUMNS: readonly string[] = [
  'AvailabilityZone', 'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingCurrency', 'BillingPeriodEnd',
  'BillingPeriodStart', 'ChargeCategory', 'ChargeClass', 'ChargeDescription', 'ChargeFrequency', 'ChargePeriodEnd',
  'ChargePeriodStart', 'CommitmentDiscountCategory', 'CommitmentDiscountId', 'CommitmentDiscountName',
  'CommitmentDiscountType', 'CommitmentDiscountStatus', 'ConsumedQuantity', 'ConsumedUnit', 'ContractedCost',
  'ContractedUnitPrice', 'EffectiveCost', 'InvoiceIssuerName', 'ListCost', 'ListUnitPrice', 'PricingCategory',
  'PricingQuantity', 'PricingUnit', 'ProviderName', 'PublisherName', 'RegionId', 'RegionName', 'ResourceId',
  'ResourceName', 'ResourceType', 'ServiceCategory', 'ServiceName', 'SkuId', 'SkuPriceId', 'SubAccountId',
  'SubAccountName', 'Tags', 'x_CostCategories', 'x_Discounts', 'x_Operation', 'x_ServiceCode', 'x_UsageType',
];

/** The 60 columns of `FOCUS_1_2_AWS`, in the order the export query selects them. */
export const FOCUS_1_2_COLUMNS: readonly string[] = [
  'AvailabilityZone', 'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingAccountType', 'BillingCurrency',
  'BillingPeriodEnd', 'BillingPeriodStart', 'CapacityReservationId', 'CapacityReservationStatus', 'ChargeCategory',
  'ChargeClass', 'ChargeDescription', 'ChargeFrequency', 'ChargePeriodEnd', 'ChargePeriodStart',
  'CommitmentDiscountCategory', 'CommitmentDiscountId', 'CommitmentDiscountName', 'CommitmentDiscountQuantity',
  'CommitmentDiscountType', 'CommitmentDiscountUnit', 'CommitmentDiscountStatus', 'ConsumedQuantity', 'ConsumedUnit',
  'ContractedCost', 'ContractedUnitPrice', 'EffectiveCost', 'InvoiceId', 'InvoiceIssuerName', 'ListCost',
  'ListUnitPrice', 'PricingCategory', 'PricingCurrency', 'PricingCurrencyContractedUnitPrice',
  'PricingCurrencyEffectiveCost', 'PricingCurrencyListUnitPrice', 'PricingQuantity', 'PricingUnit', 'ProviderName',
  'PublisherName', 'RegionId', 'RegionName', 'ResourceId', 'ResourceName', 'ResourceType', 'ServiceCategory',
  'ServiceName', 'ServiceSubcategory', 'SkuId', 'SkuMeter', 'SkuPriceId', 'SkuPriceDetails', 'SubAccountId',
  'SubAccountName', 'SubAccountType', 'Tags', 'x_Discounts', 'x_Operation', 'x_ServiceCode',
];

const DOUBLE_COLUMNS = new Set([
  'BilledCost', 'CommitmentDiscountQuantity', 'ConsumedQuantity', 'ContractedCost', 'ContractedUnitPrice',
  'EffectiveCost', 'ListCost', 'ListUnitPrice', 'PricingCurrencyContractedUnitPrice', 'PricingCurrencyEffectiveCost',
  'PricingCurrencyListUnitPrice', 'PricingQuantity',
]);
const TIMESTAMP_COLUMNS = new Set(['BillingPeriodEnd', 'BillingPeriodStart', 'ChargePeriodEnd', 'ChargePeriodStart']);
const STRING_MAP_COLUMNS = new Set(['Tags', 'x_CostCategories', 'SkuPriceDetails']);
const DOUBLE_MAP_COLUMNS = new Set(['x_Discounts']);

/**
 * The Glue (Hive) type of a FOCUS column. Costs, prices and quantities are `double`, the period columns
 * `timestamp`, `Tags`/`x_CostCategories`/`SkuPriceDetails` `map<string,string>`, `x_Discounts`
 * `map<string,double>`, everything else `string` (the types of the Cloud Intelligence Dashboards' FOCUS table).
 */
export function focusColumnType(column: string): string {
  if (DOUBLE_COLUMNS.has(column)) {
    return 'double';
  }
  if (TIMESTAMP_COLUMNS.has(column)) {
    return 'timestamp';
  }
  if (STRING_MAP_COLUMNS.has(column)) {
    return 'map<string,string>';
  }
  if (DOUBLE_MAP_COLUMNS.has(column)) {
    return 'map<string,double>';
  }
  return 'string';
}

/** The name of the Hive-style partition that Data Exports writes under `<prefix>/<export name>/data/`. */
export const BILLING_PERIOD_PARTITION_DIRECTORY = 'BILLING_PERIOD';
/** The Glue partition column that maps that directory. */
export const BILLING_PERIOD_PARTITION_COLUMN = 'billing_period';

/**
 * The FOCUS (FinOps Open Cost and Usage Specification) version of an AWS Data Export. The value is the name of
 * the Data Exports table the export queries.
 *
 * @see https://docs.aws.amazon.com/cur/latest/userguide/table-dictionary-focus-1-0-aws.html
 */
export enum FocusVersion {
  /**
   * FOCUS 1.0 with AWS columns: table `FOCUS_1_0_AWS`, 48 columns (including `x_UsageType` and
   * `x_CostCategories`), no table configurations.
   */
  V1_0 = 'FOCUS_1_0_AWS',

  /**
   * FOCUS 1.2 with AWS columns: table `FOCUS_1_2_AWS`, 60 columns (no `x_UsageType` or `x_CostCategories`; adds
   * `SkuMeter`, `InvoiceId`, `ServiceSubcategory` and more), with a `TIME_GRANULARITY` table configuration.
   * The column list is the one the Cloud Intelligence Dashboards use since January 2026.
   */
  V1_2 = 'FOCUS_1_2_AWS',
}

/**
 * The time granularity of a FOCUS 1.2 export's rows (its `TIME_GRANULARITY` table configuration).
 */
export enum FocusTimeGranularity {
  /** One row per resource, usage type and hour: the largest export. */
  HOURLY = 'HOURLY',
  /** One row per resource, usage type and day. */
  DAILY = 'DAILY',
  /** One row per resource, usage type and month: the smallest export. */
  MONTHLY = 'MONTHLY',
}

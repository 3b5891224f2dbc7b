/**
 * A geography of system-defined cross-Region inference profiles.
 *
 * The system profile id is `<geo>.<modelId>`, e.g. `us.anthropic.claude-haiku-4-5-20251001-v1:0`.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html
 */
export enum CrossRegionGeo {
  /** United States Regions (`us.` profiles). */
  US = 'us',
  /** European Union Regions (`eu.` profiles). */
  EU = 'eu',
  /** Asia Pacific Regions (`apac.` profiles). */
  APAC = 'apac',
  /** Japan Regions (`jp.` profiles). */
  JP = 'jp',
  /** Australia Regions (`au.` profiles). */
  AU = 'au',
  /** AWS GovCloud (US) Regions (`us-gov.` profiles). */
  US_GOV = 'us-gov',
}

/** How an application inference profile routes requests. */
export enum RoutingKind {
  /** The profile copies a foundation model and serves it in the stack's Region only. */
  IN_REGION = 'IN_REGION',
  /** The profile copies a geographic system cross-Region profile (`us.`, `eu.`, ...). */
  CROSS_REGION = 'CROSS_REGION',
  /** The profile copies the global system profile (`global.`): any commercial Region. */
  GLOBAL = 'GLOBAL',
}

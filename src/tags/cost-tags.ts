/**
 * The names of the cost allocation tag keys. One definition feeds profile tags, budget filters,
 * anomaly monitors, chargeback queries and tag activation.
 */
export interface CostTagKeys {
  /**
   * Key of the team tag.
   *
   * @default 'team'
   */
  readonly team?: string;

  /**
   * Key of the cost-center tag.
   *
   * @default 'cost-center'
   */
  readonly costCenter?: string;

  /**
   * Key of the environment tag.
   *
   * @default 'environment'
   */
  readonly environment?: string;
}

/** The cost allocation tag values of one team's profiles. */
export interface CostTags {
  /** The team, e.g. `search`. */
  readonly team: string;

  /** The cost center the spend is charged to, e.g. `CC-1042`. */
  readonly costCenter: string;

  /** The environment, e.g. `prod`. */
  readonly environment: string;

  /**
   * More tags to put on the profiles (and so on their billing records).
   *
   * @default - none
   */
  readonly extra?: Record<string, string>;
}

/** The named queries of `InvocationLogQueries` (and of the `report` command), by construct id. */
export enum InvocationLogQuery {
  /** Top workloads (team, profile or model, identity, request metadata) by cost. */
  TOP_WORKLOADS_BY_COST = 'TopWorkloadsByCost',
  /** Cost per team, with input, cache-read, cache-write and output tokens each at their own price. */
  COST_PER_TEAM = 'CostPerTeam',
  /** Prompt-cache hit ratio and savings per application inference profile (or model called directly). */
  CACHE_HIT_RATIO_PER_PROFILE = 'CacheHitRatioPerProfile',
  /** Share of streaming calls per team, flagging non-interactive teams that stream. */
  STREAMING_SHARE_PER_TEAM = 'StreamingSharePerTeam',
  /** Calls whose modelId is not an application inference profile ARN. */
  PROFILE_BYPASS = 'ProfileBypass',
  /** Calls above the light tier with small outputs, re-priced on the cheapest light model. */
  LADDERING_CANDIDATES = 'LadderingCandidates',
  /** Steady traffic that nobody waits on, with the batch discount it would earn. */
  BATCH_CANDIDATES = 'BatchCandidates',
  /**
   * Cost per IAM identity (`identity.arn`) within each team: the principal view of the invocation logs, to compare
   * with the principal witness of the bill (`AttributionQueries`, CUR 2.0 `line_item_iam_principal`).
   */
  COST_PER_PRINCIPAL = 'CostPerPrincipal',
}

/**
 * How a cost allocation tag key is spelled in a Budgets `FilterExpression` or a Cost Anomaly
 * Detection monitor specification.
 *
 * UNVERIFIED: the legacy `CostFilters` of Budgets used `user:<key>`; Cost Explorer expressions, which
 * `FilterExpression` follows, use the bare key. No AWS page settles which form `FilterExpression`
 * expects, so the form is a choice: check the budget's "Budgeted vs. actual" in the console after
 * the first day, and switch if it stays at 0 while Cost Explorer shows tagged spend.
 */
export enum CostTagKeyForm {
  /** The key as tagged, e.g. `team` (the form of Cost Explorer expressions). */
  BARE = 'BARE',
  /** The key with the user-defined tag prefix, e.g. `user:team` (the form of the legacy `CostFilters`). */
  USER_PREFIXED = 'USER_PREFIXED',
}

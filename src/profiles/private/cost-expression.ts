/**
 * The metric-math expression of the estimated cost; the metric ids are `inputTokens`, `outputTokens`,
 * `cacheReadTokens` and `cacheWriteTokens`.
 */
export function estimatedCostExpression(input: number, output: number, cacheRead: number, cacheWrite: number): string {
  return `(FILL(inputTokens, 0) * ${input} + FILL(outputTokens, 0) * ${output} + FILL(cacheReadTokens, 0) * ${cacheRead} + FILL(cacheWriteTokens, 0) * ${cacheWrite}) / 1000000`;
}

/**
 * The metric-math expression of what prompt caching saved, in USD: cache reads priced at the input price minus
 * what they cost, minus the premium of cache writes over the input price. Metric ids `cacheReadTokens` and
 * `cacheWriteTokens`; missing data counts as zero.
 */
export function cacheSavingsExpression(input: number, cacheRead: number, cacheWrite: number): string {
  const readSaving = roundRate(input - cacheRead);
  const writePremium = roundRate(cacheWrite - input);
  return `(FILL(cacheReadTokens, 0) * ${readSaving} - FILL(cacheWriteTokens, 0) * ${writePremium}) / 1000000`;
}

function roundRate(value: number): number {
  return Math.round(value * 1e10) / 1e10;
}

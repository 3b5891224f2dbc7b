/**
 * The metric-math expression of the estimated cost; the metric ids are `inputTokens`, `outputTokens`,
 * `cacheReadTokens` and `cacheWriteTokens`.
 */
export function estimatedCostExpression(input: number, output: number, cacheRead: number, cacheWrite: number): string {
  return `(FILL(inputTokens, 0) * ${input} + FILL(outputTokens, 0) * ${output} + FILL(cacheReadTokens, 0) * ${cacheRead} + FILL(cacheWriteTokens, 0) * ${cacheWrite}) / 1000000`;
}

/**
 * Evaluate a CloudWatch metric-math expression of the form this library writes
 * (numbers, metric ids, + - * /, parentheses, FILL(id, value)) for given metric values.
 * Missing metrics behave as CloudWatch's "no data": only FILL turns them into numbers.
 */
export function evaluateMetricMath(expression: string, values: Record<string, number | undefined>): number {
  const tokens = expression.match(/\s*([A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?(?:e[+-]?\d+)?|[()+\-*/,])/g);
  if (!tokens || tokens.join('').replace(/\s+/g, '') !== expression.replace(/\s+/g, '')) {
    throw new Error(`cannot tokenize ${expression}`);
  }
  const toks = tokens.map((t) => t.trim());
  let pos = 0;
  const peek = () => toks[pos];
  const take = (expected?: string) => {
    const t = toks[pos++];
    if (expected !== undefined && t !== expected) {
      throw new Error(`expected ${expected} at ${pos} in ${expression}, got ${t}`);
    }
    return t;
  };
  const primary = (): number => {
    const t = take();
    if (t === '(') {
      const v = sum();
      take(')');
      return v;
    }
    if (t === 'FILL') {
      take('(');
      const id = take();
      take(',');
      const fill = Number(take());
      take(')');
      const v = values[id];
      return v === undefined ? fill : v;
    }
    if (/^\d/.test(t)) {
      return Number(t);
    }
    const v = values[t];
    if (v === undefined) {
      return NaN;
    }
    return v;
  };
  const product = (): number => {
    let v = primary();
    while (peek() === '*' || peek() === '/') {
      const op = take();
      const r = primary();
      v = op === '*' ? v * r : v / r;
    }
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (peek() === '+' || peek() === '-') {
      const op = take();
      const r = product();
      v = op === '+' ? v + r : v - r;
    }
    return v;
  };
  const result = sum();
  if (pos !== toks.length) {
    throw new Error(`trailing tokens in ${expression}`);
  }
  return result;
}

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

/**
 * What a metric of an alarm reads, `<profile>:<metric name>`: the profile is the logical id its `ModelId` dimension
 * refers to (`Fn::GetAtt` or `Ref`), else the dimension's value.
 */
export function alarmReadName(query: any): string {
  const stat = query.MetricStat;
  const value = (stat.Metric.Dimensions ?? []).find((d: any) => d.Name === 'ModelId')?.Value;
  const profile = value?.['Fn::GetAtt']?.[0] ?? value?.Ref ?? (typeof value === 'string' ? value : JSON.stringify(value));
  return `${profile}:${stat.Metric.MetricName}`;
}

/** The expression a metric-math alarm returns (its `Metrics` as CloudFormation takes them). */
export function alarmExpression(metrics: any[]): string {
  const returned = metrics.filter((q) => q.ReturnData !== false);
  if (returned.length !== 1 || typeof returned[0].Expression !== 'string') {
    throw new Error(`an alarm returns exactly one expression, got ${JSON.stringify(returned)}`);
  }
  return returned[0].Expression;
}

/**
 * The expression a metric-math alarm returns with each metric id replaced by what it reads
 * (`<profile>:<metric name>`, `alarmReadName`), so that it compares with a formula whatever the ids.
 */
export function expandAlarmExpression(metrics: any[]): string {
  const names = new Map<string, string>(metrics.filter((q) => q.MetricStat).map((q) => [q.Id, alarmReadName(q)]));
  return alarmExpression(metrics).replace(/\b[a-z][A-Za-z0-9_]*\b/g, (id) => names.get(id) ?? id);
}

/**
 * Evaluate the expression a metric-math alarm returns for metric values keyed by what they read
 * (`<profile>:<metric name>`, `alarmReadName`); a metric without a value has no data.
 */
export function evaluateAlarm(metrics: any[], values: Record<string, number | undefined>): number {
  const byId: Record<string, number | undefined> = {};
  for (const q of metrics.filter((m) => m.MetricStat)) {
    byId[q.Id] = values[alarmReadName(q)];
  }
  return evaluateMetricMath(alarmExpression(metrics), byId);
}

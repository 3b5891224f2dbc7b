import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { MathTerm } from './math';

/** The account and Region of a dashboard: its metrics in them need not name them. */
export interface Home {
  readonly account: string;
  readonly region: string;
}

/** How a line of a plain widget is shown. */
export interface LineOptions {
  readonly label?: string;
  /** Hidden lines only feed expressions (default: visible). */
  readonly visible?: boolean;
  /** On the right axis. */
  readonly right?: boolean;
}

const ID_FIRST = 'abcdefghijklmnopqrstuvwxyz';
const ID_REST = `${ID_FIRST}ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_`;

/**
 * The n-th metric id of a widget, as short as CloudWatch allows ids to be: a lowercase letter, then letters,
 * digits and `_`. 26 ids of one character, then 1,638 of at most two: more than a 500-entry graph needs.
 */
export function shortId(n: number): string {
  let id = ID_FIRST[n % 26];
  let rest = Math.floor(n / 26);
  while (rest > 0) {
    rest -= 1;
    id += ID_REST[rest % 63];
    rest = Math.floor(rest / 63);
  }
  return id;
}

/** A metric widget whose JSON is plain data (tokens only where a value needs one, e.g. a profile id). */
export class PlainMetricWidget implements cloudwatch.IWidget {
  private x?: number;
  private y?: number;

  constructor(
    public readonly width: number,
    public readonly height: number,
    private readonly properties: Record<string, any>,
  ) {}

  public position(x: number, y: number): void {
    this.x = x;
    this.y = y;
  }

  public toJson(): any[] {
    return [{ type: 'metric', width: this.width, height: this.height, x: this.x, y: this.y, properties: this.properties }];
  }
}

interface MetricRow {
  readonly values: string[];
  readonly options: Record<string, any>;
}

/**
 * Builds the `metrics` of one CloudWatch metric widget in the dashboard body's lightest form:
 *
 * - the widget's `period` and `stat` apply to every metric that does not set its own, so metrics do not repeat them;
 * - ids are short (`a`, `b`, ... `aa`) and only where an expression refers to them;
 * - a metric an expression reads is written once per widget, however many expressions read it;
 * - expressions come first, then the metrics, each position equal to the one of the metric above written `"."`
 *   (so a profile's id, a `Fn::GetAtt` in the template, is written once per profile and widget);
 * - a metric in the dashboard's own account and Region does not name them.
 *
 * Expressions keep their math: only the ids of the metrics they read are renamed, and spaces dropped
 * (`compactExpression`).
 */
export class MetricWidgetBuilder {
  /** Metrics and expressions in the widget (CloudWatch allows 500 per graph). */
  public entries = 0;
  /** Metrics the widget reads (expressions and SEARCH not counted). */
  public reads = 0;
  private readonly expressions: any[][] = [];
  private readonly rows: MetricRow[] = [];
  private readonly hidden = new Map<string, string>();
  private ids = 0;

  constructor(private readonly period: number, private readonly stat: string, private readonly home: Home) {}

  /** A visible metric line. */
  public metric(metric: cloudwatch.IMetric, options: LineOptions = {}): void {
    if (metric instanceof cloudwatch.MathExpression) {
      this.expression(metric, options);
      return;
    }
    this.addRow(metric, lineOptions(options));
  }

  /**
   * An expression line over its metrics (each read once per widget). Returns its id when `withId` is set (for
   * an expression that another one reads).
   */
  public expression(term: MathTerm, options: LineOptions = {}, withId = false): string | undefined {
    const expression = this.inline(term);
    const id = withId || options.visible === false ? this.nextId() : undefined;
    this.expressions.push([{ expression, ...(id ? { id } : {}), ...lineOptions(options) }]);
    this.entries++;
    return id;
  }

  /** The text of an expression with its metric ids renamed to this widget's (hidden metrics added as needed). */
  public inline(term: MathTerm): string {
    const names = new Map<string, string>();
    for (const [key, metric] of Object.entries(term.usingMetrics)) {
      names.set(key, metric instanceof cloudwatch.MathExpression
        ? this.expression(metric, { visible: false })!
        : this.hiddenMetric(metric));
    }
    return compactExpression(renameIds(term.expression, names));
  }

  /** The widget, with this builder's metrics and the widget-wide period and statistic. */
  public widget(width: number, height: number, properties: Record<string, any>): PlainMetricWidget {
    return new PlainMetricWidget(width, height, {
      ...properties,
      region: this.home.region,
      period: this.period,
      stat: this.stat,
      metrics: [...this.expressions, ...this.shortRows()],
    });
  }

  private hiddenMetric(metric: cloudwatch.IMetric): string {
    const row = this.row(metric);
    const key = JSON.stringify(row);
    const known = this.hidden.get(key);
    if (known) {
      return known;
    }
    const id = this.nextId();
    this.hidden.set(key, id);
    this.rows.push({ values: row.values, options: { id, visible: false, ...row.options } });
    this.reads++;
    this.entries++;
    return id;
  }

  private addRow(metric: cloudwatch.IMetric, options: Record<string, any>): void {
    const row = this.row(metric);
    this.rows.push({ values: row.values, options: { ...options, ...row.options } });
    this.reads++;
    this.entries++;
  }

  /** A metric's positions and the options it needs beyond the widget's (statistic, period, other account or Region). */
  private row(metric: cloudwatch.IMetric): MetricRow {
    const stat = metric.toMetricConfig().metricStat;
    if (!stat) {
      throw new Error('a dashboard line is neither a metric nor a math expression');
    }
    const values = [stat.namespace, stat.metricName];
    for (const d of stat.dimensions ?? []) {
      values.push(d.name, d.value);
    }
    const options: Record<string, any> = {};
    if (stat.statistic !== this.stat) options.stat = stat.statistic;
    if (stat.period.toSeconds() !== this.period) options.period = stat.period.toSeconds();
    if (stat.account !== undefined && stat.account !== this.home.account) options.accountId = stat.account;
    if (stat.region !== undefined && stat.region !== this.home.region) options.region = stat.region;
    return { values, options };
  }

  private nextId(): string {
    return shortId(this.ids++);
  }

  /** The metrics in CloudWatch's short form: a position equal to the same position of the metric above is `"."`. */
  private shortRows(): any[][] {
    let above: string[] | undefined;
    return this.rows.map(({ values, options }) => {
      const same = above !== undefined && above.length === values.length;
      const short = values.map((v, i) => (same && above![i] === v ? '.' : v));
      above = values;
      return Object.keys(options).length > 0 ? [...short, options] : short;
    });
  }
}

/** An expression with its ids renamed (`names`: old id to new), whole ids only and all at once. */
export function renameIds(expression: string, names: ReadonlyMap<string, string>): string {
  if (names.size === 0) {
    return expression;
  }
  const pattern = new RegExp(`\\b(${[...names.keys()].sort((a, b) => b.length - a.length).join('|')})\\b`, 'g');
  return expression.replace(pattern, (key) => names.get(key)!);
}

/** An expression without its spaces (the same math), unless it quotes text (e.g. a SEARCH), which keeps them. */
export function compactExpression(expression: string): string {
  return /['"]/.test(expression) ? expression : expression.replace(/\s+/g, '');
}

function lineOptions(options: LineOptions): Record<string, any> {
  return {
    ...(options.label !== undefined ? { label: options.label } : {}),
    ...(options.visible === false ? { visible: false } : {}),
    ...(options.right ? { yAxis: 'right' } : {}),
  };
}

/**
 * The same string as a resolved `Fn::Join` with an empty delimiter (how aws-cdk-lib writes a dashboard body with
 * tokens in it), as an `Fn::Sub`: a profile id is then `${Logical.InferenceProfileId}` in the text instead of a
 * `Fn::GetAtt` object between two parts of the join (about 45 bytes instead of about 100 in an indented
 * template). `Ref` and `Fn::GetAtt` become `${...}` references; anything else (e.g. `Fn::ImportValue`) becomes a
 * named variable of the `Fn::Sub`. Literal `${` is written `${!`, as `Fn::Sub` requires. A value that is not a
 * join is returned unchanged.
 */
export function joinToSub(value: any): any {
  if (typeof value === 'string') {
    return value;
  }
  const parts = joinParts(value);
  if (!parts) {
    return value;
  }
  let text = '';
  const variables: Record<string, any> = {};
  const names = new Map<string, string>();
  for (const part of parts) {
    if (typeof part === 'string') {
      text += part.replace(/\$\{/g, '${!');
      continue;
    }
    const reference = subReference(part);
    if (reference !== undefined) {
      text += '${' + reference + '}';
    } else {
      // one variable per distinct value (a profile id imported from another stack is read by several widgets)
      const key = JSON.stringify(part);
      let name = names.get(key);
      if (name === undefined) {
        name = `v${names.size}`;
        names.set(key, name);
        variables[name] = part;
      }
      text += '${' + name + '}';
    }
  }
  return Object.keys(variables).length > 0 ? { 'Fn::Sub': [text, variables] } : { 'Fn::Sub': text };
}

/** The parts of a join with an empty delimiter, nested empty-delimiter joins flattened. */
function joinParts(value: any): any[] | undefined {
  const join = value?.['Fn::Join'];
  if (!isPlainObject(value) || Object.keys(value).length !== 1 || !Array.isArray(join) || join[0] !== '' || !Array.isArray(join[1])) {
    return undefined;
  }
  return join[1].flatMap((part: any) => joinParts(part) ?? [part]);
}

/** `Ref: X` -> `X`, `Fn::GetAtt: [X, A]` -> `X.A`; otherwise undefined. */
function subReference(part: any): string | undefined {
  if (!isPlainObject(part) || Object.keys(part).length !== 1) {
    return undefined;
  }
  const ref = part.Ref;
  if (typeof ref === 'string' && /^[A-Za-z0-9:]+$/.test(ref)) {
    return ref;
  }
  const att = part['Fn::GetAtt'];
  if (Array.isArray(att) && att.length === 2 && att.every((a) => typeof a === 'string' && /^[A-Za-z0-9.]+$/.test(a))) {
    return `${att[0]}.${att[1]}`;
  }
  return undefined;
}

function isPlainObject(value: any): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

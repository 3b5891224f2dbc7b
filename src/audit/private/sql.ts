/**
 * The invocation-log SQL of the audit area, in the Athena (Trino) dialect: the single source of the named queries
 * of `InvocationLogQueries` and of the `cdk-bedrock-governance report` command (which runs the very same text on
 * DuckDB after `toDuckDbDialect`, see `audit-duckdb.ts`).
 *
 * Every query starts from the same `calls` CTE: one row per invocation-log record, priced with a price table
 * rendered from the `BedrockModel` catalogue (so prices stay in the one catalogue) and a mapping from each team's
 * application inference profile id to its team, model and routing. A record's `modelId` is whatever the caller
 * passed: an application-profile ARN for profile calls, otherwise a model id, a system profile id (`us.`,
 * `global.`...) or an ARN of either. The last `/`-separated segment of it is the lookup key: a profile id, or a
 * model key (`<model id>`, `<geo>.<model id>`, `global.<model id>`).
 */
import { BedrockModel, InferenceRouting } from '../../models/bedrock-model';
import { CacheTtl, ModelTier } from '../../models/pricing';
import { CrossRegionGeo, RoutingKind } from '../../models/routing';
import { InvocationLogQuery } from '../invocation-log-query';

/** Partition column of the log table: the `YYYY/MM/DD/HH` folders Bedrock writes. */
export const LOG_HOUR_COLUMN = 'log_hour';

/** One field of an invocation-log record, as the Glue table declares it. */
export interface LogField {
  /** Column (or struct field) name as Athena reads it: the JSON key in lower case. */
  readonly name: string;
  /** The JSON key in the record. */
  readonly jsonKey: string;
  /** Hive type of a scalar field (`string`, `bigint`). */
  readonly type?: string;
  /** Fields of a struct. */
  readonly fields?: LogField[];
  /** A `map<string,string>` field. */
  readonly map?: boolean;
}

/**
 * The record fields the queries read (AWS-FACTS 3). Bodies (`inputBodyJson`, `outputBodyJson`) are not declared:
 * they can be large and no query needs them. Fields may be missing in a record; they read as NULL.
 */
export const LOG_FIELDS: LogField[] = [
  { name: 'timestamp', jsonKey: 'timestamp', type: 'string' },
  { name: 'accountid', jsonKey: 'accountId', type: 'string' },
  { name: 'region', jsonKey: 'region', type: 'string' },
  { name: 'requestid', jsonKey: 'requestId', type: 'string' },
  { name: 'operation', jsonKey: 'operation', type: 'string' },
  { name: 'modelid', jsonKey: 'modelId', type: 'string' },
  {
    name: 'input',
    jsonKey: 'input',
    fields: [
      { name: 'inputcontenttype', jsonKey: 'inputContentType', type: 'string' },
      { name: 'inputtokencount', jsonKey: 'inputTokenCount', type: 'bigint' },
      { name: 'cachereadinputtokencount', jsonKey: 'cacheReadInputTokenCount', type: 'bigint' },
      { name: 'cachewriteinputtokencount', jsonKey: 'cacheWriteInputTokenCount', type: 'bigint' },
    ],
  },
  {
    name: 'output',
    jsonKey: 'output',
    fields: [
      { name: 'outputcontenttype', jsonKey: 'outputContentType', type: 'string' },
      { name: 'outputtokencount', jsonKey: 'outputTokenCount', type: 'bigint' },
    ],
  },
  { name: 'identity', jsonKey: 'identity', fields: [{ name: 'arn', jsonKey: 'arn', type: 'string' }] },
  { name: 'requestmetadata', jsonKey: 'requestMetadata', map: true },
  { name: 'inferenceregion', jsonKey: 'inferenceRegion', type: 'string' },
  { name: 'schematype', jsonKey: 'schemaType', type: 'string' },
  { name: 'schemaversion', jsonKey: 'schemaVersion', type: 'string' },
];

/** The Hive type of a field, e.g. `struct<arn:string>`. */
export function hiveType(field: LogField): string {
  if (field.map) {
    return 'map<string,string>';
  }
  if (field.fields) {
    return `struct<${field.fields.map((f) => `${f.name}:${hiveType(f)}`).join(',')}>`;
  }
  return field.type!;
}

/** The operations that stream their response. */
export const STREAMING_OPERATIONS = ['ConverseStream', 'InvokeModelWithResponseStream'];

/** Routing key of a price row: `in-region`, a geography (`us`, `eu`...) or `global`. */
const IN_REGION_KEY = 'in-region';
const GLOBAL_KEY = 'global';

/** A row of the model price table: one model under one routing. Rates are USD per million tokens. */
export interface ModelPriceRow {
  /** Row number, referenced by profile rows and ladder links. */
  readonly priceId: number;
  /** What a direct call's `modelId` ends with to be priced by this row; undefined for rows only teams use. */
  readonly lookupKey?: string;
  readonly modelId: string;
  readonly modelName: string;
  readonly provider: string;
  readonly tier: ModelTier;
  /** `in-region`, a geography, or `global`. */
  readonly routingKey: string;
  readonly inputRate: number;
  readonly outputRate: number;
  readonly cacheReadRate: number;
  readonly cacheWrite5mRate: number;
  readonly cacheWrite1hRate: number;
  readonly batchDiscount: number;
  /** Row of the cheapest light-tier model of the same provider under the same routing (laddering target). */
  readonly ladderPriceId?: number;
  readonly pricesAsOf: string;
}

/** A row of the profile mapping: an application inference profile of a team. */
export interface ProfileMappingRow {
  /** The profile id: the last segment of its ARN (a token in a CDK app). */
  readonly profileId: string;
  readonly team: string;
  readonly interactive: boolean;
  /** The model price row of the profile (its model under its routing). */
  readonly priceId: number;
  /** Whether the team writes its prompt cache with the 1-hour TTL. */
  readonly cacheWrite1h: boolean;
}

/** The price table and the profile mapping rendered into every query. */
export interface AuditPricing {
  readonly models: ModelPriceRow[];
  readonly profiles: ProfileMappingRow[];
}

/** A team profile to map, as the construct (from `Team`s) or the CLI (from a mapping file) knows it. */
export interface ProfileInput {
  readonly profileId: string;
  readonly team: string;
  readonly interactive: boolean;
  readonly model: BedrockModel;
  readonly routing: InferenceRouting;
  readonly cacheWriteTtl?: CacheTtl;
}

const GEOS: string[] = Object.values(CrossRegionGeo);

function routingOfKey(key: string): InferenceRouting {
  if (key === IN_REGION_KEY) {
    return InferenceRouting.inRegion();
  }
  if (key === GLOBAL_KEY) {
    return InferenceRouting.global();
  }
  return InferenceRouting.crossRegion(key as CrossRegionGeo);
}

function keyOfRouting(routing: InferenceRouting): string {
  switch (routing.kind) {
    case RoutingKind.GLOBAL:
      return GLOBAL_KEY;
    case RoutingKind.CROSS_REGION:
      return routing.geo!;
    default:
      return IN_REGION_KEY;
  }
}

function lookupKeyOf(modelId: string, routingKey: string): string {
  return routingKey === IN_REGION_KEY ? modelId : `${routingKey}.${modelId}`;
}

/** The routing keys a model can be called with directly: in-Region, each geography it supports, global. */
function routingKeysOf(model: BedrockModel): string[] {
  const keys = [IN_REGION_KEY];
  for (const geo of GEOS) {
    if (model.crossRegionGeos === undefined || model.crossRegionGeos.includes(geo as CrossRegionGeo)) {
      keys.push(geo);
    }
  }
  if (model.supportsGlobal) {
    keys.push(GLOBAL_KEY);
  }
  return keys;
}

function pricingSignature(model: BedrockModel): string {
  return JSON.stringify([model.modelId, model.provider, model.tier, model.displayName, model.pricing, model.pricesAsOf]);
}

/**
 * Build the price table and profile mapping.
 *
 * Direct calls are priced by the last model with their id in `[...BedrockModel.catalogue(), ...models]` (so a
 * user-supplied model overrides the catalogue entry). A team's profile is priced by the team's own model object
 * (e.g. negotiated prices from `withPricing()`) under the team's routing, with the cache-write price of the team's
 * cache TTL. The laddering target of a model above the light tier is the cheapest light-tier model of the same
 * provider, priced under the same routing.
 */
export function buildAuditPricing(models: BedrockModel[], profiles: ProfileInput[]): AuditPricing {
  const preferred = new Map<string, BedrockModel>();
  for (const model of [...BedrockModel.catalogue(), ...models]) {
    preferred.set(model.modelId, model);
  }
  const rows: Array<Omit<ModelPriceRow, 'ladderPriceId'> & { ladderPriceId?: number }> = [];
  const rowIds = new Map<string, number>();
  const rowModels = new Map<number, BedrockModel>();

  const rowFor = (model: BedrockModel, routingKey: string): number => {
    const signature = `${pricingSignature(model)}|${routingKey}`;
    const existing = rowIds.get(signature);
    if (existing !== undefined) {
      return existing;
    }
    const routing = routingOfKey(routingKey);
    const rates5m = model.effectiveRates(routing, CacheTtl.FIVE_MINUTES);
    const rates1h = model.effectiveRates(routing, CacheTtl.ONE_HOUR);
    const priceId = rows.length + 1;
    const isPreferred = preferred.get(model.modelId) === model;
    rows.push({
      priceId,
      lookupKey: isPreferred ? lookupKeyOf(model.modelId, routingKey) : undefined,
      modelId: model.modelId,
      modelName: model.displayName,
      provider: model.provider,
      tier: model.tier,
      routingKey,
      inputRate: rates5m.inputUsdPerMillionTokens,
      outputRate: rates5m.outputUsdPerMillionTokens,
      cacheReadRate: rates5m.cacheReadUsdPerMillionTokens,
      cacheWrite5mRate: rates5m.cacheWriteUsdPerMillionTokens,
      cacheWrite1hRate: rates1h.cacheWriteUsdPerMillionTokens,
      batchDiscount: model.batchDiscount,
      pricesAsOf: model.pricesAsOf,
    });
    rowIds.set(signature, priceId);
    rowModels.set(priceId, model);
    return priceId;
  };

  for (const model of preferred.values()) {
    for (const key of routingKeysOf(model)) {
      rowFor(model, key);
    }
  }
  const profileRows: ProfileMappingRow[] = profiles.map((p) => ({
    profileId: p.profileId,
    team: p.team,
    interactive: p.interactive,
    priceId: rowFor(p.model, keyOfRouting(p.routing)),
    cacheWrite1h: p.cacheWriteTtl === CacheTtl.ONE_HOUR,
  }));

  // Laddering targets: the cheapest light-tier model of the same provider, under the same routing.
  const light = [...preferred.values()].filter((m) => m.tier === ModelTier.LIGHT);
  const cheapest = (provider: string): BedrockModel | undefined => light
    .filter((m) => m.provider === provider)
    .sort((a, b) => (a.pricing.inputUsdPerMillionTokens + a.pricing.outputUsdPerMillionTokens)
      - (b.pricing.inputUsdPerMillionTokens + b.pricing.outputUsdPerMillionTokens)
      || a.modelId.localeCompare(b.modelId))[0];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row.tier === ModelTier.LIGHT) {
      continue;
    }
    const target = cheapest(row.provider);
    if (target) {
      rows[i].ladderPriceId = rowFor(target, row.routingKey);
    }
  }
  return { models: rows, profiles: profileRows };
}

/** How the queries are rendered. */
export interface InvocationLogSqlOptions {
  /** Glue (Athena) database of the log table. */
  readonly database: string;
  /** The log table: the columns of `LOG_FIELDS` and the `log_hour` partition. */
  readonly table: string;
  /** Prices and the profile mapping. */
  readonly pricing: AuditPricing;
  /** Only records of the last N days (by the `log_hour` partition); undefined reads every record. */
  readonly lookbackDays?: number;
  /** Request-metadata keys that name a workload: one `metadata_<key>` column each. */
  readonly requestMetadataKeys: string[];
  /** Rows of the top-workloads query. */
  readonly topWorkloads: number;
  /** Output tokens at or below which a call above the light tier is a laddering candidate. */
  readonly ladderMaxOutputTokens: number;
  /** Hours with traffic a workload needs in the window to be a batch candidate. */
  readonly batchMinActiveHours: number;
}

/** A named query: its construct id, Athena name and description, and its SQL. */
export interface AuditQuery {
  readonly id: InvocationLogQuery;
  readonly name: string;
  readonly description: string;
  readonly sql: string;
}

/** Escape a string literal. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A DOUBLE literal in both Trino and DuckDB (a plain `1.1` is a DECIMAL in Trino). */
export function sqlDouble(value: number): string {
  if (!Number.isFinite(value)) {
    throw new Error(`not a finite price: ${value}`);
  }
  const text = String(value);
  return /e/i.test(text) ? text : `${text}E0`;
}

function sqlOptionalString(value: string | undefined): string {
  return value === undefined ? 'CAST(NULL AS VARCHAR)' : sqlString(value);
}

function sqlOptionalInteger(value: number | undefined): string {
  return value === undefined ? 'CAST(NULL AS INTEGER)' : String(value);
}

/** The column name of a request-metadata key: `metadata_` and the key with every other character than [a-z0-9] as `_`. */
export function metadataColumn(key: string): string {
  return `metadata_${key.toLowerCase().replace(/[^a-z0-9]/g, '_')}`;
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function lines(...parts: string[]): string {
  return parts.join('\n');
}

const MODEL_PRICE_COLUMNS = [
  'price_id', 'price_key', 'model_id', 'model_name', 'tier', 'routing', 'input_usd_per_mtok', 'output_usd_per_mtok',
  'cache_read_usd_per_mtok', 'cache_write_5m_usd_per_mtok', 'cache_write_1h_usd_per_mtok', 'batch_discount', 'ladder_price_id',
];

function modelPriceValues(rows: ModelPriceRow[]): string[] {
  return rows.map((r, i) => `    (${[
    String(r.priceId),
    sqlOptionalString(r.lookupKey),
    sqlString(r.modelId),
    sqlString(r.modelName),
    sqlString(r.tier),
    sqlString(r.routingKey),
    sqlDouble(r.inputRate),
    sqlDouble(r.outputRate),
    sqlDouble(r.cacheReadRate),
    sqlDouble(r.cacheWrite5mRate),
    sqlDouble(r.cacheWrite1hRate),
    sqlDouble(r.batchDiscount),
    sqlOptionalInteger(r.ladderPriceId),
  ].join(', ')})${i === rows.length - 1 ? '' : ','}`);
}

function profileValues(rows: ProfileMappingRow[]): string[] {
  if (rows.length === 0) {
    return ['    (CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), CAST(NULL AS BOOLEAN), CAST(NULL AS INTEGER), CAST(NULL AS BOOLEAN))'];
  }
  return rows.map((r, i) => `    (${[
    sqlString(r.profileId),
    sqlString(r.team),
    String(r.interactive),
    String(r.priceId),
    String(r.cacheWrite1h),
  ].join(', ')})${i === rows.length - 1 ? '' : ','}`);
}

/** Token columns and their record fields. */
const TOKENS = {
  input: 'COALESCE(r."input".inputtokencount, 0)',
  cacheRead: 'COALESCE(r."input".cachereadinputtokencount, 0)',
  cacheWrite: 'COALESCE(r."input".cachewriteinputtokencount, 0)',
  output: 'COALESCE(r."output".outputtokencount, 0)',
};

const PROFILE_ARN_LIKE = "'arn:%:application-inference-profile/%'";

/**
 * The CTEs every query starts with: `model_prices` and `team_profiles` (VALUES), `logs` (the records of the window,
 * without the large-body files Bedrock writes under `.../HH/data/`, which have no `requestId`), `resolved` (each
 * record's team and price row) and `calls` (one priced row per record).
 */
export function callsCte(options: InvocationLogSqlOptions): string[] {
  const cost = (tokens: string, rate: string) => `CAST(${tokens} AS DOUBLE) * ${rate} / 1E6`;
  const cacheWriteRate = (alias: string) => `CASE WHEN COALESCE(r.cache_write_1h, false) THEN ${alias}.cache_write_1h_usd_per_mtok ELSE ${alias}.cache_write_5m_usd_per_mtok END`;
  const callCost = (alias: string) => [
    cost(TOKENS.input, `${alias}.input_usd_per_mtok`),
    cost(TOKENS.cacheRead, `${alias}.cache_read_usd_per_mtok`),
    cost(TOKENS.cacheWrite, cacheWriteRate(alias)),
    cost(TOKENS.output, `${alias}.output_usd_per_mtok`),
  ].join('\n      + ');
  const window = options.lookbackDays === undefined
    ? []
    : [`    AND l.${LOG_HOUR_COLUMN} >= date_format(current_timestamp - INTERVAL '${options.lookbackDays}' DAY, '%Y/%m/%d/%H')`];
  const metadata = options.requestMetadataKeys.map((key) =>
    `    element_at(r.requestmetadata, ${sqlString(key)}) AS ${metadataColumn(key)},`);
  const asOf = [...new Set(options.pricing.models.map((m) => m.pricesAsOf))].sort().join(', ');
  return [
    `-- Prices: USD per million tokens from the BedrockModel catalogue (as of ${asOf}), regional premium applied per routing.`,
    'WITH model_prices (',
    `  ${MODEL_PRICE_COLUMNS.join(', ')}`,
    ') AS (',
    '  VALUES',
    ...modelPriceValues(options.pricing.models),
    '),',
    'team_profiles (profile_id, team, interactive, price_id, cache_write_1h) AS (',
    '  VALUES',
    ...profileValues(options.pricing.profiles),
    '),',
    'logs AS (',
    "  SELECT l.*, regexp_extract(l.modelid, '[^/]+$') AS call_key",
    `  FROM ${quoteIdentifier(options.database)}.${quoteIdentifier(options.table)} l`,
    '  WHERE l.requestid IS NOT NULL',
    '    AND l.modelid IS NOT NULL',
    ...window,
    '),',
    'resolved AS (',
    '  SELECT g.*, p.team AS mapped_team, p.interactive, p.cache_write_1h, COALESCE(p.price_id, k.price_id) AS price_id',
    '  FROM logs g',
    '  LEFT JOIN team_profiles p ON p.profile_id = g.call_key',
    '  LEFT JOIN model_prices k ON k.price_key = g.call_key',
    '),',
    'calls AS (',
    '  SELECT',
    '    r."timestamp" AS call_time,',
    '    substr(r."timestamp", 1, 13) AS call_hour,',
    '    r.operation,',
    '    r.modelid AS model_id_called,',
    '    r.call_key AS profile_or_model,',
    '    CASE',
    `      WHEN r.modelid LIKE ${PROFILE_ARN_LIKE} THEN 'application inference profile'`,
    "      WHEN r.modelid LIKE 'arn:%:provisioned-model/%' THEN 'provisioned model'",
    "      WHEN r.modelid LIKE 'arn:%:inference-profile/%' THEN 'system inference profile'",
    `      WHEN m.routing IS NOT NULL AND m.routing <> '${IN_REGION_KEY}' THEN 'system inference profile'`,
    "      ELSE 'foundation model'",
    '    END AS call_kind,',
    '    COALESCE(r.mapped_team, CASE',
    `      WHEN r.modelid LIKE ${PROFILE_ARN_LIKE} THEN '(unmapped profile)'`,
    "      WHEN r.modelid LIKE 'arn:%:provisioned-model/%' THEN '(provisioned throughput)'",
    "      ELSE '(direct call)'",
    '    END) AS team,',
    '    r.interactive,',
    '    m.model_id,',
    '    m.model_name,',
    '    m.tier,',
    '    r."identity".arn AS identity_arn,',
    ...metadata,
    `    r.operation IN (${STREAMING_OPERATIONS.map(sqlString).join(', ')}) AS streaming,`,
    `    ${TOKENS.input} AS input_tokens,`,
    `    ${TOKENS.cacheRead} AS cache_read_tokens,`,
    `    ${TOKENS.cacheWrite} AS cache_write_tokens,`,
    `    ${TOKENS.output} AS output_tokens,`,
    '    m.price_id IS NULL AS unpriced,',
    `    ${cost(TOKENS.input, 'm.input_usd_per_mtok')} AS input_cost,`,
    `    ${cost(TOKENS.cacheRead, 'm.cache_read_usd_per_mtok')} AS cache_read_cost,`,
    `    ${cost(TOKENS.cacheWrite, cacheWriteRate('m'))} AS cache_write_cost,`,
    `    ${cost(TOKENS.output, 'm.output_usd_per_mtok')} AS output_cost,`,
    `    ${callCost('m')} AS cost,`,
    `    ${cost(TOKENS.input, 'm.cache_read_usd_per_mtok')} AS input_cost_at_cache_read,`,
    `    ${cost(TOKENS.cacheRead, '(m.input_usd_per_mtok - m.cache_read_usd_per_mtok)')} AS cache_savings,`,
    '    m.batch_discount,',
    '    d.model_name AS ladder_model_name,',
    `    ${callCost('d')} AS ladder_cost`,
    '  FROM resolved r',
    '  LEFT JOIN model_prices m ON m.price_id = r.price_id',
    '  LEFT JOIN model_prices d ON d.price_id = m.ladder_price_id',
    ')',
  ];
}

const TOKEN_SUMS = [
  '  SUM(input_tokens) AS input_tokens,',
  '  SUM(cache_read_tokens) AS cache_read_tokens,',
  '  SUM(cache_write_tokens) AS cache_write_tokens,',
  '  SUM(output_tokens) AS output_tokens,',
];

const UNPRICED = '  SUM(CASE WHEN unpriced THEN 1 ELSE 0 END) AS unpriced_requests';

function header(title: string, explanation: string[]): string[] {
  return [`-- ${title} (cdk-bedrock-governance)`, ...explanation.map((e) => `-- ${e}`)];
}

/** Top workloads by cost: team, profile or model, identity and the request-metadata keys. */
function topWorkloads(o: InvocationLogSqlOptions): string {
  const metadata = o.requestMetadataKeys.map(metadataColumn);
  const keys = ['team', 'profile_or_model', 'model_name', 'identity_arn', ...metadata];
  return lines(
    ...header('Top Bedrock workloads by cost', [
      'A workload is a team, application inference profile (or model called directly), IAM identity and request metadata.',
      'Cost includes cache-read and cache-write tokens at their own prices; unpriced_requests counts calls no price row covers.',
    ]),
    ...callsCte(o),
    'SELECT',
    ...keys.map((k) => `  ${k},`),
    '  COUNT(*) AS requests,',
    ...TOKEN_SUMS,
    '  ROUND(SUM(cost), 2) AS cost_usd,',
    UNPRICED,
    'FROM calls',
    `GROUP BY ${keys.join(', ')}`,
    `ORDER BY cost_usd DESC NULLS LAST, requests DESC, ${keys.join(', ')}`,
    `LIMIT ${o.topWorkloads}`,
  );
}

/** Cost per team, split by token kind. */
function costPerTeam(o: InvocationLogSqlOptions): string {
  return lines(
    ...header('Bedrock cost per team', [
      'Input, cache-read, cache-write and output tokens each at their own price (never inputTokenCount alone).',
      'input_cost_if_cache_read_usd prices the uncached input at the cache-read price: the ceiling of what caching could save.',
      'Calls outside the mapped profiles appear as (direct call), (unmapped profile) or (provisioned throughput).',
    ]),
    ...callsCte(o),
    'SELECT',
    '  team,',
    '  COUNT(*) AS requests,',
    ...TOKEN_SUMS,
    '  ROUND(SUM(input_cost), 2) AS input_cost_usd,',
    '  ROUND(SUM(cache_read_cost), 2) AS cache_read_cost_usd,',
    '  ROUND(SUM(cache_write_cost), 2) AS cache_write_cost_usd,',
    '  ROUND(SUM(output_cost), 2) AS output_cost_usd,',
    '  ROUND(SUM(cost), 2) AS cost_usd,',
    '  ROUND(SUM(input_cost_at_cache_read), 2) AS input_cost_if_cache_read_usd,',
    UNPRICED,
    'FROM calls',
    'GROUP BY team',
    'ORDER BY cost_usd DESC NULLS LAST, team',
  );
}

/** Cache hit ratio per profile (or model called directly). */
function cacheHitRatio(o: InvocationLogSqlOptions): string {
  return lines(
    ...header('Prompt-cache hit ratio per inference profile', [
      'cache_hit_ratio = cache-read tokens / (uncached input + cache-read + cache-write tokens).',
      'cache_savings_usd = cache-read tokens x (input price - cache-read price).',
    ]),
    ...callsCte(o),
    'SELECT',
    '  team,',
    '  profile_or_model,',
    '  call_kind,',
    '  model_name,',
    '  COUNT(*) AS requests,',
    ...TOKEN_SUMS,
    '  ROUND(CAST(SUM(cache_read_tokens) AS DOUBLE) / NULLIF(SUM(input_tokens) + SUM(cache_read_tokens) + SUM(cache_write_tokens), 0), 4) AS cache_hit_ratio,',
    '  ROUND(SUM(cache_savings), 2) AS cache_savings_usd',
    'FROM calls',
    'GROUP BY team, profile_or_model, call_kind, model_name',
    'ORDER BY team, profile_or_model',
  );
}

const STREAMED = 'SUM(CASE WHEN streaming THEN 1 ELSE 0 END)';

/** Streaming share per team. */
function streamingShare(o: InvocationLogSqlOptions): string {
  return lines(
    ...header('Streaming share per team', [
      `Streaming operations: ${STREAMING_OPERATIONS.join(', ')}. Streaming bills the same per token but holds`,
      'connections and compute on the caller side: a non-interactive team should not stream.',
    ]),
    ...callsCte(o),
    'SELECT',
    '  team,',
    '  interactive,',
    '  COUNT(*) AS requests,',
    `  ${STREAMED} AS streaming_requests,`,
    `  ROUND(CAST(${STREAMED} AS DOUBLE) / COUNT(*), 4) AS streaming_share,`,
    '  ROUND(SUM(CASE WHEN streaming THEN cost ELSE 0E0 END), 2) AS streaming_cost_usd,',
    '  ROUND(SUM(cost), 2) AS cost_usd,',
    `  CASE WHEN interactive = false AND ${STREAMED} > 0 THEN 'non-interactive team streams' END AS finding`,
    'FROM calls',
    'GROUP BY team, interactive',
    'ORDER BY team',
  );
}

/** Requests that did not go through an application inference profile. */
function profileBypass(o: InvocationLogSqlOptions): string {
  return lines(
    ...header('Requests that bypassed application inference profiles', [
      'modelId is not an application-inference-profile ARN: foundation models, system (cross-Region) profiles and',
      'provisioned models called directly. Their spend carries no team tag.',
    ]),
    ...callsCte(o),
    'SELECT',
    '  call_kind,',
    '  model_id_called,',
    '  identity_arn,',
    '  COUNT(*) AS requests,',
    ...TOKEN_SUMS,
    '  ROUND(SUM(cost), 2) AS cost_usd,',
    UNPRICED,
    'FROM calls',
    "WHERE call_kind <> 'application inference profile'",
    'GROUP BY call_kind, model_id_called, identity_arn',
    'ORDER BY cost_usd DESC NULLS LAST, requests DESC, model_id_called, identity_arn',
  );
}

/** Calls above the light tier with small outputs: candidates for the cheapest light model. */
function ladderingCandidates(o: InvocationLogSqlOptions): string {
  const small = `output_tokens <= ${o.ladderMaxOutputTokens}`;
  return lines(
    ...header('Model laddering candidates', [
      `Calls to standard- and premium-tier models with at most ${o.ladderMaxOutputTokens} output tokens (classification, extraction,`,
      'routing). estimated_savings_usd re-prices them on the cheapest light-tier model of the same provider; check quality',
      'on an eval set before switching.',
    ]),
    ...callsCte(o),
    'SELECT',
    '  team,',
    '  profile_or_model,',
    '  model_name,',
    '  tier,',
    '  ladder_model_name,',
    '  identity_arn,',
    '  COUNT(*) AS requests,',
    `  SUM(CASE WHEN ${small} THEN 1 ELSE 0 END) AS small_output_requests,`,
    `  ROUND(CAST(SUM(CASE WHEN ${small} THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*), 4) AS small_output_share,`,
    `  ROUND(SUM(CASE WHEN ${small} THEN cost ELSE 0E0 END), 2) AS small_output_cost_usd,`,
    `  ROUND(SUM(CASE WHEN ${small} THEN ladder_cost ELSE 0E0 END), 2) AS cost_on_ladder_model_usd,`,
    `  ROUND(SUM(CASE WHEN ${small} THEN cost - ladder_cost ELSE 0E0 END), 2) AS estimated_savings_usd`,
    'FROM calls',
    `WHERE tier IN ('${ModelTier.STANDARD}', '${ModelTier.PREMIUM}') AND ladder_model_name IS NOT NULL`,
    'GROUP BY team, profile_or_model, model_name, tier, ladder_model_name, identity_arn',
    `HAVING SUM(CASE WHEN ${small} THEN 1 ELSE 0 END) > 0`,
    'ORDER BY estimated_savings_usd DESC, team, profile_or_model, identity_arn',
  );
}

/** Steady traffic that nobody waits on: candidates for batch inference. */
function batchCandidates(o: InvocationLogSqlOptions): string {
  return lines(
    ...header('Batch inference candidates', [
      `Workloads (team, profile or model, identity) with traffic in at least ${o.batchMinActiveHours} distinct hours that nobody waits on:`,
      'the team is non-interactive, or (for calls outside the mapped teams) no call streamed. batch_savings_usd applies the',
      "model's batch discount to the on-demand cost (batch does not combine with prompt caching).",
    ]),
    ...callsCte(o),
    ', hourly AS (',
    '  SELECT team, profile_or_model, model_name, identity_arn, interactive, call_hour,',
    '    COUNT(*) AS requests,',
    `    ${STREAMED} AS streaming_requests,`,
    '    SUM(cost) AS cost,',
    '    SUM(cost * batch_discount) AS batch_savings',
    '  FROM calls',
    '  WHERE NOT unpriced',
    '  GROUP BY team, profile_or_model, model_name, identity_arn, interactive, call_hour',
    ')',
    'SELECT',
    '  team,',
    '  profile_or_model,',
    '  model_name,',
    '  identity_arn,',
    '  COUNT(*) AS active_hours,',
    '  SUM(requests) AS requests,',
    '  ROUND(CAST(SUM(requests) AS DOUBLE) / COUNT(*), 2) AS avg_requests_per_active_hour,',
    '  MAX(requests) AS peak_requests_per_hour,',
    '  SUM(streaming_requests) AS streaming_requests,',
    '  ROUND(SUM(cost), 2) AS cost_usd,',
    '  ROUND(SUM(batch_savings), 2) AS batch_savings_usd',
    'FROM hourly',
    'GROUP BY team, profile_or_model, model_name, identity_arn, interactive',
    `HAVING COUNT(*) >= ${o.batchMinActiveHours}`,
    '  AND (interactive = false OR (interactive IS NULL AND SUM(streaming_requests) = 0))',
    'ORDER BY batch_savings_usd DESC, team, profile_or_model, identity_arn',
  );
}

/**
 * Cost per IAM identity within each team: who calls, through which kind of target. `role_name` is the role of an
 * assumed-role session (`assumed-role/<role>/<session>`) or of a role ARN, so sessions of one role can be added up.
 */
function costPerPrincipal(o: InvocationLogSqlOptions): string {
  return lines(
    ...header('Bedrock cost per IAM identity within each team', [
      'identity_arn is the caller as Bedrock logged it; role_name is its role (sessions of a role share it).',
      'The principal view of the logs: compare with the CUR 2.0 principal view (AttributionQueries CostPerPrincipal).',
    ]),
    ...callsCte(o),
    'SELECT',
    '  team,',
    '  identity_arn,',
    '  role_name,',
    '  call_kind,',
    '  COUNT(*) AS requests,',
    ...TOKEN_SUMS,
    '  ROUND(SUM(cost), 2) AS cost_usd,',
    UNPRICED,
    'FROM (',
    '  SELECT *,',
    "    COALESCE(NULLIF(regexp_extract(identity_arn, 'assumed-role/([^/]+)', 1), ''), NULLIF(regexp_extract(identity_arn, ':role/(?:.*/)?([^/]+)$', 1), '')) AS role_name",
    '  FROM calls',
    ') c',
    'GROUP BY team, identity_arn, role_name, call_kind',
    'ORDER BY team, cost_usd DESC NULLS LAST, identity_arn, call_kind',
  );
}

const DEFINITIONS: Array<[InvocationLogQuery, string, string, (o: InvocationLogSqlOptions) => string]> = [
  [InvocationLogQuery.TOP_WORKLOADS_BY_COST, 'Bedrock top workloads by cost', 'Top workloads (team, profile or model, identity, request metadata) by cost, cache tokens included', topWorkloads],
  [InvocationLogQuery.COST_PER_TEAM, 'Bedrock cost per team', 'Cost per team with input, cache-read, cache-write and output tokens each at their own price', costPerTeam],
  [InvocationLogQuery.CACHE_HIT_RATIO_PER_PROFILE, 'Bedrock cache hit ratio per profile', 'Prompt-cache hit ratio and savings per application inference profile (or model called directly)', cacheHitRatio],
  [InvocationLogQuery.STREAMING_SHARE_PER_TEAM, 'Bedrock streaming share per team', 'Share of streaming calls per team; flags non-interactive teams that stream', streamingShare],
  [InvocationLogQuery.PROFILE_BYPASS, 'Bedrock requests that bypassed profiles', 'Calls whose modelId is not an application inference profile: spend without a team tag', profileBypass],
  [InvocationLogQuery.LADDERING_CANDIDATES, 'Bedrock laddering candidates', 'Calls above the light tier with small outputs, re-priced on the cheapest light model of the provider', ladderingCandidates],
  [InvocationLogQuery.BATCH_CANDIDATES, 'Bedrock batch candidates', 'Steady traffic that nobody waits on, with the batch discount it would earn', batchCandidates],
  [InvocationLogQuery.COST_PER_PRINCIPAL, 'Bedrock cost per IAM identity', 'Cost per IAM identity (identity.arn) within each team: the principal view of the invocation logs', costPerPrincipal],
];

/** Every query, rendered. */
export function renderAuditQueries(options: InvocationLogSqlOptions): AuditQuery[] {
  return DEFINITIONS.map(([id, name, description, render]) => ({ id, name, description, sql: render(options) }));
}

/** One query, rendered. */
export function renderAuditQuery(id: InvocationLogQuery, options: InvocationLogSqlOptions): string {
  return DEFINITIONS.find(([queryId]) => queryId === id)![3](options);
}

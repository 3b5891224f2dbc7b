/**
 * `cdk-bedrock-governance report <dir-or-s3-uri>`: the invocation-log queries of `InvocationLogQueries`, run on a
 * local copy of the logs with DuckDB (`@duckdb/node-api`, loaded dynamically: it is not a dependency of this
 * library). Prints the top three workloads, the cost per team and the lever each team should pull.
 *
 * Not exported from the library's index: `bin.ts` calls `main`.
 */
import * as fs from 'fs';
import { InvocationLogQuery } from './invocation-log-query';
import { BedrockModel, BedrockModelProps, InferenceRouting } from '../models/bedrock-model';
import { CacheTtl, ModelTier } from '../models/pricing';
import { CrossRegionGeo } from '../models/routing';
import {
  DuckDbMissingError, DuckDbModule, IngestProgress, InvocationLogEngine, LogFile, duckDbVersionWarning, findLogFiles, loadDuckDb,
} from './private/duckdb';
import { TEAM_DOCUMENT_VERSION, expandTeamDocument } from './private/mapping-format';
import { InvocationLogSqlOptions, ProfileInput, buildAuditPricing, metadataColumn, renderAuditQueries } from './private/sql';

/** Where the command writes. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { readonly isTTY?: boolean; readonly columns?: number; write(text: string): unknown };
  /** Loads `@duckdb/node-api` (default: a dynamic `require`). */
  readonly loadDuckDb?: () => DuckDbModule;
  /** Makes the SSM reader of `--mapping-parameter` (default: `@aws-sdk/client-ssm` when installed, else undefined). */
  readonly loadSsm?: () => SsmParameterReader | undefined;
}

/** Reads SSM parameters. */
export interface SsmParameterReader {
  /** The values of every parameter under the path (recursive, every page). */
  valuesByPath(path: string): Promise<string[]>;
}

/** The SSM reader on the AWS SDK for JavaScript v3, or undefined when `@aws-sdk/client-ssm` is not installed. */
// A dynamic require on purpose: the SDK is not a dependency of the library.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export function loadSsmReader(load: (id: string) => any = (id) => require(id)): SsmParameterReader | undefined {
  let sdk: any;
  try {
    sdk = load('@aws-sdk/client-ssm');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') {
      return undefined;
    }
    throw e;
  }
  const client = new sdk.SSMClient({});
  return {
    async valuesByPath(path: string): Promise<string[]> {
      const values: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.send(new sdk.GetParametersByPathCommand({ Path: path, Recursive: true, NextToken: nextToken }));
        values.push(...(page.Parameters ?? []).map((p: { Value: string }) => p.Value));
        nextToken = page.NextToken;
      } while (nextToken);
      return values;
    },
  };
}

/** The AWS CLI command that saves the mapping under an SSM path to a file `--mapping` reads. */
function awsCliMappingCommand(path: string): string {
  return `aws ssm get-parameters-by-path --path '${path}' --recursive --query 'Parameters[].Value' --output json > profile-mapping.json`;
}

const USAGE = `Usage: cdk-bedrock-governance report <dir | s3://bucket/prefix> [options]

Runs the invocation-log queries of InvocationLogQueries on a local copy of Bedrock model invocation logs
(<dir> holds the AWSLogs/... folders, gzipped JSON lines) and prints the top workloads, the cost per team
and the lever each team should pull.

Options:
  --mapping <file.json>          profiles of your teams (profile id or ARN -> team, model, routing) and extra models
  --mapping-parameter <path>     the same, read from the SSM parameters your app publishes under <path>
                                 (BedrockGovernance.profileMappingPath, e.g. /bedrock-governance/prod-profile-mapping)
  --days <n>                     only records of the last n days (default: every record in <dir>)
  --top <n>                      workloads to print (default 3)
  --metadata-key <key>           request-metadata key that names a workload (repeatable; default workload)
  --ladder-max-output-tokens <n> small-output threshold of laddering candidates (default 300)
  --batch-min-active-hours <n>   active hours of a batch candidate (default 24)
  --json                         print the report as JSON
  --help                         print this help

Mapping file (or a JSON list of such documents, as the AWS CLI prints the parameters): {"profiles": [{"profile": "<id or ARN>", "team": "search", "modelId": "anthropic.claude-haiku-4-5-20251001-v1:0",
  "routing": "in-region" | "global" | "us" | "eu" | "apac" | "jp" | "au" | "us-gov", "interactive": true,
  "cacheWriteTtl": "5m" | "1h"}], "models": [<BedrockModel.custom props>]}
or one team's document, as the app publishes it (a profile names a team field only where it differs from the team):
  {"version": 2, "team": "search", "routing": "us", "interactive": true, "cacheWriteTtl": "5m",
  "profiles": [{"profile": "<id or ARN>", "modelId": "anthropic.claude-haiku-4-5-20251001-v1:0"}], "models": [...]}
`;

/** Parsed command line. */
interface Options {
  readonly source: string;
  readonly mapping?: string;
  readonly mappingParameter?: string;
  readonly days?: number;
  readonly top: number;
  readonly metadataKeys: string[];
  readonly ladderMaxOutputTokens: number;
  readonly batchMinActiveHours: number;
  readonly json: boolean;
}

class UsageError extends Error {}

function positiveInteger(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < 1) {
    throw new UsageError(`${flag} takes a whole number of at least 1 (got ${value === undefined ? 'nothing' : `'${value}'`})`);
  }
  return n;
}

function parseArgs(args: string[]): Options | 'help' {
  if (args.includes('--help') || args.includes('-h')) {
    return 'help';
  }
  const [command, ...rest] = args;
  if (command !== 'report') {
    throw new UsageError(command === undefined ? 'no command given' : `unknown command '${command}'`);
  }
  let source: string | undefined;
  let mapping: string | undefined;
  let mappingParameter: string | undefined;
  let days: number | undefined;
  let top = 3;
  let ladderMaxOutputTokens = 300;
  let batchMinActiveHours = 24;
  let json = false;
  const metadataKeys: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = () => {
      const next = rest[++i];
      if (next === undefined || next.startsWith('--')) {
        throw new UsageError(`${arg} needs a value`);
      }
      return next;
    };
    switch (arg) {
      case '--mapping': mapping = value(); break;
      case '--mapping-parameter': mappingParameter = value(); break;
      case '--days': days = positiveInteger(arg, value()); break;
      case '--top': top = positiveInteger(arg, value()); break;
      case '--metadata-key': metadataKeys.push(value()); break;
      case '--ladder-max-output-tokens': ladderMaxOutputTokens = positiveInteger(arg, value()); break;
      case '--batch-min-active-hours': batchMinActiveHours = positiveInteger(arg, value()); break;
      case '--json': json = true; break;
      default:
        if (arg.startsWith('--')) {
          throw new UsageError(`unknown option ${arg}`);
        }
        if (source !== undefined) {
          throw new UsageError(`more than one source given ('${source}', '${arg}')`);
        }
        source = arg;
    }
  }
  if (source === undefined) {
    throw new UsageError('no log folder given');
  }
  if (mapping !== undefined && mappingParameter !== undefined) {
    throw new UsageError('--mapping and --mapping-parameter both give the mapping: pass one');
  }
  return {
    source,
    mapping,
    mappingParameter,
    days,
    top,
    ladderMaxOutputTokens,
    batchMinActiveHours,
    json,
    metadataKeys: metadataKeys.length > 0 ? metadataKeys : ['workload'],
  };
}

const GEOS = Object.values(CrossRegionGeo) as string[];

function routingOf(value: unknown, where: string): InferenceRouting {
  if (value === 'in-region') {
    return InferenceRouting.inRegion();
  }
  if (value === 'global') {
    return InferenceRouting.global();
  }
  if (typeof value === 'string' && GEOS.includes(value)) {
    return InferenceRouting.crossRegion(value as CrossRegionGeo);
  }
  throw new UsageError(`${where}.routing must be one of in-region, global, ${GEOS.join(', ')} (got ${JSON.stringify(value)})`);
}

/** Read a mapping file: team profiles and extra models. */
function readMapping(file: string): { profiles: ProfileInput[]; models: BedrockModel[] } {
  let doc: any;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read the mapping file ${file}: ${(e as Error).message}`);
  }
  return mappingFrom(doc, `the mapping file ${file}`);
}

/**
 * A mapping from one document, or from a list of documents (one per team, as published in SSM; the strings the
 * AWS CLI prints are parsed).
 */
function mappingFrom(input: any, source: string): { profiles: ProfileInput[]; models: BedrockModel[] } {
  let doc = input;
  if (Array.isArray(input)) {
    const docs = input.map((d: unknown, i: number) => {
      try {
        return typeof d === 'string' ? JSON.parse(d) : d;
      } catch (e) {
        throw new UsageError(`${source}: item ${i} is not JSON: ${(e as Error).message}`);
      }
    });
    doc = {
      profiles: docs.flatMap((d: any, i: number) => profilesOf(d, `${source}: item ${i}`) ?? []),
      models: docs.flatMap((d: any) => d?.models ?? []),
    };
  }
  const models: BedrockModel[] = (Array.isArray(doc.models) ? doc.models : []).map((m: BedrockModelProps, i: number) => {
    if (typeof m?.modelId !== 'string' || typeof m?.provider !== 'string' || !Object.values(ModelTier).includes(m?.tier)
      || typeof m?.pricing?.inputUsdPerMillionTokens !== 'number' || typeof m?.pricing?.outputUsdPerMillionTokens !== 'number'
      || typeof m?.pricesAsOf !== 'string') {
      throw new UsageError(`models[${i}] needs modelId, provider, tier (LIGHT, STANDARD or PREMIUM), pricing {inputUsdPerMillionTokens, outputUsdPerMillionTokens} and pricesAsOf`);
    }
    return BedrockModel.custom(m);
  });
  const known = new Map<string, BedrockModel>();
  for (const model of [...BedrockModel.catalogue(), ...models]) {
    known.set(model.modelId, model);
  }
  const rows = profilesOf(doc, source);
  if (!rows) {
    throw new UsageError(`${source} has no "profiles" list`);
  }
  const profiles = rows.map((p: any, i: number): ProfileInput => {
    const where = `profiles[${i}]`;
    if (typeof p?.profile !== 'string' || typeof p?.team !== 'string' || typeof p?.modelId !== 'string') {
      throw new UsageError(`${where} needs "profile" (id or ARN), "team" and "modelId"`);
    }
    const model = known.get(p.modelId);
    if (!model) {
      throw new UsageError(`${where}.modelId '${p.modelId}' is neither in the catalogue nor in "models"`);
    }
    if (p.cacheWriteTtl !== undefined && p.cacheWriteTtl !== '5m' && p.cacheWriteTtl !== '1h') {
      throw new UsageError(`${where}.cacheWriteTtl must be "5m" or "1h"`);
    }
    return {
      profileId: p.profile.split('/').pop(),
      team: p.team,
      interactive: p.interactive !== false,
      model,
      routing: routingOf(p.routing ?? 'in-region', where),
      cacheWriteTtl: p.cacheWriteTtl === '1h' ? CacheTtl.ONE_HOUR : CacheTtl.FIVE_MINUTES,
    };
  });
  return { profiles, models };
}

/**
 * The profiles of one mapping document, each with all of its fields: as listed in a version 1 document (no
 * `version`: one object per profile, as earlier versions published), or with its team's fields filled in from a
 * version 2 team document. Undefined when the document has no "profiles" list.
 */
function profilesOf(doc: any, where: string): unknown[] | undefined {
  const version = doc?.version ?? 1;
  if (version !== 1 && version !== TEAM_DOCUMENT_VERSION) {
    throw new UsageError(`${where} has "version": ${JSON.stringify(version)}, which this cdk-bedrock-governance does not read (it reads 1 and ${TEAM_DOCUMENT_VERSION}): upgrade cdk-bedrock-governance to the version the app uses`);
  }
  if (!Array.isArray(doc?.profiles)) {
    return undefined;
  }
  return version === 1 ? doc.profiles : expandTeamDocument(doc);
}

/** A progress bar on stderr, only when stderr is a terminal. */
function progressBar(io: CliIo): ((p: IngestProgress) => void) | undefined {
  if (!io.stderr.isTTY) {
    return undefined;
  }
  const width = Math.max(10, Math.min(40, (io.stderr.columns ?? 80) - 50));
  return (p) => {
    const share = p.bytesTotal === 0 ? 1 : p.bytesDone / p.bytesTotal;
    const filled = Math.round(share * width);
    io.stderr.write(`\rLoading logs [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${p.filesDone}/${p.filesTotal} files, ${megabytes(p.bytesDone)}`);
    if (p.filesDone === p.filesTotal) {
      io.stderr.write('\n');
    }
  };
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function usd(value: unknown): string {
  return typeof value === 'number' ? `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}` : 'unpriced';
}

function percent(value: unknown): string {
  return typeof value === 'number' ? `${(value * 100).toFixed(1)}%` : '-';
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/** The lever a team should pull, with what it would save over the records read. */
export interface TeamLever {
  readonly lever: string;
  readonly estimatedSavingsUsd?: number;
  readonly detail: string;
}

/** One team of the report. */
export interface TeamReport {
  readonly team: string;
  readonly requests: number;
  readonly costUsd: number | null;
  readonly cacheHitRatio: number | null;
  readonly streamingShare: number;
  readonly interactive: boolean | null;
  readonly lever: TeamLever;
}

/** The report as `--json` prints it. */
export interface ReportResult {
  readonly records: number;
  readonly files: number;
  readonly bytes: number;
  readonly firstHour: string | null;
  readonly lastHour: string | null;
  readonly window: string;
  readonly pricesAsOf: string;
  readonly topWorkloads: Record<string, unknown>[];
  readonly teams: TeamReport[];
  /**
   * Cost per IAM identity within each team (the `CostPerPrincipal` query): the principal view of the logs, to set
   * beside the CUR 2.0 principal view of the bill.
   */
  readonly principals: Record<string, unknown>[];
  readonly unpricedRequests: number;
}

const CACHING_ASSUMPTION = 0.5;

/** Pick the lever of a team from the other queries' rows. */
function leverOf(team: Record<string, unknown>, streaming: Record<string, unknown> | undefined, ladder: number, batch: number): TeamLever {
  const name = String(team.team);
  if (name === '(direct call)') {
    return { lever: 'route through profiles', detail: 'calls bypass application inference profiles: grant the callers a team and call its profile' };
  }
  if (name === '(unmapped profile)') {
    return { lever: 'map the profiles', detail: 'calls go through profiles the mapping does not know: add them to --mapping to price them' };
  }
  if (name === '(provisioned throughput)') {
    return { lever: 'check utilisation', detail: 'provisioned throughput bills by the hour: see the WasteAudit report for its utilisation' };
  }
  const caching = team.cache_hit_ratio_value !== undefined && num(team.cache_hit_ratio_value) < 0.5
    ? Math.round(CACHING_ASSUMPTION * (num(team.input_cost_usd) - num(team.input_cost_if_cache_read_usd)) * 100) / 100
    : 0;
  const options: TeamLever[] = [
    { lever: 'batch inference', estimatedSavingsUsd: batch, detail: 'steady traffic nobody waits on: move it to batch inference (50% off on-demand)' },
    { lever: 'model laddering', estimatedSavingsUsd: ladder, detail: 'short answers from standard/premium models: try the light model of the provider on an eval set' },
    { lever: 'prompt caching', estimatedSavingsUsd: caching, detail: 'low cache hit ratio: put the stable prefix first and cache it (estimate assumes half the uncached input becomes cache reads)' },
  ];
  const best = options.filter((o) => (o.estimatedSavingsUsd ?? 0) > 0)
    .sort((a, b) => (b.estimatedSavingsUsd ?? 0) - (a.estimatedSavingsUsd ?? 0))[0];
  if (best) {
    return best;
  }
  if (streaming && streaming.interactive === false && num(streaming.streaming_requests) > 0) {
    return { lever: 'disable streaming', detail: 'a non-interactive team streams: call Converse/InvokeModel instead' };
  }
  return { lever: 'none', estimatedSavingsUsd: 0, detail: 'no lever stands out in these records' };
}

/** Columns of numbers (amounts, counts, shares) are right-aligned, the others left-aligned. */
function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const numeric = rows[0].map((_, c) => rows.slice(1).every((r) => /^(\$?[\d,.]+%?|-|unpriced)$/.test(r[c])));
  return rows.map((r) => `  ${r.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ')}`.trimEnd()).join('\n');
}

function shortArn(arn: unknown): string {
  return typeof arn === 'string' ? arn.replace(/^arn:aws[a-z-]*:iam::\d{12}:/, '') : '-';
}

function render(result: ReportResult, metadataKeys: string[]): string {
  const out: string[] = [];
  out.push('Bedrock invocation-log report (cdk-bedrock-governance)');
  out.push(`  ${result.records.toLocaleString('en-US')} records from ${result.files.toLocaleString('en-US')} files (${megabytes(result.bytes)}), hours ${result.firstHour ?? '-'} to ${result.lastHour ?? '-'} UTC; ${result.window}; prices as of ${result.pricesAsOf}`);
  out.push('');
  out.push(`Top ${result.topWorkloads.length} workloads by cost`);
  out.push(table([
    ['#', 'cost', 'requests', 'team', 'profile/model', 'identity', ...metadataKeys],
    ...result.topWorkloads.map((w, i) => [
      String(i + 1), usd(w.cost_usd), num(w.requests).toLocaleString('en-US'), String(w.team),
      `${w.profile_or_model}${w.model_name ? ` (${w.model_name})` : ''}`, shortArn(w.identity_arn),
      ...metadataKeys.map((k) => String(w[metadataColumn(k)] ?? '-')),
    ]),
  ]));
  out.push('');
  out.push('Cost per team, and the lever to pull');
  out.push(table([
    ['team', 'requests', 'cost', 'cache hit', 'streaming', 'lever', 'est. savings'],
    ...result.teams.map((t) => [
      t.team, t.requests.toLocaleString('en-US'), usd(t.costUsd), percent(t.cacheHitRatio), percent(t.streamingShare),
      t.lever.lever, t.lever.estimatedSavingsUsd === undefined ? '-' : usd(t.lever.estimatedSavingsUsd),
    ]),
  ]));
  out.push('');
  for (const t of result.teams) {
    out.push(`  ${t.team}: ${t.lever.lever} - ${t.lever.detail}`);
  }
  out.push('');
  out.push('Cost per IAM identity within each team (compare with the bill\'s principal view: AttributionQueries CostPerPrincipal)');
  out.push(table([
    ['team', 'identity', 'role', 'calls to', 'requests', 'cost'],
    ...result.principals.map((p) => [
      String(p.team), shortArn(p.identity_arn), String(p.role_name ?? '-'), String(p.call_kind), num(p.requests).toLocaleString('en-US'), usd(p.cost_usd),
    ]),
  ]));
  if (result.unpricedRequests > 0) {
    out.push('');
    out.push(`${result.unpricedRequests.toLocaleString('en-US')} requests are unpriced (models outside the catalogue, profiles missing from --mapping, provisioned throughput).`);
  }
  return `${out.join('\n')}\n`;
}

/** Run the report on a folder; exported for the benchmark. */
export async function runReport(options: {
  readonly files: LogFile[];
  readonly duckdb: DuckDbModule;
  readonly profiles: ProfileInput[];
  readonly models: BedrockModel[];
  readonly days?: number;
  readonly top: number;
  readonly metadataKeys: string[];
  readonly ladderMaxOutputTokens: number;
  readonly batchMinActiveHours: number;
  readonly onProgress?: (p: IngestProgress) => void;
}): Promise<ReportResult> {
  const sqlOptions: InvocationLogSqlOptions = {
    database: 'bedrock_invocation_logs',
    table: 'invocations',
    pricing: buildAuditPricing(options.models, options.profiles),
    lookbackDays: options.days,
    requestMetadataKeys: options.metadataKeys,
    topWorkloads: options.top,
    ladderMaxOutputTokens: options.ladderMaxOutputTokens,
    batchMinActiveHours: options.batchMinActiveHours,
  };
  const engine = await InvocationLogEngine.open({ database: sqlOptions.database, table: sqlOptions.table, duckdb: options.duckdb });
  try {
    await engine.ingest(options.files, options.onProgress);
    const sql = Object.fromEntries(renderAuditQueries(sqlOptions).map((q) => [q.id, q.sql]));
    const run = (query: InvocationLogQuery) => engine.query(sql[query]);
    const [stats] = await engine.raw(`SELECT COUNT(*) AS records, MIN(log_hour) AS first_hour, MAX(log_hour) AS last_hour FROM ${engine.tableRef} WHERE requestid IS NOT NULL AND modelid IS NOT NULL`);
    const topWorkloads = await run(InvocationLogQuery.TOP_WORKLOADS_BY_COST);
    const teams = await run(InvocationLogQuery.COST_PER_TEAM);
    const streaming = await run(InvocationLogQuery.STREAMING_SHARE_PER_TEAM);
    const ladder = await run(InvocationLogQuery.LADDERING_CANDIDATES);
    const batch = await run(InvocationLogQuery.BATCH_CANDIDATES);
    const principals = await run(InvocationLogQuery.COST_PER_PRINCIPAL);
    const sumBy = (rows: Record<string, unknown>[], column: string) => {
      const sums = new Map<string, number>();
      for (const row of rows) {
        sums.set(String(row.team), (sums.get(String(row.team)) ?? 0) + num(row[column]));
      }
      return sums;
    };
    const ladderByTeam = sumBy(ladder, 'estimated_savings_usd');
    const batchByTeam = sumBy(batch, 'batch_savings_usd');
    const teamReports: TeamReport[] = teams.map((t) => {
      const tokens = num(t.input_tokens) + num(t.cache_read_tokens) + num(t.cache_write_tokens);
      const ratio = tokens === 0 ? null : num(t.cache_read_tokens) / tokens;
      const s = streaming.find((row) => row.team === t.team);
      const round2 = (v: number) => Math.round(v * 100) / 100;
      return {
        team: String(t.team),
        requests: num(t.requests),
        costUsd: typeof t.cost_usd === 'number' ? t.cost_usd : null,
        cacheHitRatio: ratio === null ? null : Math.round(ratio * 10_000) / 10_000,
        streamingShare: num(s?.streaming_share),
        interactive: typeof s?.interactive === 'boolean' ? s.interactive : null,
        lever: leverOf({ ...t, cache_hit_ratio_value: ratio ?? undefined }, s,
          round2(ladderByTeam.get(String(t.team)) ?? 0), round2(batchByTeam.get(String(t.team)) ?? 0)),
      };
    });
    const asOf = [...new Set(sqlOptions.pricing.models.map((m) => m.pricesAsOf))].sort().join(', ');
    return {
      records: num(stats.records),
      files: options.files.length,
      bytes: options.files.reduce((sum, f) => sum + f.bytes, 0),
      firstHour: (stats.first_hour as string | null) ?? null,
      lastHour: (stats.last_hour as string | null) ?? null,
      window: options.days === undefined ? 'every record in the folder' : `records of the last ${options.days} days`,
      pricesAsOf: asOf,
      topWorkloads,
      teams: teamReports,
      principals,
      unpricedRequests: teams.reduce((sum, t) => sum + num(t.unpriced_requests), 0),
    };
  } finally {
    engine.close();
  }
}

/**
 * Run the command line. Returns the exit code: 0 on success, 1 when the report could not run (no logs, no
 * DuckDB), 2 on a usage error.
 */
export async function main(args: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseArgs(args);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`error: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (options === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  if (options.source.startsWith('s3://')) {
    io.stderr.write('The report reads a local copy of the logs. Download them first (the data/ folders hold large request bodies, not records):\n'
      + `  aws s3 sync ${options.source} ./bedrock-logs --exclude '*/data/*'\n`
      + '  npx cdk-bedrock-governance report ./bedrock-logs\n');
    return 2;
  }
  if (!fs.existsSync(options.source) || !fs.statSync(options.source).isDirectory()) {
    io.stderr.write(`error: ${options.source} is not a folder\n`);
    return 1;
  }
  let duckdb: DuckDbModule;
  try {
    duckdb = (io.loadDuckDb ?? loadDuckDb)();
  } catch (e) {
    if (e instanceof DuckDbMissingError) {
      io.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const versionWarning = duckDbVersionWarning(duckdb);
  if (versionWarning) {
    io.stderr.write(`${versionWarning}\n`);
  }
  let mapping: { profiles: ProfileInput[]; models: BedrockModel[] } = { profiles: [], models: [] };
  try {
    if (options.mapping !== undefined) {
      mapping = readMapping(options.mapping);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (options.mappingParameter !== undefined) {
    const read = await readMappingParameter(options.mappingParameter, io);
    if (typeof read === 'number') {
      return read;
    }
    mapping = read;
  }
  const files = findLogFiles(options.source);
  if (files.length === 0) {
    io.stderr.write(`error: no invocation-log files (*.json.gz) under ${options.source}\n`);
    return 1;
  }
  const result = await runReport({
    files,
    duckdb,
    profiles: mapping.profiles,
    models: mapping.models,
    days: options.days,
    top: options.top,
    metadataKeys: options.metadataKeys,
    ladderMaxOutputTokens: options.ladderMaxOutputTokens,
    batchMinActiveHours: options.batchMinActiveHours,
    onProgress: progressBar(io),
  });
  io.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : render(result, options.metadataKeys));
  return 0;
}

/** The mapping under an SSM path, or the exit code after saying why it could not be read. */
async function readMappingParameter(path: string, io: CliIo): Promise<{ profiles: ProfileInput[]; models: BedrockModel[] } | number> {
  const instead = `With the AWS CLI instead:\n  ${awsCliMappingCommand(path)}\nthen pass --mapping profile-mapping.json\n`;
  const reader = (io.loadSsm ?? loadSsmReader)();
  if (!reader) {
    io.stderr.write(`Reading ${path} needs the AWS SDK for JavaScript (npm install --no-save @aws-sdk/client-ssm), which is not installed. ${instead}`);
    return 1;
  }
  let values: string[];
  try {
    values = await reader.valuesByPath(path);
  } catch (e) {
    io.stderr.write(`error: cannot read the SSM parameters under ${path}: ${(e as Error).message}. ${instead}`);
    return 1;
  }
  if (values.length === 0) {
    io.stderr.write(`error: no SSM parameters under ${path} in the Region of your AWS configuration. Pass your app's BedrockGovernance.profileMappingPath (e.g. /bedrock-governance/prod-profile-mapping) and set AWS_REGION to the app's Region\n`);
    return 1;
  }
  try {
    return mappingFrom(values, `the SSM parameters under ${path}`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

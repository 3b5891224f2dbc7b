/**
 * The embedded engine of `cdk-bedrock-governance report`: DuckDB (`@duckdb/node-api`, an optional package loaded at
 * run time, never a dependency of the library) holding a table with the exact columns of the Glue table of
 * `InvocationLogQueries`, filled from a local copy of the invocation logs, on which the Athena SQL of
 * `audit-sql.ts` runs after `toDuckDbDialect`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { LOG_FIELDS, LOG_HOUR_COLUMN, LogField } from './sql';

/** The part of `@duckdb/node-api` the engine uses. */
export interface DuckDbModule {
  readonly DuckDBInstance: { create(path: string, options?: Record<string, string>): Promise<DuckDbInstanceLike> };
  /** The DuckDB engine version, e.g. `v1.5.6`. */
  version?(): string;
}

interface DuckDbInstanceLike {
  connect(): Promise<DuckDbConnectionLike>;
  closeSync(): void;
}

interface DuckDbConnectionLike {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<{ getRowObjectsJS(): Record<string, unknown>[] }>;
  closeSync(): void;
}

/** The package that provides the engine. */
export const DUCKDB_PACKAGE = '@duckdb/node-api';

/**
 * The version of `@duckdb/node-api` the report is tested with (the dev dependency of this project; a test keeps
 * them equal). The package cannot be a peer dependency: jsii accepts only jsii modules there.
 */
export const DUCKDB_TESTED_VERSION = '1.5.6-r.1';

/** The DuckDB engine series of `DUCKDB_TESTED_VERSION`: other series get a warning. */
const DUCKDB_TESTED_ENGINE = 'v1.5.';

/** The command that installs the tested version beside the library, without adding it to package.json. */
export const DUCKDB_INSTALL_COMMAND = `npm install --no-save ${DUCKDB_PACKAGE}@${DUCKDB_TESTED_VERSION}`;

/**
 * A warning when the loaded engine is not of the tested series, else undefined.
 */
export function duckDbVersionWarning(duckdb: DuckDbModule): string | undefined {
  const engine = typeof duckdb.version === 'function' ? duckdb.version() : 'unknown';
  if (engine.startsWith(DUCKDB_TESTED_ENGINE)) {
    return undefined;
  }
  return `warning: DuckDB ${engine} is installed; the report is tested with ${DUCKDB_PACKAGE}@${DUCKDB_TESTED_VERSION} `
    + `(DuckDB ${DUCKDB_TESTED_ENGINE}x). If a query fails, run \`${DUCKDB_INSTALL_COMMAND}\``;
}

/** Thrown when `@duckdb/node-api` cannot be loaded. */
export class DuckDbMissingError extends Error {
  constructor(cause: string) {
    super(`The report command runs the invocation-log queries on DuckDB, which is not installed: run \`${DUCKDB_INSTALL_COMMAND}\` (the tested version; it is an optional companion of cdk-bedrock-governance, not a dependency) and try again. (${cause})`);
    this.name = 'DuckDbMissingError';
  }
}

/**
 * Load `@duckdb/node-api` with a dynamic `require`, so the library never needs it to load.
 *
 * @param load how to load a module (tests pass a loader that fails)
 */
// A dynamic require on purpose: the library must load without the package.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export function loadDuckDb(load: (id: string) => unknown = (id) => require(id)): DuckDbModule {
  try {
    return load(DUCKDB_PACKAGE) as DuckDbModule;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'MODULE_NOT_FOUND' || /Cannot find module/.test(String(err.message))) {
      throw new DuckDbMissingError(String(err.message).split('\n')[0]);
    }
    throw e;
  }
}

/**
 * Adapt the Athena (Trino) SQL of `audit-sql.ts` to DuckDB. The two functions the queries use that differ:
 * - Trino `element_at(map, key)` returns the value (NULL for a missing key); DuckDB's `element_at` returns a list,
 *   and DuckDB's `map_extract_value(map, key)` returns the value (NULL for a missing key).
 * - Trino `date_format(timestamp, format)` and DuckDB `strftime(timestamp, format)` take the same arguments and the
 *   same `%Y/%m/%d/%H` specifiers.
 * Nothing else is rewritten: the engine sets DuckDB's time zone to UTC, as Athena's sessions are.
 */
export function toDuckDbDialect(athenaSql: string): string {
  return athenaSql
    .replace(/\belement_at\(/g, 'map_extract_value(')
    .replace(/\bdate_format\(/g, 'strftime(');
}

/** The DuckDB type of a log field. */
export function duckDbType(field: LogField): string {
  if (field.map) {
    return 'MAP(VARCHAR, VARCHAR)';
  }
  if (field.fields) {
    return `STRUCT(${field.fields.map((f) => `"${f.name}" ${duckDbType(f)}`).join(', ')})`;
  }
  const types: Record<string, string> = { string: 'VARCHAR', bigint: 'BIGINT' };
  const type = types[field.type!];
  if (!type) {
    throw new Error(`no DuckDB type for Hive type ${field.type}`);
  }
  return type;
}

/** The type DuckDB's JSON reader should give a field: like `duckDbType`, with the JSON keys as struct fields. */
function jsonReaderType(field: LogField): string {
  if (field.fields) {
    return `STRUCT(${field.fields.map((f) => `"${f.jsonKey}" ${jsonReaderType(f)}`).join(', ')})`;
  }
  return duckDbType(field);
}

/** The select expression turning a JSON-reader field into the Glue column. */
function columnExpression(field: LogField): string {
  if (field.fields) {
    return `struct_pack(${field.fields.map((f) => `"${f.name}" := "${field.jsonKey}"."${f.jsonKey}"`).join(', ')})`;
  }
  return `"${field.jsonKey}"`;
}

function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A log file of a local copy. */
export interface LogFile {
  readonly path: string;
  readonly bytes: number;
}

/**
 * The invocation-log files under a folder: every `*.json.gz` except the large request/response bodies Bedrock writes
 * under `.../HH/data/` (they are not log records) and the `amazon-bedrock-logs-permission-check` object.
 * Sorted by path, so runs are repeatable.
 */
export function findLogFiles(root: string): LogFile[] {
  const found: LogFile[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === 'data' && /^\d{2}$/.test(path.basename(dir))) {
          continue;
        }
        walk(full);
      } else if (entry.isFile() && entry.name.endsWith('.json.gz')) {
        found.push({ path: full, bytes: fs.statSync(full).size });
      }
    }
  };
  walk(root);
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Progress of an ingestion. */
export interface IngestProgress {
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
}

/** Options of `InvocationLogEngine.open`. */
export interface EngineOptions {
  /** Database (DuckDB schema) name, as in the Glue catalog. */
  readonly database: string;
  /** Table name, as in the Glue catalog. */
  readonly table: string;
  /** The loaded `@duckdb/node-api` module. */
  readonly duckdb: DuckDbModule;
}

/** Compressed bytes read per `INSERT` while ingesting (one progress step). */
const INGEST_BATCH_BYTES = 32 * 1024 * 1024;

/** Values as plain JSON: DuckDB's BIGINTs (JS bigint) become numbers. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return Number(value);
  }
  if (Array.isArray(value)) {
    return value.map(plain);
  }
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** A DuckDB database with the invocation-log table. */
export class InvocationLogEngine {
  /** Open an in-memory database with an empty log table named like the Glue table. */
  public static async open(options: EngineOptions): Promise<InvocationLogEngine> {
    const instance = await options.duckdb.DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const engine = new InvocationLogEngine(instance, connection, options.database, options.table);
    await connection.run("SET TimeZone = 'UTC'");
    await connection.run(`CREATE SCHEMA "${options.database}"`);
    const columns = LOG_FIELDS.map((f) => `"${f.name}" ${duckDbType(f)}`);
    columns.push(`"${LOG_HOUR_COLUMN}" VARCHAR`);
    await connection.run(`CREATE TABLE ${engine.tableRef} (${columns.join(', ')})`);
    return engine;
  }

  private constructor(
    private readonly instance: DuckDbInstanceLike,
    private readonly connection: DuckDbConnectionLike,
    public readonly database: string,
    public readonly table: string,
  ) {}

  /** `"database"."table"`. */
  public get tableRef(): string {
    return `"${this.database}"."${this.table}"`;
  }

  /**
   * Load log files (gzipped JSON lines) into the table, in batches of about 32 MB compressed; malformed lines are
   * skipped (as `ignore.malformed.json` does in Athena). The `log_hour` partition value comes from the
   * `YYYY/MM/DD/HH` folders of each file's path, as partition projection derives it.
   */
  public async ingest(files: LogFile[], onProgress?: (progress: IngestProgress) => void): Promise<void> {
    const bytesTotal = files.reduce((sum, f) => sum + f.bytes, 0);
    const readerColumns = `{${LOG_FIELDS.map((f) => `${quote(f.jsonKey)}: ${quote(jsonReaderType(f))}`).join(', ')}}`;
    const select = LOG_FIELDS.map((f) => `${columnExpression(f)} AS "${f.name}"`);
    select.push(`regexp_extract(replace(filename, '\\', '/'), '(\\d{4}/\\d{2}/\\d{2}/\\d{2})/[^/]*$', 1) AS "${LOG_HOUR_COLUMN}"`);
    let filesDone = 0;
    let bytesDone = 0;
    onProgress?.({ filesDone, filesTotal: files.length, bytesDone, bytesTotal });
    for (let start = 0; start < files.length;) {
      let end = start;
      let batchBytes = 0;
      while (end < files.length && (end === start || batchBytes + files[end].bytes <= INGEST_BATCH_BYTES)) {
        batchBytes += files[end].bytes;
        end++;
      }
      const list = files.slice(start, end).map((f) => quote(f.path)).join(', ');
      await this.connection.run(`INSERT INTO ${this.tableRef} SELECT ${select.join(', ')} FROM read_json([${list}], format = 'newline_delimited', compression = 'gzip', columns = ${readerColumns}, filename = true, ignore_errors = true)`);
      filesDone = end;
      bytesDone += batchBytes;
      onProgress?.({ filesDone, filesTotal: files.length, bytesDone, bytesTotal });
      start = end;
    }
  }

  /** Run Athena SQL (adapted by `toDuckDbDialect`) and return plain rows. */
  public async query(athenaSql: string): Promise<Record<string, unknown>[]> {
    return this.raw(toDuckDbDialect(athenaSql));
  }

  /** Run DuckDB SQL as is and return plain rows. */
  public async raw(sql: string): Promise<Record<string, unknown>[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJS().map((row) => plain(row) as Record<string, unknown>);
  }

  /** Close the database. */
  public close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

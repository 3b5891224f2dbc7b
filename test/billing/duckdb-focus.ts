/**
 * Run the Athena (Trino) chargeback SQL on DuckDB, against a sample FOCUS export written as Parquet in the exact
 * folder layout of AWS Data Exports (`<prefix>/<export name>/data/BILLING_PERIOD=YYYY-MM/*.parquet`) with the
 * exact columns and types of the synthesized Glue table.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/**
 * The one difference between Athena's dialect and DuckDB's that the chargeback SQL meets: Trino's
 * `element_at(map, key)` returns the value (NULL for a missing key), DuckDB's returns a list of matches, and
 * DuckDB's `map_extract_value(map, key)` returns the value (NULL for a missing key). Nothing else is rewritten.
 */
export function toDuckDbDialect(athenaSql: string): string {
  return athenaSql.replace(/\belement_at\(/g, 'map_extract_value(');
}

/** The DuckDB type of a Glue (Hive) column type of the FOCUS table. */
export function duckDbType(hiveType: string): string {
  const types: Record<string, string> = {
    'string': 'VARCHAR',
    'double': 'DOUBLE',
    'timestamp': 'TIMESTAMP',
    'map<string,string>': 'MAP(VARCHAR, VARCHAR)',
    'map<string,double>': 'MAP(VARCHAR, DOUBLE)',
  };
  const type = types[hiveType];
  if (!type) {
    throw new Error(`no DuckDB type for Hive type ${hiveType}`);
  }
  return type;
}

/** One FOCUS row: lower-case column names, plus `billing_period` (the partition, not a column of the files). */
export type FocusRow = Record<string, string | number | Record<string, string> | null>;

export interface GlueColumn {
  readonly Name: string;
  readonly Type: string;
}

function sqlValue(value: FocusRow[string], hiveType: string): string {
  if (value === null || value === undefined) {
    return 'NULL';
  }
  if (typeof value === 'number') {
    return String(value);
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${quote(k)}: ${quote(v)}`);
    return `MAP {${entries.join(', ')}}::${duckDbType(hiveType)}`;
  }
  return hiveType === 'timestamp' ? `TIMESTAMP ${quote(value)}` : quote(value);
}

function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A DuckDB database holding a sample FOCUS export on disk and a view named like the Glue table over it. */
export class DuckDbFocusExport {
  /**
   * Write the rows as Parquet under `<root>/<dataPrefix>/BILLING_PERIOD=YYYY-MM/`, typed by the Glue columns,
   * and create the view `"<database>"."<table>"` over those files with hive partitioning.
   */
  public static async create(options: {
    database: string;
    table: string;
    dataPrefix: string;
    columns: GlueColumn[];
    rows: FocusRow[];
    /**
     * The column names as AWS writes them in the files (e.g. `BilledCost`), matched to the Glue columns
     * case-insensitively; default: the Glue names.
     */
    fileColumnNames?: readonly string[];
  }): Promise<DuckDbFocusExport> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-bg-focus-'));
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const known = new Set(options.columns.map((c) => c.Name));
    for (const row of options.rows) {
      for (const key of Object.keys(row)) {
        if (key !== 'billing_period' && !known.has(key)) {
          throw new Error(`sample row sets ${key}, which is not a column of the Glue table`);
        }
      }
    }
    const fileName = (glueName: string): string => options.fileColumnNames?.find((n) => n.toLowerCase() === glueName.toLowerCase()) ?? glueName;
    const columnsSql = options.columns.map((c) => `"${fileName(c.Name)}" ${duckDbType(c.Type)}`).join(', ');
    await connection.run(`CREATE TABLE sample (${columnsSql}, "BILLING_PERIOD" VARCHAR)`);
    for (const row of options.rows) {
      const values = options.columns.map((c) => sqlValue(row[c.Name] ?? null, c.Type));
      values.push(quote(String(row.billing_period)));
      await connection.run(`INSERT INTO sample VALUES (${values.join(', ')})`);
    }
    const dataDir = path.join(root, options.dataPrefix);
    fs.mkdirSync(dataDir, { recursive: true });
    await connection.run(`COPY sample TO ${quote(dataDir)} (FORMAT parquet, PARTITION_BY ("BILLING_PERIOD"))`);
    await connection.run('DROP TABLE sample');
    await connection.run(`CREATE SCHEMA "${options.database}"`);
    // Like the Glue table: the file columns, then the partition column `billing_period` read from the folder name.
    await connection.run(`CREATE VIEW "${options.database}"."${options.table}" AS SELECT * EXCLUDE ("BILLING_PERIOD"), "BILLING_PERIOD" AS billing_period FROM read_parquet(${quote(path.join(dataDir, 'BILLING_PERIOD=*', '*.parquet'))}, hive_partitioning = true, hive_types = {'BILLING_PERIOD': VARCHAR})`);
    return new DuckDbFocusExport(root, dataDir, instance, connection);
  }

  private constructor(
    public readonly root: string,
    public readonly dataDir: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /** The Parquet files written, relative to the data folder. */
  public files(): string[] {
    const out: string[] = [];
    for (const dir of fs.readdirSync(this.dataDir).sort()) {
      for (const file of fs.readdirSync(path.join(this.dataDir, dir)).sort()) {
        out.push(`${dir}/${file}`);
      }
    }
    return out;
  }

  /** Run Athena SQL (adapted by `toDuckDbDialect`) and return plain row objects. */
  public async query(athenaSql: string): Promise<Record<string, unknown>[]> {
    const reader = await this.connection.runAndReadAll(toDuckDbDialect(athenaSql));
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  }

  /** Run SQL as is. */
  public async raw(sql: string): Promise<Record<string, unknown>[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  }

  public close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

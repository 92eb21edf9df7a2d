import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DOUBLE, DuckDBConnection, DuckDBInstance, DuckDBScalarFunction, type DuckDBValue } from '@duckdb/node-api';
import { replaceAtomically } from './replaceAtomically';

/** Quotes an identifier for DuckDB SQL. Names come from configuration and files, so never paste them raw. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes a string literal (used for file paths in table functions, which cannot take bound parameters). */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error(`refusing a SQL literal with a NUL byte: ${JSON.stringify(value)}`);
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * The table function that reads one Parquet file of ours. Hive partitioning is off: staging and snapshot
 * paths contain `run_date=D`, which DuckDB would otherwise add to the file's columns.
 */
export function parquetFile(file: string): string {
  return `read_parquet(${quoteLiteral(file)}, hive_partitioning = false)`;
}

export type Row = Record<string, unknown>;

/** Math DuckDB lacks (a t quantile), callable from SQL: DOUBLE arguments, one per parameter, to a DOUBLE. */
export type NumericFunction = (...args: number[]) => number;

export interface WarehouseOptions {
  /** The business time zone: `ts::DATE` is the business date and naive timestamps are business-local time. */
  timeZone: string;
  /** DuckDB's memory_limit ('2GB'); past it, joins, aggregations and sorts spill to tempDirectory. */
  memoryLimit?: string;
  /** DuckDB's worker threads; DuckDB's default (every core) when omitted. */
  threads?: number;
  /**
   * Where DuckDB spills, in a folder of the session's own inside it: DuckDB names its spill files alike in every
   * database, and sessions side by side that shared one folder overwrote each other's. An in-memory database
   * without one cannot spill and fails at the limit instead.
   */
  tempDirectory?: string;
  /**
   * Stops the session when aborted (an activity's cancellation): the running query is interrupted, no other
   * starts, and both reject with the signal's reason.
   */
  signal?: AbortSignal;
}

/** One in-memory DuckDB session for one activity, in the business time zone and within its memory limit. */
export class Warehouse {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly signal: AbortSignal | undefined,
  ) {
    signal?.addEventListener('abort', this.interrupt, { once: true });
  }

  private readonly interrupt = () => this.connection.interrupt();

  static async open({ timeZone, memoryLimit, threads, tempDirectory, signal }: WarehouseOptions): Promise<Warehouse> {
    signal?.throwIfAborted();
    // DuckDB creates the session's folder when it first spills and removes it on closing; not its parent.
    if (tempDirectory) await mkdir(tempDirectory, { recursive: true });
    const instance = await DuckDBInstance.create(':memory:', {
      // Stable row order through scans and windows: row numbers and snapshots must be reproducible.
      preserve_insertion_order: 'true',
      ...(memoryLimit ? { memory_limit: memoryLimit } : {}),
      ...(threads ? { threads: String(threads) } : {}),
      ...(tempDirectory ? { temp_directory: path.join(tempDirectory, `session-${randomUUID()}`) } : {}),
    });
    const connection = await instance.connect();
    // ICU is linked in but loads after start-up, so the time zone is set on the session, not the instance.
    await connection.run(`SET TimeZone = ${quoteLiteral(timeZone)}`);
    return new Warehouse(instance, connection, signal);
  }

  static async using<T>(options: WarehouseOptions, work: (warehouse: Warehouse) => Promise<T>): Promise<T> {
    const warehouse = await Warehouse.open(options);
    try {
      return await work(warehouse);
    } finally {
      warehouse.close();
    }
  }

  /** Runs a statement unless the session was stopped; an interrupted one fails with the reason it was stopped. */
  private async execute<T>(statement: () => Promise<T>): Promise<T> {
    this.signal?.throwIfAborted();
    try {
      return await statement();
    } catch (error) {
      this.signal?.throwIfAborted();
      throw error;
    }
  }

  async run(sql: string, params?: Record<string, DuckDBValue>): Promise<void> {
    await this.execute(() => this.connection.run(sql, params));
  }

  async rows<T extends Row = Row>(sql: string, params?: Record<string, DuckDBValue>): Promise<T[]> {
    const reader = await this.execute(() => this.connection.runAndReadAll(sql, params));
    return reader.getRowObjectsJS() as T[];
  }

  /** A query's result as columns, for numeric work in JavaScript (k-means) over many rows. */
  async columns(sql: string): Promise<Record<string, unknown[]>> {
    const reader = await this.execute(() => this.connection.runAndReadAll(sql));
    return reader.getColumnsObjectJS() as Record<string, unknown[]>;
  }

  /**
   * A temporary table from columns of equal length: Int32Array as INTEGER, Float64Array as DOUBLE (appended
   * as they are, with no trip through a SQL literal), string[] as VARCHAR.
   */
  async createTable(table: string, columns: Record<string, Int32Array | Float64Array | string[]>): Promise<void> {
    // By tag, not instanceof: a typed array from a worker thread may belong to another realm (as under jest).
    const sqlType = (column: Int32Array | Float64Array | string[]) =>
      Array.isArray(column) ? 'VARCHAR' : column[Symbol.toStringTag] === 'Int32Array' ? 'INTEGER' : 'DOUBLE';
    const typed = Object.entries(columns).map(([name, column]) => ({ name, column, type: sqlType(column) }));
    await this.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(table)} (${typed.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`);
    const appender = await this.connection.createAppender(table);
    const length = typed[0]?.column.length ?? 0;
    for (let row = 0; row < length; row++) {
      for (const { column, type } of typed) {
        if (type === 'INTEGER') appender.appendInteger(column[row] as number);
        else if (type === 'DOUBLE') appender.appendDouble(column[row] as number);
        else appender.appendVarchar(column[row] as string);
      }
      appender.endRow();
    }
    appender.flushSync();
    appender.closeSync();
  }

  async scalar<T>(sql: string, params?: Record<string, DuckDBValue>): Promise<T> {
    const [row] = await this.rows(sql, params);
    if (!row) throw new Error(`query returned no row: ${sql}`);
    return Object.values(row)[0] as T;
  }

  /** Sets a session variable that SQL files read with getvariable('name'). */
  async setVariable(name: string, value: string | number | boolean | null, sqlType: string): Promise<void> {
    const literal = value === null ? 'NULL' : typeof value === 'string' ? quoteLiteral(value) : String(value);
    await this.run(`SET VARIABLE ${quoteIdent(name)} = CAST(${literal} AS ${sqlType})`);
  }

  /**
   * Lets SQL call `name(...)` for a JavaScript function of numbers; a NULL argument gives NULL without a call,
   * and a thrown error fails the query with its message.
   */
  registerNumericFunction(name: string, evaluate: NumericFunction): void {
    const arity = evaluate.length;
    this.connection.registerScalarFunction(
      DuckDBScalarFunction.create({
        name,
        returnType: DOUBLE,
        parameterTypes: Array.from({ length: arity }, () => DOUBLE),
        mainFunction: (info, input, output) => {
          const columns = Array.from({ length: arity }, (_, index) => input.getColumnVector(index));
          try {
            for (let row = 0; row < input.rowCount; row++) {
              const args = columns.map((column) => column.getItem(row) as number | null);
              output.setItem(row, args.includes(null) ? null : evaluate(...(args as number[])));
            }
            output.flush();
          } catch (error) {
            info.setError(`${name}: ${(error as Error).message}`);
          }
        },
      }),
    );
  }

  /** Exposes a Parquet file as a view, so SQL files can refer to inputs by name. */
  async viewParquet(view: string, file: string): Promise<void> {
    await this.run(`CREATE OR REPLACE VIEW ${quoteIdent(view)} AS SELECT * FROM ${parquetFile(file)}`);
  }

  /** Writes a query or table to a Parquet file, atomically (see replaceAtomically); returns its row count. */
  async writeParquet(/** a table name or a query */ relation: string, file: string, orderBy?: string): Promise<number> {
    const source = /^[A-Za-z_][A-Za-z0-9_]*$/.test(relation) ? quoteIdent(relation) : `(${relation})`;
    const ordered = orderBy ? `SELECT * FROM ${source} ORDER BY ${orderBy}` : `SELECT * FROM ${source}`;
    await replaceAtomically(file, (temporary) =>
      this.run(`COPY (${ordered}) TO ${quoteLiteral(temporary)} (FORMAT parquet, COMPRESSION snappy)`),
    );
    return Number(await this.scalar(`SELECT count(*) FROM ${parquetFile(file)}`));
  }

  close(): void {
    this.signal?.removeEventListener('abort', this.interrupt);
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

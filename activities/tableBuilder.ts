import { quoteIdent, quoteLiteral, Warehouse, type NumericFunction, type WarehouseOptions } from '../lib/duckdb';
import { sqlFile } from '../lib/sqlFile';
import { heartbeatWhile } from './heartbeat';
import type { SnapshotTable } from './publish';
import { naming, writeSnapshotTable, type TablePlace } from './snapshotTable';

export type SqlVariable = { value: string | number | boolean | null; type: 'VARCHAR' | 'INTEGER' | 'DOUBLE' | 'DATE' | 'BOOLEAN' };
export type LiteralRow = Record<string, string | number>;

/** Rows with declared column types: the table has its columns even with no row (no campaign configured). */
export interface TypedRows {
  columns: Record<string, SqlVariable['type']>;
  rows: LiteralRow[];
}

function valuesList(columns: string[], rows: LiteralRow[]): string {
  const literal = (value: string | number) => (typeof value === 'number' ? String(value) : quoteLiteral(value));
  return rows.map((row) => `(${columns.map((c) => literal(row[c]!)).join(', ')})`).join(',\n');
}

/** A small table of configuration values (segment rules, campaigns): validated by zod, then quoted here. */
export async function createValuesTable(warehouse: Warehouse, name: string, rows: LiteralRow[] | TypedRows): Promise<void> {
  if (!Array.isArray(rows)) return createTypedTable(warehouse, name, rows);
  if (rows.length === 0) throw new Error(`table ${name} needs at least one row`);
  const columns = Object.keys(rows[0]!);
  await warehouse.run(
    `CREATE OR REPLACE TEMP TABLE ${quoteIdent(name)} AS SELECT * FROM (VALUES ${valuesList(columns, rows)}) AS t(${columns.map(quoteIdent).join(', ')})`,
  );
}

async function createTypedTable(warehouse: Warehouse, name: string, { columns, rows }: TypedRows): Promise<void> {
  const names = Object.keys(columns);
  await warehouse.run(
    `CREATE OR REPLACE TEMP TABLE ${quoteIdent(name)} (${names.map((column) => `${quoteIdent(column)} ${columns[column]}`).join(', ')})`,
  );
  if (rows.length > 0) await warehouse.run(`INSERT INTO ${quoteIdent(name)} VALUES ${valuesList(names, rows)}`);
}

interface ModelInputs {
  warehouse: WarehouseOptions;
  /** View name -> Parquet file the model reads. */
  inputs?: Record<string, string>;
  /** View name -> query the model reads (a point-in-time cut of the cleaned base). */
  views?: Record<string, string>;
  variables?: Record<string, SqlVariable>;
  tables?: Record<string, LiteralRow[] | TypedRows>;
  /** SQL name -> JavaScript function the model calls (math DuckDB lacks, such as a t quantile). */
  functions?: Record<string, NumericFunction>;
}

/** A published table, built by its model sql/marts/<table>.sql, staged in `place` and checked against its contract. */
export interface PublishedTable {
  table: SnapshotTable;
  place: TablePlace;
}

/** A staged table that is not published: any model in sql/, e.g. 'models/campaign_decisions.sql'. */
export interface StagedModel {
  model: string;
  output: string;
}

export type BuildTableOptions = ModelInputs & (PublishedTable | StagedModel);

/** Runs one SQL model over Parquet inputs and writes its result as Parquet; returns the row count. */
export async function buildTable(options: BuildTableOptions): Promise<number> {
  return heartbeatWhile(() =>
    Warehouse.using(options.warehouse, async (warehouse) => {
      await warehouse.run(sqlFile('qcut.sql'));
      await warehouse.run(sqlFile('aggregates.sql'));
      for (const [view, file] of Object.entries(options.inputs ?? {})) await warehouse.viewParquet(view, file);
      for (const [view, query] of Object.entries(options.views ?? {})) {
        await warehouse.run(`CREATE OR REPLACE VIEW ${quoteIdent(view)} AS ${query}`);
      }
      for (const [name, { value, type }] of Object.entries(options.variables ?? {})) {
        await warehouse.setVariable(name, value, type);
      }
      for (const [name, rows] of Object.entries(options.tables ?? {})) await createValuesTable(warehouse, name, rows);
      for (const [name, evaluate] of Object.entries(options.functions ?? {})) warehouse.registerNumericFunction(name, evaluate);
      if ('table' in options) return writeSnapshotTable(warehouse, options.table, options.place);
      return naming(`sql/${options.model}`, () => warehouse.writeParquet(sqlFile(options.model), options.output));
    }),
  );
}

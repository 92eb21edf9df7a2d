import { quoteIdent, quoteLiteral, Warehouse, type WarehouseOptions } from '../lib/duckdb';
import { sqlFile } from '../lib/sqlFile';
import { heartbeatWhile } from './heartbeat';

export type SqlVariable = { value: string | number | boolean | null; type: 'VARCHAR' | 'INTEGER' | 'DOUBLE' | 'DATE' | 'BOOLEAN' };
export type LiteralRow = Record<string, string | number>;

/** A small table of configuration values (segment rules, campaigns): validated by zod, then quoted here. */
export async function createValuesTable(warehouse: Warehouse, name: string, rows: LiteralRow[]): Promise<void> {
  if (rows.length === 0) throw new Error(`table ${name} needs at least one row`);
  const columns = Object.keys(rows[0]!);
  const literal = (value: string | number) => (typeof value === 'number' ? String(value) : quoteLiteral(value));
  const values = rows.map((row) => `(${columns.map((c) => literal(row[c]!)).join(', ')})`).join(',\n');
  await warehouse.run(
    `CREATE OR REPLACE TEMP TABLE ${quoteIdent(name)} AS SELECT * FROM (VALUES ${values}) AS t(${columns.map(quoteIdent).join(', ')})`,
  );
}

export interface BuildTableOptions {
  warehouse: WarehouseOptions;
  /** View name -> Parquet file the model reads. */
  inputs?: Record<string, string>;
  /** View name -> query the model reads (a point-in-time cut of the cleaned base). */
  views?: Record<string, string>;
  variables?: Record<string, SqlVariable>;
  tables?: Record<string, LiteralRow[]>;
  /** A model in sql/, e.g. 'marts/rfm.sql'. */
  model: string;
  output: string;
}

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
      try {
        return await warehouse.writeParquet(sqlFile(options.model), options.output);
      } catch (error) {
        // DuckDB names neither the query nor the table: say which model failed.
        throw new Error(`sql/${options.model}: ${(error as Error).message}`, { cause: error });
      }
    }),
  );
}

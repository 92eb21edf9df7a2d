import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { quoteLiteral, Warehouse, type Row } from '../../lib/duckdb';

/** Rows of a Parquet file as DuckDB reads them, BIGINTs as numbers. */
export async function readParquet(file: string, orderBy?: string): Promise<Row[]> {
  return Warehouse.using({ timeZone: 'UTC' }, async (warehouse) => {
    const rows = await warehouse.rows(`SELECT * FROM read_parquet(${quoteLiteral(file)}, hive_partitioning = false)${orderBy ? ` ORDER BY ${orderBy}` : ''}`);
    return rows.map((row) =>
      Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === 'bigint' ? Number(value) : value])),
    );
  });
}

export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

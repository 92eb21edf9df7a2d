import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { quoteIdent, quoteLiteral, Warehouse } from '../lib/duckdb';
import type { ResolvedSource, RunSettings } from '../schemas/run';

function autoTypedReader(source: ResolvedSource): string {
  const file = quoteLiteral(source.file);
  switch (source.format) {
    case 'csv':
      return `read_csv(${file}${source.delimiter ? `, delim = ${quoteLiteral(source.delimiter)}` : ''})`;
    case 'parquet':
      return `read_parquet(${file})`;
    case 'jsonl':
      return `read_json(${file}, format = 'newline_delimited')`;
  }
}

/**
 * The floor a run is measured against: DuckDB alone reading every input file into a table (types detected,
 * nothing checked) and writing one aggregated Parquet table (each customer's last order, orders and spend),
 * with no memory limit. Returns the seconds it took.
 */
export async function measureFloor(settings: RunSettings): Promise<number> {
  const started = process.hrtime.bigint();
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-floor-'));
  try {
    await Warehouse.using({ timeZone: settings.businessTimeZone }, async (warehouse) => {
      for (const [name, source] of Object.entries(settings.sources)) {
        await warehouse.run(`CREATE TABLE ${quoteIdent(name)} AS SELECT * FROM ${autoTypedReader(source)}`);
      }
      const column = (source: 'orders' | 'order_items', name: string) => quoteIdent(settings.sources[source]!.columns[name] ?? name);
      const lines = settings.sources.order_items
        ? `orders JOIN order_items ON orders.${column('orders', 'order_id')} = order_items.${column('order_items', 'order_id')}`
        : 'orders';
      const lineColumn = (name: string) => (settings.sources.order_items ? `order_items.${column('order_items', name)}` : column('orders', name));
      await warehouse.run(`
        COPY (SELECT ${column('orders', 'member_id')} AS member_id, max(${column('orders', 'ordered_at')}) AS last_order,
                     count(DISTINCT orders.${column('orders', 'order_id')}) AS orders,
                     sum(${lineColumn('quantity')} * ${lineColumn('unit_price')}) AS spend
              FROM ${lines} GROUP BY ALL)
        TO ${quoteLiteral(path.join(scratch, 'floor.parquet'))} (FORMAT parquet)`);
    });
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

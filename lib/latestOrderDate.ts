import { readerSql } from './sourceReader';
import type { RunSettings } from '../schemas/run';
import { quoteIdent, Warehouse } from './duckdb';
import { sqlFile } from './sqlFile';

/** The business date of the newest readable order: the natural run date of a static sample. */
export async function latestOrderDate(settings: RunSettings): Promise<string | null> {
  const orders = settings.sources.orders!;
  const column = quoteIdent(orders.columns.ordered_at ?? 'ordered_at');
  return Warehouse.using({ timeZone: settings.businessTimeZone }, async (warehouse) => {
    await warehouse.run(sqlFile('macros.sql'));
    await warehouse.setVariable('timestamp_format', orders.timestampFormat ?? null, 'VARCHAR');
    const latest = await warehouse.scalar<string | null>(
      `SELECT CAST(CAST(max(parse_instant(CAST(${column} AS VARCHAR), getvariable('timestamp_format'))) AS DATE) AS VARCHAR)
       FROM ${readerSql(orders)}`,
    );
    return latest;
  });
}

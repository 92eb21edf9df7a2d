import { quoteIdent, quoteLiteral, Warehouse } from '../lib/duckdb';
import { endOfRunDateExclusive } from '../lib/runDate';
import { sqlFile } from '../lib/sqlFile';
import type { RunSettings, SourceCounts } from '../schemas/run';
import { columnsOf, type SourceName } from '../schemas/sources';
import { heartbeatWhile } from './heartbeat';
import type { IngestedSource } from './ingest';
import { stagingFile } from './staging';

export interface CleanInput {
  runDate: string;
  settings: RunSettings;
  stagingDir: string;
  ingested: IngestedSource[];
}

export interface CleanResult {
  sources: SourceCounts[];
  quarantineReasons: { source: SourceName; reason: string; rows: number }[];
}

/** Referenced sources first, so each model can check its references against what was kept. */
const CLEANING_ORDER: SourceName[] = [
  'products',
  'platforms',
  'promotions',
  'members',
  'orders',
  'order_items',
  'reviews',
  'ga_sessions',
];

/** Sources whose rows are identified by a key: a second row with the same key is quarantined. */
const KEY_COLUMN: Partial<Record<SourceName, string>> = {
  products: 'product_id',
  platforms: 'platform_id',
  promotions: 'promotion_id',
  members: 'member_id',
  orders: 'order_id',
};

const QUARANTINE_COLUMNS = `
  source VARCHAR, file VARCHAR, line BIGINT, row_ref VARCHAR, record_key VARCHAR,
  field VARCHAR, reason VARCHAR, detail VARCHAR`;

/** The ingested text of a source with, on every verbatim repeat of an earlier row, the reference of that row. */
async function loadRaw(warehouse: Warehouse, source: SourceName, ingested: IngestedSource, stagingDir: string): Promise<void> {
  const columns = columnsOf(source).map((c) => quoteIdent(c.name));
  const input =
    ingested.status === 'loaded'
      ? `read_parquet(${quoteLiteral(stagingFile(stagingDir, 'raw', source))})`
      : `(SELECT ${columns.map((c) => `CAST(NULL AS VARCHAR) AS ${c}`).join(', ')},
                 CAST(NULL AS BIGINT) AS _row_number, CAST(NULL AS VARCHAR) AS _row_ref LIMIT 0)`;
  await warehouse.run(`
    CREATE OR REPLACE TEMP TABLE raw AS
    SELECT *, CASE WHEN row_number() OVER same_row > 1 THEN first_value(_row_ref) OVER same_row END AS _duplicate_of
    FROM ${input}
    WINDOW same_row AS (PARTITION BY ${columns.join(', ')} ORDER BY _row_number)
    ORDER BY _row_number`);
}

/** A later row with the key of an earlier good row is a conflicting duplicate: the first one wins. */
async function quarantineRepeatedKeys(warehouse: Warehouse, source: SourceName, lineLevelOrders: boolean): Promise<void> {
  const key = KEY_COLUMN[source];
  if (!key || (source === 'orders' && lineLevelOrders)) return;
  const checked = quoteIdent(`${source}_checked`);
  await warehouse.run(`
    CREATE OR REPLACE TEMP TABLE ${checked} AS
    SELECT * REPLACE (
      coalesce(_problem, CASE WHEN row_number() OVER same_key > 1 THEN problem('duplicate_key', ${quoteLiteral(key)},
        ${quoteLiteral(`${key} '`)} || _record_key || ''' appears again; the row kept is ' || first_value(_row_ref) OVER same_key) END)
      AS _problem)
    FROM ${checked}
    WINDOW same_key AS (PARTITION BY _problem IS NULL, _record_key ORDER BY _row_number)
    ORDER BY _row_number`);
}

async function cleanSource(
  warehouse: Warehouse,
  source: SourceName,
  ingested: IngestedSource,
  settings: RunSettings,
  stagingDir: string,
): Promise<SourceCounts> {
  const lineLevelOrders = settings.sources.order_items === undefined;
  await loadRaw(warehouse, source, ingested, stagingDir);
  await warehouse.setVariable('timestamp_format', settings.sources[source]?.timestampFormat ?? null, 'VARCHAR');
  await warehouse.setVariable('cancelled_order_prefix', settings.sources[source]?.cancelledOrderPrefix ?? null, 'VARCHAR');

  const checked = quoteIdent(`${source}_checked`);
  const kept = quoteIdent(`${source}_kept`);
  await warehouse.run(`CREATE OR REPLACE TEMP TABLE ${checked} AS ${sqlFile(`staging/${source}.sql`)}`);
  await quarantineRepeatedKeys(warehouse, source, lineLevelOrders);
  await warehouse.run(`
    CREATE OR REPLACE TEMP TABLE ${kept} AS
    SELECT * EXCLUDE (_problem, _event_at) FROM ${checked}
    WHERE _problem IS NULL AND (_event_at IS NULL OR _event_at < getvariable('as_of_exclusive'))
    ORDER BY _row_number`);

  const file = quoteLiteral(ingested.file ? ingested.file.split(/[\\/]/).pop()! : source);
  await warehouse.run(`
    INSERT INTO quarantine
    SELECT ${quoteLiteral(source)}, ${file}, _row_number, _row_ref, _record_key, _problem.field, _problem.reason, _problem.detail
    FROM ${checked} WHERE _problem IS NOT NULL`);
  if (ingested.rowsMalformed > 0) {
    await warehouse.run(`
      INSERT INTO quarantine
      SELECT ${quoteLiteral(source)}, ${file}, _row_number, _row_ref, NULL, NULL, 'malformed_row',
             error_message || ': ' || csv_line
      FROM read_parquet(${quoteLiteral(stagingFile(stagingDir, 'raw', `${source}.malformed`))})`);
  }

  const [counts] = await warehouse.rows<{ kept: number; quarantined: number; after: number }>(`
    SELECT CAST(count(*) FILTER (WHERE _problem IS NULL AND (_event_at IS NULL OR _event_at < getvariable('as_of_exclusive'))) AS INTEGER) AS kept,
           CAST(count(*) FILTER (WHERE _problem IS NOT NULL) AS INTEGER) AS quarantined,
           CAST(count(*) FILTER (WHERE _problem IS NULL AND _event_at >= getvariable('as_of_exclusive')) AS INTEGER) AS after
    FROM ${checked}`);
  return {
    source,
    status: ingested.status,
    file: ingested.file,
    sha256: ingested.sha256,
    rowsIn: ingested.rowsIn,
    rowsKept: counts!.kept,
    rowsQuarantined: counts!.quarantined + ingested.rowsMalformed,
    rowsAfterRunDate: counts!.after,
  };
}

/**
 * Stage 2: type and check every source (sql/staging/<source>.sql), send each bad row to quarantine with the
 * reason, drop what is not yet known at the end of the run date, and join orders with their lines.
 * Rows in = kept + quarantined + after the run date, for every source.
 */
export async function clean({ runDate, settings, stagingDir, ingested }: CleanInput): Promise<CleanResult> {
  const bySource = new Map(ingested.map((i) => [i.source, i]));
  const loaded = (source: SourceName) => bySource.get(source)?.status === 'loaded';
  return heartbeatWhile(() =>
    Warehouse.using(settings.businessTimeZone, async (warehouse) => {
      await warehouse.run(sqlFile('macros.sql'));
      await warehouse.setVariable('as_of_exclusive', endOfRunDateExclusive(runDate, settings.businessTimeZone), 'TIMESTAMPTZ');
      await warehouse.setVariable('run_year', Number(runDate.slice(0, 4)), 'INTEGER');
      await warehouse.setVariable('line_level_orders', settings.sources.order_items === undefined, 'BOOLEAN');
      await warehouse.setVariable('has_members', loaded('members'), 'BOOLEAN');
      await warehouse.setVariable('has_products', loaded('products'), 'BOOLEAN');
      await warehouse.run(`CREATE TEMP TABLE quarantine (${QUARANTINE_COLUMNS})`);

      const sources: SourceCounts[] = [];
      for (const source of CLEANING_ORDER) {
        sources.push(await cleanSource(warehouse, source, bySource.get(source)!, settings, stagingDir));
        if (source === 'members') await warehouse.run('CREATE OR REPLACE TEMP VIEW known_members AS SELECT member_id FROM members_kept');
        if (source === 'products') await warehouse.run('CREATE OR REPLACE TEMP VIEW known_products AS SELECT product_id FROM products_kept');
      }

      for (const source of CLEANING_ORDER) {
        await warehouse.writeParquet(`${source}_kept`, stagingFile(stagingDir, 'clean', source));
      }
      await warehouse.writeParquet(sqlFile('staging/order_lines.sql'), stagingFile(stagingDir, 'clean', 'order_lines'));
      await warehouse.writeParquet('quarantine', stagingFile(stagingDir, 'clean', 'quarantine'), 'source, line, row_ref');

      const quarantineReasons = await warehouse.rows<{ source: SourceName; reason: string; rows: number }>(`
        SELECT source, reason, CAST(count(*) AS INTEGER) AS rows FROM quarantine GROUP BY ALL ORDER BY source, reason`);
      const ordered = ingested.map((i) => sources.find((s) => s.source === i.source)!);
      return { sources: ordered, quarantineReasons };
    }),
  );
}

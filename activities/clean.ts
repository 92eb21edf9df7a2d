import { parquetFile, quoteIdent, quoteLiteral, Warehouse } from '../lib/duckdb';
import { sqlFile } from '../lib/sqlFile';
import type { CleanedSource, RunSettings } from '../schemas/run';
import { columnsOf, type SourceName } from '../schemas/sources';
import { heartbeatWhile } from './heartbeat';
import type { IngestedSource } from './ingest';
import { stagingFile } from './staging';

export interface CleanInput {
  /** The latest run date the cleaned base will serve: birth years after its year are invalid. */
  lastRunDate: string;
  settings: RunSettings;
  /** Where ingest wrote the raw files and clean writes the base: a run's own, or a backfill's shared one. */
  baseDir: string;
  ingested: IngestedSource[];
}

export interface CleanResult {
  sources: CleanedSource[];
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

/**
 * A row is known once it and the row it refers to are: an order, review or session of a member from the
 * member's joined_at on, an order line from its order's time on.
 */
const KNOWN_WITH: Partial<Record<SourceName, { parent: SourceName; key: string }>> = {
  orders: { parent: 'members', key: 'member_id' },
  reviews: { parent: 'members', key: 'member_id' },
  ga_sessions: { parent: 'members', key: 'member_id' },
  order_items: { parent: 'orders', key: 'order_id' },
};

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
async function loadRaw(warehouse: Warehouse, source: SourceName, ingested: IngestedSource, baseDir: string): Promise<void> {
  const columns = columnsOf(source).map((c) => quoteIdent(c.name));
  const input =
    ingested.status === 'loaded'
      ? parquetFile(stagingFile(baseDir, 'raw', source))
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

/** The valid rows of a source, each with the instant it becomes known (NULL: always known). */
async function keepValidRows(warehouse: Warehouse, source: SourceName): Promise<void> {
  const checked = quoteIdent(`${source}_checked`);
  const kept = quoteIdent(`${source}_kept`);
  const knownWith = KNOWN_WITH[source];
  const parentJoin = knownWith
    ? `LEFT JOIN ${quoteIdent(`${knownWith.parent}_kept`)} AS parent ON parent.${quoteIdent(knownWith.key)} = checked.${quoteIdent(knownWith.key)}`
    : '';
  const knownAt = knownWith ? 'greatest(checked._event_at, parent._known_at)' : 'checked._event_at';
  await warehouse.run(`
    CREATE OR REPLACE TEMP TABLE ${kept} AS
    SELECT checked.* EXCLUDE (_problem, _event_at), ${knownAt} AS _known_at
    FROM ${checked} AS checked ${parentJoin}
    WHERE checked._problem IS NULL
    ORDER BY checked._row_number`);
}

async function cleanSource(
  warehouse: Warehouse,
  source: SourceName,
  ingested: IngestedSource,
  settings: RunSettings,
  baseDir: string,
): Promise<CleanedSource> {
  const lineLevelOrders = settings.sources.order_items === undefined;
  await loadRaw(warehouse, source, ingested, baseDir);
  await warehouse.setVariable('timestamp_format', settings.sources[source]?.timestampFormat ?? null, 'VARCHAR');
  await warehouse.setVariable('cancelled_order_prefix', settings.sources[source]?.cancelledOrderPrefix ?? null, 'VARCHAR');

  const checked = quoteIdent(`${source}_checked`);
  await warehouse.run(`CREATE OR REPLACE TEMP TABLE ${checked} AS ${sqlFile(`staging/${source}.sql`)}`);
  await quarantineRepeatedKeys(warehouse, source, lineLevelOrders);
  await keepValidRows(warehouse, source);

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
      FROM ${parquetFile(stagingFile(baseDir, 'raw', `${source}.malformed`))}`);
  }

  const quarantined = Number(await warehouse.scalar(`SELECT count(*) FROM ${checked} WHERE _problem IS NOT NULL`));
  return {
    source,
    status: ingested.status,
    file: ingested.file,
    sha256: ingested.sha256,
    rowsIn: ingested.rowsIn,
    rowsValid: ingested.rowsIn - ingested.rowsMalformed - quarantined,
    rowsQuarantined: quarantined + ingested.rowsMalformed,
  };
}

/**
 * Stage 2: type and check every source (sql/staging/<source>.sql), send each bad row to quarantine with the
 * reason, and join orders with their lines. The result is the cleaned base: every valid row with the instant
 * it becomes known, whatever the run date, so that one base serves every date of a backfill (see pointInTime).
 * Rows in = valid + quarantined, for every source.
 */
export async function clean({ lastRunDate, settings, baseDir, ingested }: CleanInput): Promise<CleanResult> {
  const bySource = new Map(ingested.map((i) => [i.source, i]));
  const loaded = (source: SourceName) => bySource.get(source)?.status === 'loaded';
  return heartbeatWhile(() =>
    Warehouse.using(settings.businessTimeZone, async (warehouse) => {
      await warehouse.run(sqlFile('macros.sql'));
      await warehouse.setVariable('run_year', Number(lastRunDate.slice(0, 4)), 'INTEGER');
      await warehouse.setVariable('line_level_orders', settings.sources.order_items === undefined, 'BOOLEAN');
      await warehouse.setVariable('has_members', loaded('members'), 'BOOLEAN');
      await warehouse.setVariable('has_products', loaded('products'), 'BOOLEAN');
      await warehouse.run(`CREATE TEMP TABLE quarantine (${QUARANTINE_COLUMNS})`);

      const sources: CleanedSource[] = [];
      for (const source of CLEANING_ORDER) {
        sources.push(await cleanSource(warehouse, source, bySource.get(source)!, settings, baseDir));
        if (source === 'members') await warehouse.run('CREATE OR REPLACE TEMP VIEW known_members AS SELECT member_id FROM members_kept');
        if (source === 'products') await warehouse.run('CREATE OR REPLACE TEMP VIEW known_products AS SELECT product_id FROM products_kept');
      }

      for (const source of CLEANING_ORDER) {
        await warehouse.writeParquet(`${source}_kept`, stagingFile(baseDir, 'base', source));
      }
      await warehouse.writeParquet(sqlFile('staging/order_lines.sql'), stagingFile(baseDir, 'base', 'order_lines'));
      await warehouse.writeParquet('quarantine', stagingFile(baseDir, 'base', 'quarantine'), 'source, line, row_ref');

      const quarantineReasons = await warehouse.rows<{ source: SourceName; reason: string; rows: number }>(`
        SELECT source, reason, CAST(count(*) AS INTEGER) AS rows FROM quarantine GROUP BY ALL ORDER BY source, reason`);
      const ordered = ingested.map((i) => sources.find((s) => s.source === i.source)!);
      return { sources: ordered, quarantineReasons };
    }),
  );
}

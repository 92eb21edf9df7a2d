import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { parquetFile, quoteIdent, quoteLiteral, Warehouse } from '../lib/duckdb';
import { JSONL_DOCUMENT_SQL, jsonlFieldSql, readerSql } from '../lib/sourceReader';
import { sqlFile } from '../lib/sqlFile';
import type { CleanedSource, RunSettings } from '../schemas/run';
import { columnsOf, type SourceName } from '../schemas/sources';
import { heartbeatWhile } from './heartbeat';
import type { IngestedSource } from './ingest';
import { assertOutputWritable } from './outputFolder';
import { stageWarehouse } from './stageWarehouse';
import { writeSnapshotTable } from './snapshotTable';
import { stagingFile } from './staging';

export interface CleanInput {
  settings: RunSettings;
  /** Where clean writes the base: a run's own folder, or a backfill's shared one. */
  baseDir: string;
  ingested: IngestedSource[];
}

export interface CleanResult {
  sources: CleanedSource[];
  quarantineReasons: { source: SourceName; reason: string; severity: 'error' | 'warning'; rows: number }[];
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
  'marketing_spend',
  'service_contacts',
];

/**
 * A row is known once it and the row it refers to are: an order, review, session or service contact of a
 * member from the member's joined_at on. An order line is known with its order: order_lines takes the order's.
 */
const KNOWN_WITH: Partial<Record<SourceName, { parent: SourceName; key: string }>> = {
  orders: { parent: 'members', key: 'member_id' },
  reviews: { parent: 'members', key: 'member_id' },
  ga_sessions: { parent: 'members', key: 'member_id' },
  service_contacts: { parent: 'members', key: 'member_id' },
};

/** Sources whose rows are identified by a key: a second row with the same key is quarantined. */
const KEY_COLUMN: Partial<Record<SourceName, string>> = {
  products: 'product_id',
  platforms: 'platform_id',
  promotions: 'promotion_id',
  members: 'member_id',
  orders: 'order_id',
  marketing_spend: 'date',
  service_contacts: 'contact_id',
};

/** How a duplicate's detail names a key of more than its column (the staging model builds the record key). */
const KEY_NAME: Partial<Record<SourceName, string>> = { marketing_spend: 'date and channel' };

/** Orders and their lines reach the base joined, as order_lines; every other source as its own table. */
const JOINED_INTO_ORDER_LINES: SourceName[] = ['orders', 'order_items'];

/**
 * The table row_problems, which sql/marts/quarantine.sql publishes: a row's problem, an error that removed the
 * row or a warning that set an optional field to NULL and kept it.
 */
const ROW_PROBLEM_COLUMNS = `
  source VARCHAR, file VARCHAR, line BIGINT, row_ref VARCHAR, record_key VARCHAR,
  field VARCHAR, reason VARCHAR, severity VARCHAR, detail VARCHAR`;

/** The table or view `<source>_<what>`: every source keeps its own, since later sources read earlier ones. */
function ofSource(source: SourceName, what: string): string {
  return quoteIdent(`${source}_${what}`);
}

/**
 * One of the file's columns as text. Parquet instants are written out in UTC from their epoch, which is
 * several times faster than DuckDB's time-zone-aware formatting and parses back to the same instant.
 */
function asText(column: string, type: string): string {
  return type === 'TIMESTAMP WITH TIME ZONE'
    ? `CAST(make_timestamp(epoch_us(${quoteIdent(column)})) AS VARCHAR) || '+00'`
    : `CAST(${quoteIdent(column)} AS VARCHAR)`;
}

/**
 * The view `raw`: the source file's rows with our column names, as text, each with its position in the file
 * and two independent hashes of its text (per column, and of the whole row) that find verbatim repeats. A CSV
 * or JSONL file is read once into the table `<source>_text`, whose rowid is the row's position (the file is
 * read in parallel, in order; a window over the read would serialize it).
 */
async function loadText(warehouse: Warehouse, source: SourceName, ingested: IngestedSource, settings: RunSettings): Promise<void> {
  const canonical = columnsOf(source).map((c) => c.name);
  const resolved = settings.sources[source];
  const text = ofSource(source, 'text');
  const malformed = ofSource(source, 'malformed');
  await warehouse.run(`CREATE OR REPLACE TEMP TABLE ${malformed} (_row_number BIGINT, head VARCHAR)`);
  let rows: string;
  if (ingested.status !== 'loaded' || !resolved) {
    await warehouse.run(`CREATE OR REPLACE TEMP TABLE ${text} (${canonical.map((c) => `${quoteIdent(c)} VARCHAR`).join(', ')})`);
    rows = `SELECT *, rowid + 1 AS _row_number FROM ${text}`;
  } else if (resolved.format === 'jsonl') {
    // Every line is kept, so that rowid is the line; blank lines are no rows, and a line that is not a JSON
    // object becomes a row of NULLs that <source>_malformed names.
    const columns = canonical.map((c) => {
      const key = ingested.columns?.[c];
      return `${key ? jsonlFieldSql('document', key) : 'CAST(NULL AS VARCHAR)'} AS ${quoteIdent(c)}`;
    });
    await warehouse.run(`
      CREATE OR REPLACE TEMP TABLE ${text} AS
      SELECT ${columns.join(', ')}, trim(coalesce(line, '')) = '' AS _blank,
             CASE WHEN document IS NULL AND NOT _blank THEN left(line, 200) END AS _malformed
      FROM (SELECT line, ${JSONL_DOCUMENT_SQL} AS document FROM ${readerSql({ ...resolved, file: ingested.readFrom! })})`);
    await warehouse.run(`CREATE OR REPLACE TEMP TABLE ${malformed} AS SELECT rowid + 1 AS _row_number, _malformed AS head FROM ${text} WHERE _malformed IS NOT NULL`);
    rows = `SELECT * EXCLUDE (_blank, _malformed), rowid + 1 AS _row_number FROM ${text} WHERE NOT _blank`;
  } else {
    const reader = readerSql({ ...resolved, file: ingested.readFrom! });
    const types = new Map(
      (await warehouse.rows<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${reader}`)).map((c) => [c.column_name, c.column_type]),
    );
    const columns = canonical.map((c) => {
      const fileColumn = ingested.columns?.[c];
      return `${fileColumn ? asText(fileColumn, types.get(fileColumn)!) : 'CAST(NULL AS VARCHAR)'} AS ${quoteIdent(c)}`;
    });
    if (resolved.format === 'parquet') {
      // Parquet numbers its rows itself, so its file is read where it is used.
      rows = `SELECT ${columns.join(', ')}, file_row_number + 1 AS _row_number FROM read_parquet(${quoteLiteral(resolved.file)}, file_row_number = true, hive_partitioning = false)`;
    } else {
      await warehouse.run(`CREATE OR REPLACE TEMP TABLE ${text} AS SELECT ${columns.join(', ')} FROM ${reader}`);
      rows = `SELECT *, rowid + 2 AS _row_number FROM ${text}`; // the first row is on line 2, below the header
    }
  }
  const columns = canonical.map(quoteIdent).join(', ');
  await warehouse.run(`
    CREATE OR REPLACE TEMP VIEW raw AS
    SELECT *, hash(${columns}) AS _content_hash, hash(concat_ws(chr(31), ${columns})) AS _content_check
    FROM (${rows})`);
}

/**
 * `<source>_long_fields`: the rows of a CSV or JSONL file with a field over validation.maxFieldBytes (the first
 * such field of each row): one absurd value is quarantined, not allowed to fail the run or bloat a table.
 */
async function findLongFields(warehouse: Warehouse, source: SourceName, settings: RunSettings): Promise<void> {
  const longFields = ofSource(source, 'long_fields');
  const format = settings.sources[source]?.format;
  if (format !== 'csv' && format !== 'jsonl') {
    await warehouse.run(`CREATE OR REPLACE TEMP TABLE ${longFields} (_row_number BIGINT, field VARCHAR, bytes BIGINT, head VARCHAR)`);
    return;
  }
  const limit = settings.validation.maxFieldBytes;
  const firstLong = columnsOf(source)
    .map(({ name }) => `WHEN strlen(${quoteIdent(name)}) > ${limit} THEN {'field': ${quoteLiteral(name)}, 'bytes': strlen(${quoteIdent(name)}), 'value': ${quoteIdent(name)}}`)
    .join(' ');
  await warehouse.run(`
    CREATE OR REPLACE TEMP TABLE ${longFields} AS
    SELECT _row_number, long.field, long.bytes, left(long.value, 200) AS head
    FROM (SELECT _row_number, CASE ${firstLong} END AS long FROM raw)
    WHERE long IS NOT NULL`);
}

/**
 * `<source>_rejected`: CSV lines the reader could not split into the file's columns, from DuckDB's reject
 * tables. Rejected line r_j (sorted, j from 1) has r_j - 1 - j parsed rows before it (`parsed_before`).
 */
async function collectRejectedLines(warehouse: Warehouse, source: SourceName, ingested: IngestedSource, settings: RunSettings): Promise<number> {
  const csv = ingested.status === 'loaded' && settings.sources[source]?.format === 'csv';
  const rejected = ofSource(source, 'rejected');
  await warehouse.run(
    csv
      ? `CREATE OR REPLACE TEMP TABLE ${rejected} AS
         SELECT line, line - 1 - row_number() OVER (ORDER BY line) AS parsed_before, error_message, csv_line
         FROM (SELECT line, first(error_message ORDER BY column_idx) AS error_message, first(csv_line) AS csv_line
               FROM reject_errors GROUP BY line)`
      : `CREATE OR REPLACE TEMP TABLE ${rejected} (line BIGINT, parsed_before BIGINT, error_message VARCHAR, csv_line VARCHAR)`,
  );
  if (csv) await warehouse.run('DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans');
  const [badText] = await warehouse.rows<{ line: number; error_message: string }>(
    `SELECT line, error_message FROM ${rejected} WHERE error_message ILIKE '%unicode%' ORDER BY line LIMIT 1`,
  );
  if (badText) {
    throw ApplicationFailure.nonRetryable(
      `${ingested.file}: line ${badText.line} is not UTF-8, so the file is in another encoding. Declare it in the ` +
        `configuration's sources.${source}.encoding: "windows-1252" (also for Latin-1) or "utf-16".`,
      'WrongEncoding',
    );
  }
  return Number(await warehouse.scalar(`SELECT count(*) FROM ${rejected}`));
}

/**
 * The view `<source>_lines`: the typed rows with their line in the file (and, as _parsed_row, their position
 * among the rows the reader parsed). A parsed CSV row comes after every rejected line whose parsed_before is
 * smaller than its ordinal.
 */
async function viewLines(warehouse: Warehouse, source: SourceName, rejected: number): Promise<void> {
  const typed = ofSource(source, 'typed');
  await warehouse.run(
    rejected === 0
      ? `CREATE OR REPLACE TEMP VIEW ${ofSource(source, 'lines')} AS SELECT *, _row_number AS _parsed_row FROM ${typed}`
      : `CREATE OR REPLACE TEMP VIEW ${ofSource(source, 'lines')} AS
         SELECT typed.* REPLACE (typed._row_number + coalesce(shift.rejected_before, 0) AS _row_number),
                typed._row_number AS _parsed_row
         FROM ${typed} AS typed
         ASOF LEFT JOIN (SELECT parsed_before, count(*) OVER (ORDER BY parsed_before) AS rejected_before
                         FROM ${ofSource(source, 'rejected')}
                         QUALIFY row_number() OVER (PARTITION BY parsed_before ORDER BY line DESC) = 1) AS shift
           ON typed._row_number - 1 > shift.parsed_before`,
  );
}

/**
 * The view `<source>_checked`: every row with its first problem: a verbatim repeat of an earlier row; else
 * the staging model's; else, for a keyed source, a row with the key of an earlier row of the file (the
 * first row wins the key, whether or not it is valid: which row is kept never depends on other checks).
 * Repeats are found among the rows whose hashes repeat, so the common case costs one aggregate over a column
 * of hashes rather than a sort of the whole source.
 */
async function viewChecked(warehouse: Warehouse, source: SourceName, lineLevelOrders: boolean): Promise<void> {
  const [lines, repeats, repeatedKeys, longFields, malformed] = ['lines', 'repeats', 'repeated_keys', 'long_fields', 'malformed'].map((what) =>
    ofSource(source, what),
  );
  await warehouse.run(`
    CREATE OR REPLACE TEMP TABLE ${repeats} AS
    SELECT _row_number, first_value(_row_number) OVER same_text AS _duplicate_of
    FROM ${lines}
    WHERE _content_hash IN (SELECT _content_hash FROM ${lines} GROUP BY ALL HAVING count(*) > 1)
    WINDOW same_text AS (PARTITION BY _content_hash, _content_check ORDER BY _row_number)
    QUALIFY row_number() OVER same_text > 1`);
  const key = KEY_COLUMN[source];
  const keyed = key !== undefined && !(source === 'orders' && lineLevelOrders);
  await warehouse.run(`
    CREATE OR REPLACE TEMP TABLE ${repeatedKeys} AS
    SELECT _record_key, min(_row_number) AS kept_row FROM ${lines} ANTI JOIN ${repeats} USING (_row_number)
    WHERE _record_key IS NOT NULL AND ${keyed} GROUP BY _record_key HAVING count(*) > 1`);
  const keyProblem = keyed
    ? `CASE WHEN lines._row_number <> repeated_keys.kept_row THEN problem('duplicate_key', ${quoteLiteral(key!)},
         ${quoteLiteral(`${KEY_NAME[source] ?? key} '`)} || lines._record_key || ''' appears again; the row kept is ' || row_ref(repeated_keys.kept_row)) END`
    : 'NULL';
  await warehouse.run(`
    CREATE OR REPLACE TEMP VIEW ${ofSource(source, 'checked')} AS
    SELECT lines.* EXCLUDE (_content_hash, _content_check, _parsed_row) REPLACE (
      coalesce(
        CASE WHEN malformed.head IS NOT NULL THEN problem('malformed_json', NULL,
          'the line is not a JSON object (cut off, or mistyped); it begins: ' || malformed.head) END,
        CASE WHEN long_fields.field IS NOT NULL THEN problem('field_too_long', long_fields.field,
          long_fields.field || ' is ' || long_fields.bytes || ' bytes, over validation.maxFieldBytes; it begins: ' || long_fields.head) END,
        CASE WHEN repeats._duplicate_of IS NOT NULL THEN problem('duplicate_row', NULL, 'exact duplicate of ' || row_ref(repeats._duplicate_of)) END,
        lines._problem,
        ${keyProblem}) AS _problem)
    FROM ${lines} AS lines
    LEFT JOIN ${repeats} AS repeats USING (_row_number)
    LEFT JOIN ${longFields} AS long_fields ON long_fields._row_number = lines._parsed_row
    LEFT JOIN ${malformed} AS malformed ON malformed._row_number = lines._parsed_row
    LEFT JOIN ${repeatedKeys} AS repeated_keys ON repeated_keys._record_key = lines._record_key`);
}

/** The valid rows of a source with the instant each becomes known (NULL: always known): a table of the base. */
function validRowsSql(source: SourceName): string {
  const checked = ofSource(source, 'checked');
  const knownWith = KNOWN_WITH[source];
  const parentJoin = knownWith
    ? `LEFT JOIN ${ofSource(knownWith.parent, 'known')} AS parent ON parent.${quoteIdent(knownWith.key)} = checked.${quoteIdent(knownWith.key)}`
    : '';
  const knownAt = knownWith ? 'greatest(checked._event_at, parent._known_at)' : 'checked._event_at';
  return `
    SELECT checked.* EXCLUDE (_problem, _warnings, _event_at, _record_key), ${knownAt} AS _known_at
    FROM ${checked} AS checked ${parentJoin}
    WHERE checked._problem IS NULL`;
}

async function cleanSource(
  warehouse: Warehouse,
  source: SourceName,
  ingested: IngestedSource,
  settings: RunSettings,
  baseDir: string,
): Promise<CleanedSource> {
  const lineLevelOrders = settings.sources.order_items === undefined;
  const fileName = ingested.file ? path.basename(ingested.file) : source;
  const rowRefPrefix = `${fileName}${settings.sources[source]?.format === 'parquet' ? ' row ' : ':'}`;
  await warehouse.setVariable('row_ref_prefix', rowRefPrefix, 'VARCHAR');
  await warehouse.setVariable('timestamp_format', settings.sources[source]?.timestampFormat ?? null, 'VARCHAR');
  await warehouse.setVariable('cancelled_order_prefix', settings.sources[source]?.cancelledOrderPrefix ?? null, 'VARCHAR');
  // Ingest made sure that a source of order lines has exactly one of unit_price and line_amount.
  await warehouse.setVariable('line_amounts', ingested.columns?.line_amount != null, 'BOOLEAN');
  if (source === 'orders') await warehouse.setVariable('orders_row_ref_prefix', rowRefPrefix, 'VARCHAR');

  // The one read of the file, then typed and checked by the staging model and held until its rows are written.
  await loadText(warehouse, source, ingested, settings);
  await findLongFields(warehouse, source, settings);
  const typed = ofSource(source, 'typed');
  await warehouse.run(`CREATE OR REPLACE TEMP TABLE ${typed} AS ${sqlFile(`staging/${source}.sql`)}`);
  await warehouse.run(`DROP TABLE IF EXISTS ${ofSource(source, 'text')}`);
  const rejected = await collectRejectedLines(warehouse, source, ingested, settings);
  await viewLines(warehouse, source, rejected);
  await viewChecked(warehouse, source, lineLevelOrders);

  if (Object.values(KNOWN_WITH).some(({ parent }) => parent === source)) {
    const key = quoteIdent(KEY_COLUMN[source]!);
    await warehouse.run(`CREATE OR REPLACE TEMP TABLE ${ofSource(source, 'known')} AS SELECT ${key}, _known_at FROM (${validRowsSql(source)})`);
  }
  if (source === 'products') await warehouse.run(`CREATE OR REPLACE TEMP TABLE known_products AS SELECT product_id FROM (${validRowsSql(source)})`);
  if (source === 'members') {
    await warehouse.run('CREATE OR REPLACE TEMP VIEW known_members AS SELECT member_id FROM members_known');
    // Members with rows but none kept, each with its first row, so that their orders say why they went too.
    await warehouse.run(`
      CREATE OR REPLACE TEMP TABLE quarantined_members AS
      SELECT member_id, row_ref(min(_row_number)) AS row_ref FROM members_checked
      WHERE member_id IS NOT NULL GROUP BY member_id HAVING bool_and(_problem IS NOT NULL)`);
    await warehouse.run(sqlFile('member_problem.sql'));
  }
  if (!JOINED_INTO_ORDER_LINES.includes(source)) {
    await writeBaseTable(warehouse, source, `SELECT * EXCLUDE (_row_number) FROM (${validRowsSql(source)})`, baseDir);
  } else if (source === 'orders') {
    await countKnownRows(warehouse, 'orders', `(${validRowsSql('orders')})`);
  }

  const file = quoteLiteral(fileName);
  await warehouse.run(`
    INSERT INTO row_problems
    SELECT ${quoteLiteral(source)}, ${file}, _row_number, row_ref(_row_number), _record_key, _problem.field, _problem.reason, 'error', _problem.detail
    FROM ${ofSource(source, 'checked')} WHERE _problem IS NOT NULL`);
  await warehouse.run(`
    INSERT INTO row_problems
    SELECT ${quoteLiteral(source)}, ${file}, line, row_ref(line), NULL, NULL, 'malformed_row', 'error', error_message || ': ' || left(csv_line, 200)
    FROM ${ofSource(source, 'rejected')}`);
  await warehouse.run(`
    INSERT INTO row_problems
    SELECT ${quoteLiteral(source)}, ${file}, _row_number, row_ref(_row_number), _record_key, warning.field, warning.reason, 'warning', warning.detail
    FROM (SELECT *, unnest(_warnings) AS warning FROM ${ofSource(source, 'checked')} WHERE _problem IS NULL AND len(_warnings) > 0)`);

  const rowsIn = Number(await warehouse.scalar(`SELECT count(*) FROM ${typed}`)) + rejected;
  const rowsQuarantined = Number(
    await warehouse.scalar(`SELECT count(*) FROM row_problems WHERE source = ${quoteLiteral(source)} AND severity = 'error'`),
  );
  // A header without rows is as good as no file: an empty members file must not make every order unknown_member.
  const status = ingested.status === 'loaded' && rowsIn === 0 ? 'empty' : ingested.status;
  return { source, status, file: ingested.file, sha256: ingested.sha256, rowsIn, rowsValid: rowsIn - rowsQuarantined, rowsQuarantined };
}

/**
 * How many valid rows of a source (read from `relation`, which has their _known_at) become known on each
 * business day (NULL: always known), so that the point-in-time stage counts a run date's rows without
 * reading the base.
 */
async function countKnownRows(warehouse: Warehouse, source: SourceName, relation: string): Promise<void> {
  await warehouse.run(`
    INSERT INTO known_rows
    SELECT ${quoteLiteral(source)}, CAST(_known_at AS DATE), count(*) FROM ${relation} GROUP BY ALL`);
}

/** Writes a table of the base and counts its rows by the day they become known. */
async function writeBaseTable(warehouse: Warehouse, source: SourceName | 'order_lines', query: string, baseDir: string): Promise<void> {
  const file = stagingFile(baseDir, 'base', source);
  await warehouse.writeParquet(query, file);
  if (source !== 'order_lines') await countKnownRows(warehouse, source, parquetFile(file));
}

/**
 * Stage 2: read every source file once, type and check it (sql/staging/<source>.sql), send each bad row to
 * quarantine with the reason, and join orders with their lines. The result is the cleaned base: every valid
 * row with the instant it becomes known, whatever the run date, so that one base serves every date of a
 * backfill (see pointInTime). Rows in = valid + quarantined, for every source.
 */
export async function clean({ settings, baseDir, ingested }: CleanInput): Promise<CleanResult> {
  const bySource = new Map(ingested.map((i) => [i.source, i]));
  const loaded = (source: SourceName) => bySource.get(source)?.status === 'loaded';
  const lineLevelOrders = settings.sources.order_items === undefined;
  // The base is the run's first write under its output folder.
  await assertOutputWritable(baseDir);
  return heartbeatWhile(() =>
    Warehouse.using(stageWarehouse(settings, baseDir), async (warehouse) => {
      await warehouse.run(sqlFile('macros.sql'));
      await warehouse.setVariable('earliest_date', settings.validation.earliestEventDate, 'VARCHAR');
      await warehouse.setVariable('earliest_instant', settings.validation.earliestEventDate, 'TIMESTAMPTZ');
      await warehouse.setVariable('line_level_orders', lineLevelOrders, 'BOOLEAN');
      await warehouse.setVariable('revenue_definition', settings.revenue.definition, 'VARCHAR');
      await warehouse.setVariable('has_members', loaded('members'), 'BOOLEAN');
      await warehouse.setVariable('has_products', loaded('products'), 'BOOLEAN');
      await warehouse.run(`CREATE TEMP TABLE row_problems (${ROW_PROBLEM_COLUMNS})`);
      await warehouse.run('CREATE TEMP TABLE known_rows (source VARCHAR, known_on DATE, rows BIGINT)');

      const sources: CleanedSource[] = [];
      for (const source of CLEANING_ORDER) {
        const cleaned = await cleanSource(warehouse, source, bySource.get(source)!, settings, baseDir);
        sources.push(cleaned);
        if ((source === 'members' || source === 'products') && cleaned.status !== 'loaded') {
          await warehouse.setVariable(`has_${source}`, false, 'BOOLEAN');
        }
        if (source === 'order_items') {
          await warehouse.run(`CREATE OR REPLACE TEMP VIEW orders_kept AS ${validRowsSql('orders')}`);
          await warehouse.run(`CREATE OR REPLACE TEMP VIEW order_items_kept AS ${validRowsSql('order_items')}`);
          await writeBaseTable(warehouse, 'order_lines', sqlFile('staging/order_lines.sql'), baseDir);
          // With separate order lines, each kept item is one order line.
          if (!lineLevelOrders) await countKnownRows(warehouse, 'order_items', parquetFile(stagingFile(baseDir, 'base', 'order_lines')));
          await warehouse.run('DROP TABLE orders_typed; DROP TABLE order_items_typed');
        } else if (source !== 'orders') {
          await warehouse.run(`DROP TABLE ${ofSource(source, 'typed')}`);
        }
      }

      await warehouse.writeParquet('known_rows', stagingFile(baseDir, 'base', 'known_rows'), 'source, known_on');
      await writeSnapshotTable(warehouse, 'quarantine', { stagingDir: baseDir, runDate: null });
      const quarantineReasons = await warehouse.rows<CleanResult['quarantineReasons'][number]>(`
        SELECT source, reason, severity, CAST(count(*) AS INTEGER) AS rows FROM row_problems GROUP BY ALL ORDER BY source, severity, reason`);
      const ordered = ingested.map((i) => sources.find((s) => s.source === i.source)!);
      return { sources: ordered, quarantineReasons };
    }),
  );
}

import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { quoteIdent, quoteLiteral, Warehouse } from '../lib/duckdb';
import type { ResolvedSource, RunSettings } from '../schemas/run';
import { columnsOf, LINE_LEVEL_ORDER_COLUMNS, SOURCE_NAMES, type SourceName } from '../schemas/sources';
import { heartbeatWhile } from './heartbeat';
import { stagingFile } from './staging';

export interface IngestInput {
  settings: RunSettings;
  /** Where the raw files go: a run's own folder, or a backfill's shared one. */
  baseDir: string;
}

export interface IngestedSource {
  source: SourceName;
  status: 'loaded' | 'missing';
  file: string | null;
  sha256: string | null;
  rowsIn: number;
  /** Rows the reader could not split into the file's columns; they go to quarantine as malformed_row. */
  rowsMalformed: number;
}

export interface IngestResult {
  sources: IngestedSource[];
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The DuckDB table function that reads a source file, every column as text where the format allows. */
export function readerSql(source: ResolvedSource): string {
  const file = quoteLiteral(source.file);
  switch (source.format) {
    case 'csv': {
      const delimiter = source.delimiter ? `, delim = ${quoteLiteral(source.delimiter)}` : '';
      return `read_csv(${file}, header = true, all_varchar = true, store_rejects = true, ignore_errors = true, hive_partitioning = false${delimiter})`;
    }
    case 'parquet':
      return `read_parquet(${file}, file_row_number = true, hive_partitioning = false)`;
    case 'jsonl':
      return `read_json(${file}, format = 'newline_delimited', hive_partitioning = false)`;
  }
}

/**
 * The physical line of each parsed row. A CSV row's line is its ordinal plus the header, plus every rejected
 * line before it: rejected line r_j (sorted, j from 1) has r_j - 1 - j parsed rows before it.
 */
function rowNumberSql(source: ResolvedSource): string {
  switch (source.format) {
    case 'csv':
      return '_ordinal + 1 + (SELECT count(*) FROM rejected_lines WHERE rejected_lines.parsed_before < _ordinal)';
    case 'parquet':
      return 'file_row_number + 1';
    case 'jsonl':
      return '_ordinal';
  }
}

function rowRefSql(source: ResolvedSource): string {
  const name = quoteLiteral(path.basename(source.file));
  const unit = source.format === 'parquet' ? ' row ' : ':';
  return `${name} || ${quoteLiteral(unit)} || _row_number`;
}

/** Our column -> the file's column, matched case-insensitively like DuckDB itself; fails naming what is missing. */
function mapColumns(
  sourceName: SourceName,
  source: ResolvedSource,
  fileColumns: string[],
  lineLevelOrders: boolean,
): Map<string, string | null> {
  const byLowerName = new Map(fileColumns.map((c) => [c.toLowerCase(), c]));
  const mapping = new Map<string, string | null>();
  const missing: string[] = [];
  for (const column of columnsOf(sourceName)) {
    const wanted = source.columns[column.name] ?? column.name;
    const found = byLowerName.get(wanted.toLowerCase()) ?? null;
    const required =
      column.required || (lineLevelOrders && (LINE_LEVEL_ORDER_COLUMNS as readonly string[]).includes(column.name));
    if (!found && required) missing.push(wanted === column.name ? `'${wanted}'` : `'${wanted}' (mapped to ${column.name})`);
    mapping.set(column.name, found);
  }
  if (missing.length > 0) {
    throw ApplicationFailure.nonRetryable(
      `${source.file}: missing required column(s) ${missing.join(', ')}. ` +
        `The file has: ${fileColumns.join(', ')}. Rename the columns or map them in the configuration's ` +
        `sources.${sourceName}.columns.`,
      'MissingColumn',
    );
  }
  return mapping;
}

async function ingestSource(
  warehouse: Warehouse,
  sourceName: SourceName,
  source: ResolvedSource,
  baseDir: string,
  lineLevelOrders: boolean,
): Promise<IngestedSource> {
  const reader = readerSql(source);
  let fileColumns: string[];
  try {
    await warehouse.run(`CREATE OR REPLACE TEMP TABLE file_rows AS SELECT * FROM ${reader}`);
    fileColumns = (await warehouse.rows<{ column_name: string }>('DESCRIBE file_rows'))
      .map((r) => r.column_name)
      .filter((name) => name !== 'file_row_number');
  } catch (error) {
    throw ApplicationFailure.nonRetryable(
      `${source.file} cannot be read as ${source.format}: ${(error as Error).message}`,
      'UnreadableFile',
    );
  }
  const mapping = mapColumns(sourceName, source, fileColumns, lineLevelOrders);

  const rejectedCount = source.format === 'csv' ? Number(await warehouse.scalar('SELECT count(DISTINCT line) FROM reject_errors')) : 0;
  await warehouse.run(
    source.format === 'csv'
      ? `CREATE OR REPLACE TEMP TABLE rejected_lines AS
           SELECT line, line - 1 - row_number() OVER (ORDER BY line) AS parsed_before, error_message, csv_line
           FROM (SELECT line, first(error_message ORDER BY column_idx) AS error_message, first(csv_line) AS csv_line
                 FROM reject_errors GROUP BY line)`
      : 'CREATE OR REPLACE TEMP TABLE rejected_lines (line BIGINT, parsed_before BIGINT, error_message VARCHAR, csv_line VARCHAR)',
  );

  const selectColumns = [...mapping].map(([canonical, fileColumn]) =>
    fileColumn === null
      ? `CAST(NULL AS VARCHAR) AS ${quoteIdent(canonical)}`
      : `CAST(${quoteIdent(fileColumn)} AS VARCHAR) AS ${quoteIdent(canonical)}`,
  );
  await warehouse.run(`
    CREATE OR REPLACE TEMP TABLE numbered AS
    SELECT ${selectColumns.join(', ')}, CAST(${rowNumberSql(source)} AS BIGINT) AS _row_number
    FROM (SELECT *, row_number() OVER () AS _ordinal FROM file_rows)`);
  await warehouse.writeParquet(`SELECT *, ${rowRefSql(source)} AS _row_ref FROM numbered`, stagingFile(baseDir, 'raw', sourceName));
  await warehouse.writeParquet(
    `SELECT line AS _row_number, ${quoteLiteral(path.basename(source.file))} || ':' || line AS _row_ref,
            error_message, csv_line FROM rejected_lines`,
    stagingFile(baseDir, 'raw', `${sourceName}.malformed`),
  );
  const parsedCount = Number(await warehouse.scalar('SELECT count(*) FROM numbered'));
  if (source.format === 'csv') await warehouse.run('DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans');

  return {
    source: sourceName,
    status: 'loaded',
    file: source.file,
    sha256: await sha256Of(source.file),
    rowsIn: parsedCount + rejectedCount,
    rowsMalformed: rejectedCount,
  };
}

/**
 * Stage 1: read every configured source file as text into staging Parquet, with our column names, a row
 * reference (file and line) for every row, and the file's hash. Typing and checks happen in clean.
 */
export async function ingest({ settings, baseDir }: IngestInput): Promise<IngestResult> {
  const lineLevelOrders = settings.sources.order_items === undefined;
  return heartbeatWhile(() =>
    Warehouse.using(settings.businessTimeZone, async (warehouse) => {
      const sources: IngestedSource[] = [];
      for (const name of SOURCE_NAMES) {
        const source = settings.sources[name];
        if (!source || !existsSync(source.file)) {
          if (name === 'orders') {
            throw ApplicationFailure.nonRetryable(
              `the orders file ${source?.file ?? '(not configured)'} does not exist; orders are required`,
              'MissingOrders',
            );
          }
          sources.push({ source: name, status: 'missing', file: source?.file ?? null, sha256: null, rowsIn: 0, rowsMalformed: 0 });
          continue;
        }
        sources.push(await ingestSource(warehouse, name, source, baseDir, lineLevelOrders));
      }
      return { sources };
    }),
  );
}

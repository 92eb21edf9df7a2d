import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { Warehouse } from '../lib/duckdb';
import { jsonlKeysSql, readerSql } from '../lib/sourceReader';
import { byteOrderMark, convertToUtf8 } from '../lib/textEncoding';
import type { ResolvedSource, RunSettings } from '../schemas/run';
import { columnsOf, LINE_LEVEL_ORDER_COLUMNS, LINE_PRICE_COLUMNS, SOURCE_NAMES, type SourceName } from '../schemas/sources';
import { heartbeatWhile } from './heartbeat';

export interface IngestInput {
  settings: RunSettings;
  /** The base folder of the run (or backfill): files in another encoding are converted to UTF-8 there. */
  baseDir: string;
}

export interface IngestedSource {
  source: SourceName;
  /** 'empty': the file exists without a row, so its features are NULL as for a missing source. */
  status: 'loaded' | 'missing' | 'empty';
  file: string | null;
  sha256: string | null;
  /** Our column -> the file's column (null: the file has none); null when the source is missing. */
  columns: Record<string, string | null> | null;
  /** What clean reads: the file itself, or its UTF-8 copy when it declared another encoding. */
  readFrom: string | null;
}

export interface IngestResult {
  sources: IngestedSource[];
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Our column -> the file's column, matched case-insensitively like DuckDB itself; fails naming what is missing. */
function mapColumns(
  sourceName: SourceName,
  source: ResolvedSource,
  fileColumns: string[],
  lineLevelOrders: boolean,
): Map<string, string | null> {
  const byLowerName = new Map(fileColumns.map((c) => [c.toLowerCase(), c]));
  const wanted = (column: string) => source.columns[column] ?? column;
  const named = (column: string) => (wanted(column) === column ? `'${column}'` : `'${wanted(column)}' (mapped to ${column})`);
  const mapping = new Map<string, string | null>();
  const missing: string[] = [];
  for (const column of columnsOf(sourceName)) {
    const found = byLowerName.get(wanted(column.name).toLowerCase()) ?? null;
    const required =
      column.required || (lineLevelOrders && (LINE_LEVEL_ORDER_COLUMNS as readonly string[]).includes(column.name));
    if (!found && required) missing.push(named(column.name));
    mapping.set(column.name, found);
  }
  // Order lines are priced by exactly one of a unit price and a line amount.
  if (sourceName === (lineLevelOrders ? 'orders' : 'order_items')) {
    const prices = LINE_PRICE_COLUMNS.filter((column) => mapping.get(column));
    if (prices.length === 0) missing.push(LINE_PRICE_COLUMNS.map(named).join(' or '));
    if (prices.length > 1) {
      throw ApplicationFailure.nonRetryable(
        `${source.file}: ${sourceName} has both ${prices.map(named).join(' and ')}, and a line is priced by one of ` +
          'them (a unit price or the amount of the whole line): rename or drop the column that is not meant.',
        'AmbiguousLinePrice',
      );
    }
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

/** The UTF-8 text DuckDB can read: the file itself, or a copy converted from the encoding it declares. */
async function utf8Text(sourceName: SourceName, source: ResolvedSource, baseDir: string): Promise<string> {
  if (source.format === 'parquet') return source.file;
  const encoding = source.encoding ?? 'utf-8';
  if (byteOrderMark(source.file) && encoding !== 'utf-16') {
    throw ApplicationFailure.nonRetryable(
      `${source.file} starts with a UTF-16 byte order mark but is read as ${encoding}: set "encoding": "utf-16" in ` +
        `the configuration's sources.${sourceName}`,
      'WrongEncoding',
    );
  }
  if (encoding === 'utf-8') return source.file;
  const converted = path.join(baseDir, 'inputs', `${sourceName}.${source.format}`);
  await convertToUtf8(source.file, encoding, converted);
  return converted;
}

async function inspectSource(
  warehouse: Warehouse,
  sourceName: SourceName,
  source: ResolvedSource,
  baseDir: string,
  lineLevelOrders: boolean,
): Promise<IngestedSource> {
  const readFrom = await utf8Text(sourceName, source, baseDir);
  let fileColumns: string[];
  try {
    const readable = { ...source, file: readFrom };
    fileColumns =
      source.format === 'jsonl'
        ? ((await warehouse.scalar<string[] | null>(jsonlKeysSql(readable))) ?? [])
        : (await warehouse.rows<{ column_name: string }>(`DESCRIBE SELECT * FROM ${readerSql(readable)}`)).map((r) => r.column_name);
  } catch (error) {
    throw ApplicationFailure.nonRetryable(
      `${source.file} cannot be read as ${source.format}: ${(error as Error).message}`,
      'UnreadableFile',
    );
  }
  const columns = Object.fromEntries(mapColumns(sourceName, source, fileColumns, lineLevelOrders));
  return { source: sourceName, status: 'loaded', file: source.file, sha256: await sha256Of(source.file), columns, readFrom };
}

/**
 * Stage 1: check that every configured source file exists, can be read, and has the columns we need (after
 * the configured mapping), and hash it; a file that cannot be used fails here, before any heavy work. Clean
 * then reads each file once (reading it here as well would cost a copy of every input).
 */
export async function ingest({ settings, baseDir }: IngestInput): Promise<IngestResult> {
  const lineLevelOrders = settings.sources.order_items === undefined;
  return heartbeatWhile(() =>
    Warehouse.using({ timeZone: settings.businessTimeZone }, async (warehouse) => {
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
          sources.push({ source: name, status: 'missing', file: source?.file ?? null, sha256: null, columns: null, readFrom: null });
          continue;
        }
        if (statSync(source.file).size === 0) {
          // A file of 0 bytes has no header to read; for an optional source it is as good as none.
          if (name === 'orders') throw ApplicationFailure.nonRetryable(`the orders file ${source.file} is empty: it has no rows`, 'MissingOrders');
          sources.push({ source: name, status: 'empty', file: source.file, sha256: await sha256Of(source.file), columns: null, readFrom: null });
          continue;
        }
        sources.push(await inspectSource(warehouse, name, source, baseDir, lineLevelOrders));
      }
      return { sources };
    }),
  );
}

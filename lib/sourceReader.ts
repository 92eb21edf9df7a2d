import type { ResolvedSource } from '../schemas/run';
import { quoteLiteral } from './duckdb';

/**
 * The DuckDB table function that reads a source file, every column as text where the format allows. CSV rows
 * that do not split into the file's columns are kept aside in DuckDB's reject tables instead of failing the read.
 * A JSONL file is read as its lines, one text column `line` (see jsonlDocumentSql): read_json fails the whole
 * file on one line that is not JSON, and skipping such lines would lose the line numbers of the others.
 */
export function readerSql(source: ResolvedSource): string {
  const file = quoteLiteral(source.file);
  switch (source.format) {
    case 'csv': {
      const delimiter = source.delimiter ? `, delim = ${quoteLiteral(source.delimiter)}` : '';
      // Lines up to 4 MiB are read: past DuckDB's default of 2 MB the whole read fails, and its buffers hold 16
      // lines, so more would not fit a small memory limit. Clean quarantines fields over validation.maxFieldBytes.
      return `read_csv(${file}, header = true, all_varchar = true, store_rejects = true, ignore_errors = true, max_line_size = 4194304, hive_partitioning = false${delimiter})`;
    }
    case 'parquet':
      return `read_parquet(${file}, hive_partitioning = false)`;
    case 'jsonl':
      // A NUL byte cannot occur in JSON text, so each line is one field, kept verbatim (no quoting, no escapes).
      return `read_csv(${file}, columns = {'line': 'VARCHAR'}, header = false, delim = chr(0), quote = '', escape = '', auto_detect = false, max_line_size = 4194304, hive_partitioning = false)`;
  }
}

/** A JSONL line (the column `line`) as a JSON document when it is a JSON object; NULL when it is not. */
export const JSONL_DOCUMENT_SQL =
  "CASE WHEN json_valid(line) THEN CASE WHEN json_type(CAST(line AS JSON)) = 'OBJECT' THEN CAST(line AS JSON) END END";

/** A JSONL document's field `key` as text (a nested value as its JSON text); NULL when absent or null. */
export function jsonlFieldSql(document: string, key: string): string {
  return `json_extract_string(${document}, ${quoteLiteral(`$.${JSON.stringify(key)}`)})`;
}

/**
 * The field names of a JSONL file, in order of first appearance among its first lines (as many as read_json
 * samples to find a file's columns), so that checking a file's columns does not read all of it.
 */
export function jsonlKeysSql(source: ResolvedSource): string {
  return `
    SELECT list_distinct(flatten(list(json_keys(document) ORDER BY position))) AS keys
    FROM (SELECT ${JSONL_DOCUMENT_SQL} AS document, row_number() OVER () AS position FROM (SELECT line FROM ${readerSql(source)} LIMIT 20480))
    WHERE document IS NOT NULL`;
}

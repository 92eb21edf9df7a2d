import type { ResolvedSource } from '../schemas/run';
import { quoteLiteral } from './duckdb';

/**
 * The DuckDB table function that reads a source file, every column as text where the format allows. CSV rows
 * that do not split into the file's columns are kept aside in DuckDB's reject tables instead of failing the read.
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
      return `read_json(${file}, format = 'newline_delimited', hive_partitioning = false)`;
  }
}

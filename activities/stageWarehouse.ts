import path from 'node:path';
import type { WarehouseOptions } from '../lib/duckdb';
import type { RunSettings } from '../schemas/run';

/**
 * The DuckDB settings of a stage: the business time zone, the configured memory limit and threads, and a
 * spill folder inside the stage's staging folder, so that an input larger than memory spills there and is
 * removed with the staging.
 */
export function stageWarehouse(settings: RunSettings, stagingDir: string): WarehouseOptions {
  return {
    timeZone: settings.businessTimeZone,
    memoryLimit: settings.duckdb.memoryLimit,
    threads: settings.duckdb.threads,
    tempDirectory: path.join(stagingDir, 'duckdb-spill'),
  };
}

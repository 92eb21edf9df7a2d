import path from 'node:path';
import type { WarehouseOptions } from '../lib/duckdb';
import type { RunSettings } from '../schemas/run';
import { cancellationSignal } from './heartbeat';

/**
 * The DuckDB settings of a stage: the business time zone, the configured memory limit and threads, and a
 * spill folder inside the stage's staging folder, so that an input larger than memory spills there and is
 * removed with the staging. A cancelled stage stops its query at once instead of writing on into a staging
 * folder that the cancelled run removes.
 */
export function stageWarehouse(settings: RunSettings, stagingDir: string): WarehouseOptions {
  return {
    timeZone: settings.businessTimeZone,
    memoryLimit: settings.duckdb.memoryLimit,
    threads: settings.duckdb.threads,
    tempDirectory: path.join(stagingDir, 'duckdb-spill'),
    signal: cancellationSignal(),
  };
}

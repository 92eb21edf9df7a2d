import { ApplicationFailure } from '@temporalio/common';
import type { Warehouse } from '../lib/duckdb';
import { sqlFile } from '../lib/sqlFile';
import { contractViolations, describeViolations } from '../lib/tableContracts';
import { contractOf } from '../schemas/tables';
import { SNAPSHOT_TABLES, type SnapshotTable } from './publish';
import { stagingFile } from './staging';

/** Where a stage stages the tables it writes: the run's staging folder (or the cleaned base's), and its date. */
export interface TablePlace {
  stagingDir: string;
  /** Null for the cleaned base, which serves every date. */
  runDate: string | null;
}

/** The staged file of a published table, which publish copies into the snapshot. */
function stagedTableFile(stagingDir: string, table: SnapshotTable): string {
  return stagingFile(stagingDir, SNAPSHOT_TABLES[table], table);
}

/** Runs a write whose DuckDB errors name neither the query nor the table: they say which `source` failed. */
export async function naming<T>(source: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw new Error(`${source}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Writes a published table from its model, sql/marts/<table>.sql, and checks it against its contract
 * (schemas/tables); every published table is written here. A table that breaks its contract fails the stage,
 * naming the table, the column, the rule and the first offending rows, and is not retried: the same model on the
 * same data would write it again. Relationships are checked against tables staged earlier in the same place.
 * Returns the rows.
 */
export async function writeSnapshotTable(
  warehouse: Warehouse,
  table: SnapshotTable,
  place: TablePlace,
): Promise<number> {
  const file = stagedTableFile(place.stagingDir, table);
  const rows = await naming(`sql/marts/${table}.sql`, () => warehouse.writeParquet(sqlFile(`marts/${table}.sql`), file));
  const contract = contractOf(table);
  const violations = await contractViolations(warehouse, contract, file, {
    runDate: place.runDate,
    fileOf: (other) => stagedTableFile(place.stagingDir, other as SnapshotTable),
  });
  if (violations.length > 0) throw ApplicationFailure.nonRetryable(describeViolations(contract, violations), 'ContractViolation');
  return rows;
}

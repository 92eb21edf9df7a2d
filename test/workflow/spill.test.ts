import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SNAPSHOT_TABLES } from '../../activities/publish';
import { settingsForDataDir } from '../../lib/config';
import { PART_FILE, partitionDir } from '../../lib/snapshots';
import { generateSample } from '../../sample/generateSample';
import type { RunSettings } from '../../schemas/run';
import { sha256 } from '../support/parquet';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

/**
 * 100,000 generated customers (about 2.7 million input rows) under a DuckDB memory limit of 256 MB: the
 * joins, aggregations and sorts that do not fit spill to the run's staging folder, and the snapshot is the
 * one an unlimited run publishes, byte for byte.
 */
const RUN_DATE = '2026-10-31';

let temporal: TestTemporal;
let scratch: string;
let settings: RunSettings;

beforeAll(async () => {
  temporal = await startTestTemporal();
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-spill-'));
  await generateSample({ customers: 100_000, outDir: path.join(scratch, 'data') });
  settings = settingsForDataDir(path.join(scratch, 'data'));
}, 300_000);

afterAll(async () => {
  await temporal.stop();
  await fs.rm(scratch, { recursive: true, force: true });
});

async function snapshotHashes(outDir: string): Promise<Record<string, string>> {
  const tables = Object.keys(SNAPSHOT_TABLES);
  const hashes = await Promise.all(tables.map((table) => sha256(path.join(partitionDir(outDir, table, RUN_DATE), PART_FILE))));
  return Object.fromEntries(tables.map((table, i) => [table, hashes[i]!]));
}

test('a run within 256 MB of DuckDB memory publishes the snapshot of an unlimited run', async () => {
  const limited = path.join(scratch, 'limited');
  const unlimited = path.join(scratch, 'unlimited');
  const result = await temporal.run({ runDate: RUN_DATE, outDir: limited, settings: { ...settings, duckdb: { memoryLimit: '256MB' } } });
  await temporal.run({ runDate: RUN_DATE, outDir: unlimited, settings: { ...settings, duckdb: { memoryLimit: '20GB' } } });

  expect(result.scoring.customers).toBeGreaterThan(90_000);
  expect(result.sources.find((s) => s.source === 'ga_sessions')!.rowsIn).toBeGreaterThan(1_000_000);
  expect(await snapshotHashes(limited)).toEqual(await snapshotHashes(unlimited));
}, 300_000);

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SNAPSHOT_TABLES } from '../../activities/publish';
import { settingsForDataDir } from '../../lib/config';
import { PART_FILE, partitionDir } from '../../lib/snapshots';
import { generateSample } from '../../sample/generateSample';
import { sha256 } from '../support/parquet';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

/**
 * Two undisturbed runs of the same 20,000 customers on the same date publish the same bytes: at this size
 * DuckDB aggregates on several threads, so any sum taken in arrival order would differ in its last digits.
 */
const RUN_DATE = '2026-10-31';

let temporal: TestTemporal;
let scratch: string;

beforeAll(async () => {
  temporal = await startTestTemporal();
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-determinism-'));
  await generateSample({ customers: 20_000, outDir: path.join(scratch, 'data') });
}, 120_000);

afterAll(async () => {
  await temporal.stop();
  await fs.rm(scratch, { recursive: true, force: true });
});

test('two runs of the same input and date publish byte-identical snapshots', async () => {
  const settings = settingsForDataDir(path.join(scratch, 'data'));
  const hashes = [];
  for (const run of ['first', 'second']) {
    const outDir = path.join(scratch, run);
    await temporal.run({ runDate: RUN_DATE, outDir, settings });
    hashes.push(Object.fromEntries(Object.keys(SNAPSHOT_TABLES).map((table) => [table, sha256(path.join(partitionDir(outDir, table, RUN_DATE), PART_FILE))])));
  }
  expect(hashes[1]).toEqual(hashes[0]);
}, 120_000);

import { randomUUID } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfigFile } from '../../lib/config';
import { predecessorSettledSignal, progressQuery, segmentationRun, segmentationRunId } from '../../workflows';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

/**
 * Retention removes the staging folders that failed or crashed runs left behind once nothing was written in
 * them for retention.stagingMaxAgeDays (default 7) and their workflow is closed, and the folders left empty;
 * a running workflow's folder stays however old its files are.
 */
const FIXTURE = path.join(__dirname, '..', 'fixtures', 'handmade');
const DAY_MS = 24 * 60 * 60 * 1000;

let temporal: TestTemporal;
let scratch: string;

beforeAll(async () => {
  temporal = await startTestTemporal();
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-stale-staging-'));
});

afterAll(async () => {
  await temporal.stop();
  await fs.rm(scratch, { recursive: true, force: true });
});

/** Sets the modification time of a folder and everything in it `days` back. */
async function age(dir: string, days: number): Promise<void> {
  const then = new Date(Date.now() - days * DAY_MS);
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  for (const file of [...entries.map((e) => path.join(e.parentPath, e.name)).reverse(), dir]) await fs.utimes(file, then, then);
}

async function leftBehind(outDir: string, folder: string, days: number): Promise<string> {
  const dir = path.join(outDir, '_staging', folder);
  await fs.mkdir(path.join(dir, 'marts'), { recursive: true });
  await fs.writeFile(path.join(dir, 'marts', 'customers.parquet'), 'left by a crashed run');
  await age(dir, days);
  return dir;
}

test('retention removes old staging of closed runs, keeps recent ones and every running workflow\'s', async () => {
  const settings = loadConfigFile(path.join(FIXTURE, 'segflow.config.json'));
  const outDir = path.join(scratch, 'out');
  const crashedRun = await leftBehind(outDir, path.join('run_date=2024-05-01', randomUUID()), 8);
  const crashedBackfill = await leftBehind(outDir, path.join('backfill', 'segflow-backfill-that-crashed'), 30);
  const recentFailure = await leftBehind(outDir, path.join('run_date=2024-05-02', randomUUID()), 1);

  // A run that waits (as a backfill's date waits for the date before it): its staging is a month old, but live.
  const waiting = await temporal.client.workflow.start(segmentationRun, {
    workflowId: segmentationRunId('2024-06-29'),
    taskQueue: temporal.endpoint.taskQueue,
    args: [{ runDate: '2024-06-29', outDir, settings, awaitPredecessor: true }],
  });
  for (let progress = await waiting.query(progressQuery); progress.waiting === null; progress = await waiting.query(progressQuery)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const live = path.join(outDir, '_staging', 'run_date=2024-06-29', waiting.firstExecutionRunId);
  await age(live, 30);

  const result = await temporal.run({ runDate: '2024-06-30', outDir, settings });
  expect(result.retention.staleStaging.sort()).toEqual([crashedBackfill, crashedRun].map((dir) => path.relative(outDir, dir)).sort());
  expect(existsSync(crashedRun)).toBe(false);
  expect(existsSync(path.dirname(crashedRun))).toBe(false);
  expect(existsSync(path.dirname(crashedBackfill))).toBe(false);
  expect(existsSync(recentFailure)).toBe(true);
  expect(existsSync(live)).toBe(true);

  await waiting.signal(predecessorSettledSignal);
  await expect(waiting.result()).resolves.toMatchObject({ runDate: '2024-06-29' });
});

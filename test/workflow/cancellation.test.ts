import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CancelledFailure, WorkflowFailedError } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { heartbeatWhile } from '../../activities/heartbeat';
import { stageWarehouse } from '../../activities/stageWarehouse';
import { loadConfigFile } from '../../lib/config';
import { Warehouse } from '../../lib/duckdb';
import { publishedRunDates } from '../../lib/snapshots';
import { segmentationRun, segmentationRunId, progressQuery } from '../../workflows';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

/**
 * Cancelling a run stops the stage that is running (its DuckDB query is interrupted) and removes the run's
 * staging folder, spill files included; nothing is published.
 */
const FIXTURE = path.join(__dirname, '..', 'fixtures', 'handmade');
const RUN_DATE = '2024-06-30';

let temporal: TestTemporal;
let scratch: string;

beforeAll(async () => {
  temporal = await startTestTemporal();
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-cancel-'));
});

afterAll(async () => {
  await temporal.stop();
  await fs.rm(scratch, { recursive: true, force: true });
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function waitFor(what: string, ready: () => Promise<boolean>, seconds = 60): Promise<void> {
  for (const deadline = Date.now() + seconds * 1000; !(await ready()); ) {
    if (Date.now() > deadline) throw new Error(`waited ${seconds} s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('a cancelled stage interrupts its DuckDB query at once, and its spill files go with the session', async () => {
  const settings = loadConfigFile(path.join(FIXTURE, 'segflow.config.json'));
  const stagingDir = path.join(scratch, 'stage');
  const spillDir = path.join(stagingDir, 'duckdb-spill');
  await fs.mkdir(stagingDir, { recursive: true });
  const activity = new MockActivityEnvironment();
  // A sort far larger than 64 MB: it spills, and would run for minutes on this machine.
  const stage = activity.run(() =>
    heartbeatWhile(() =>
      Warehouse.using(stageWarehouse({ ...settings, duckdb: { memoryLimit: '64MB', threads: 1 } }, stagingDir), (warehouse) =>
        warehouse.rows('SELECT sum(r) FROM (SELECT row_number() OVER (ORDER BY hash(i)) AS r FROM range(2000000000) t(i))'),
      ),
    ),
  );
  await waitFor('the sort to spill', async () => (await filesUnder(spillDir)).length > 0);

  const cancelledAt = Date.now();
  activity.cancel();
  await expect(stage).rejects.toBeInstanceOf(CancelledFailure);
  expect(Date.now() - cancelledAt).toBeLessThan(5_000);
  expect(await filesUnder(spillDir)).toEqual([]);
});

test('cancelling a run removes its staging folder and publishes nothing', async () => {
  const settings = loadConfigFile(path.join(FIXTURE, 'segflow.config.json'));
  const outDir = path.join(scratch, 'out');
  const handle = await temporal.client.workflow.start(segmentationRun, {
    workflowId: segmentationRunId(RUN_DATE),
    taskQueue: temporal.endpoint.taskQueue,
    args: [{ runDate: RUN_DATE, outDir, settings }],
  });
  // Cancel once the cleaned base is staged and a later stage is under way.
  await waitFor('the run to pass clean', async () => {
    const { completed } = await handle.query(progressQuery);
    return completed.some((stage) => stage.stage === 'clean');
  });
  expect(await filesUnder(path.join(outDir, '_staging'))).not.toEqual([]);
  await handle.cancel();

  const failure = await handle.result().catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect((failure as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
  expect(await filesUnder(path.join(outDir, '_staging'))).toEqual([]);
  expect(await publishedRunDates(outDir)).toEqual([]);
});

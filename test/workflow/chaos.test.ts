import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SNAPSHOT_TABLES } from '../../activities/publish';
import { loadConfigFile } from '../../lib/config';
import { PROJECT_ROOT } from '../../lib/projectRoot';
import { manifestPath, PART_FILE, partitionDir, runDateDir } from '../../lib/snapshots';
import { startWorkerProcess, type WorkerProcess } from '../../lib/workerProcess';
import { segmentationRun, segmentationRunId } from '../../workflows';
import { activityAttempts } from '../support/activityAttempts';
import { sha256 } from '../support/parquet';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

/**
 * A worker in a process of its own is killed (SIGKILL) inside the cluster stage, after it has written one of
 * its four tables, and its successor is killed inside publish, after five of the tables are in the new
 * version folder. A third worker finishes the run, and the snapshot is byte for byte the one of an undisturbed
 * run. The worker processes load test/support/pauseWorker.ts, which holds them at the named file operation.
 */
const FIXTURE = path.join(__dirname, '..', 'fixtures', 'handmade');
const RUN_DATE = '2024-06-30';
const PAUSE_HOOK = path.join(PROJECT_ROOT, 'dist', 'test', 'support', 'pauseWorker.js');

let temporal: TestTemporal;
let scratch: string;

beforeAll(async () => {
  temporal = await startTestTemporal();
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-chaos-'));
});

afterAll(async () => {
  await temporal.stop();
  await fs.rm(scratch, { recursive: true, force: true });
});

const snapshotHashes = (outDir: string) =>
  Object.fromEntries(Object.keys(SNAPSHOT_TABLES).map((table) => [table, sha256(path.join(partitionDir(outDir, table, RUN_DATE), PART_FILE))]));

test('workers killed during a data stage and during publish: a new worker publishes the undisturbed snapshot', async () => {
  const settings = loadConfigFile(path.join(FIXTURE, 'segflow.config.json'));
  const undisturbed = path.join(scratch, 'undisturbed');
  await temporal.run({ runDate: RUN_DATE, outDir: undisturbed, settings });

  const outDir = path.join(scratch, 'killed');
  const taskQueue = `segflow-chaos-${randomUUID()}`;
  const { address } = temporal.endpoint;
  const workers: WorkerProcess[] = [];
  const startWorker = async (pauseAt?: string) => {
    const options = pauseAt ? { nodeArgs: ['--require', PAUSE_HOOK], env: { SEGFLOW_TEST_PAUSE_AT: pauseAt } } : {};
    workers.push(await startWorkerProcess(address, taskQueue, options));
    return workers.at(-1)!;
  };
  try {
    const inCluster = await startWorker(`rename:${path.join('marts', 'cluster_profiles.parquet')}:1`);
    const handle = await temporal.client.workflow.start(segmentationRun, {
      workflowId: segmentationRunId(RUN_DATE),
      taskQueue,
      args: [{ runDate: RUN_DATE, outDir, settings }],
    });
    await inCluster.printed('paused at rename');
    await inCluster.kill();

    const inPublish = await startWorker(`copyFile:${path.sep}_runs${path.sep}:6`);
    await inPublish.printed('paused at copyFile');
    await inPublish.kill();

    await startWorker();
    const result = await handle.result();
    expect(result.runDate).toBe(RUN_DATE);

    expect(snapshotHashes(outDir)).toEqual(snapshotHashes(undisturbed));
    // Each killed activity was retried (noticed by its heartbeat timeout), and ran twice in all.
    expect(await activityAttempts(handle, 'clusterCustomers')).toEqual([2]);
    expect(await activityAttempts(handle, 'publishSnapshot')).toEqual([2]);
    // The killed publish's half-written version folder is gone; staging too.
    const { version } = JSON.parse(await fs.readFile(manifestPath(outDir, RUN_DATE), 'utf8'));
    expect((await fs.readdir(runDateDir(outDir, RUN_DATE))).sort()).toEqual(['current', 'manifest.json', version].sort());
    await expect(fs.readdir(outDir)).resolves.not.toContain('_staging');
  } finally {
    for (const worker of workers) await worker.kill();
  }
}, 300_000);

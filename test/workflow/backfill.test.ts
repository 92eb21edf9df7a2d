import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { SNAPSHOT_TABLES } from '../../activities/publish';
import { loadConfigFile, settingsForDataDir } from '../../lib/config';
import { runDatesBetween } from '../../lib/runDate';
import { manifestPath, PART_FILE, partitionDir, publishedRunDates, readManifest } from '../../lib/snapshots';
import type { BackfillResult, RunSettings } from '../../schemas/run';
import { backfill, backfillId, backfillProgressQuery, predecessorSettledSignal, segmentationRun, segmentationRunId } from '../../workflows';
import { readParquet, sha256 } from '../support/parquet';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'handmade');
let temporal: TestTemporal;
let settings: RunSettings;
const outDirs: string[] = [];

async function freshOutDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-backfill-'));
  outDirs.push(dir);
  return dir;
}

function startBackfill(from: string, to: string, outDir: string, options: { concurrency?: number; force?: boolean; datesPerRun?: number } = {}) {
  return temporal.client.workflow.start(backfill, {
    workflowId: backfillId(from, to),
    taskQueue: temporal.endpoint.taskQueue,
    args: [{ from, to, outDir, settings, concurrency: options.concurrency ?? 3, force: options.force ?? false, datesPerRun: options.datesPerRun }],
  });
}

/** How many runs of a date's workflow id started since `since`: exactly one means no date ran twice. */
async function runsStartedSince(client: Client, runDate: string, since: Date): Promise<number> {
  let count = 0;
  const query = `WorkflowId = '${segmentationRunId(runDate)}' AND StartTime >= '${since.toISOString()}'`;
  for await (const execution of client.workflow.list({ query })) if (execution.workflowId) count += 1;
  return count;
}

/** The activity types a workflow run scheduled, in order, read from its history. */
async function activitiesScheduled(handle: WorkflowHandle): Promise<string[]> {
  const { events } = await handle.fetchHistory();
  return (events ?? []).flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
}

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 100));
}

beforeAll(async () => {
  temporal = await startTestTemporal();
  settings = loadConfigFile(path.join(FIXTURE, 'segflow.config.json'));
});

afterAll(async () => {
  await temporal.stop();
  for (const dir of outDirs) await fs.rm(dir, { recursive: true, force: true });
});

describe('a backfill across a year boundary', () => {
  // M2 gives 2024 as birth year: not yet a birth year on 2023-12-31. The cleaned base must not depend on the
  // last date a backfill serves, or its 2023 dates would differ from single runs of them.
  const FILES: Record<string, string> = {
    'members.csv': 'member_id,joined_at,birth_year\nM1,2023-01-01 09:00:00,1990\nM2,2023-02-01 09:00:00,2024\n',
    'orders.csv': 'order_id,ordered_at,member_id\nO1,2023-12-01T10:00:00Z,M1\nO2,2023-12-20T10:00:00Z,M2\nO3,2024-01-01T10:00:00Z,M2\n',
    'order_items.csv': 'order_id,product_id,quantity,unit_price\nO1,P1,1,10\nO2,P1,2,10\nO3,P1,1,10\n',
  };
  const [FROM, TO] = ['2023-12-30', '2024-01-02'];
  let backfillOut: string;
  let singleOut: string;
  let yearSettings: RunSettings;

  beforeAll(async () => {
    const dataDir = await freshOutDir();
    for (const [file, text] of Object.entries(FILES)) await fs.writeFile(path.join(dataDir, file), text);
    yearSettings = settingsForDataDir(dataDir);
    backfillOut = await freshOutDir();
    singleOut = await freshOutDir();
    const handle = await temporal.client.workflow.start(backfill, {
      workflowId: backfillId(FROM, TO),
      taskQueue: temporal.endpoint.taskQueue,
      args: [{ from: FROM, to: TO, outDir: backfillOut, settings: yearSettings, concurrency: 2, force: false }],
    });
    await handle.result();
    for (const runDate of runDatesBetween(FROM, TO)) await temporal.run({ runDate, outDir: singleOut, settings: yearSettings });
  });

  test('every table of every date equals a single run of that date, byte for byte', () => {
    for (const runDate of runDatesBetween(FROM, TO)) {
      for (const table of Object.keys(SNAPSHOT_TABLES)) {
        const [fromBackfill, fromSingleRun] = [backfillOut, singleOut].map((out) => path.join(partitionDir(out, table, runDate), PART_FILE));
        expect([runDate, table, sha256(fromBackfill!)]).toEqual([runDate, table, sha256(fromSingleRun!)]);
      }
    }
  });

  test('a birth year after the run date gives no age that day, and counts from its year on', async () => {
    const birthYearOf = async (runDate: string) =>
      (await readParquet(path.join(partitionDir(backfillOut, 'customers', runDate), PART_FILE), 'member_id')).map((c) => c.birth_year);
    expect(await birthYearOf('2023-12-31')).toEqual([1990, null]);
    expect(await birthYearOf('2024-01-01')).toEqual([1990, 2024]);
  });
});

describe('a 10-date backfill with concurrency 3', () => {
  const FROM = '2024-06-21';
  const TO = '2024-06-30';
  let backfillOut: string;
  let singleOut: string;
  let result: BackfillResult;
  let firstRunId: string;

  beforeAll(async () => {
    backfillOut = await freshOutDir();
    singleOut = await freshOutDir();
    // Four dates per workflow run: the backfill continues as new twice on its way.
    const handle = await startBackfill(FROM, TO, backfillOut, { datesPerRun: 4 });
    firstRunId = handle.firstExecutionRunId;
    result = await handle.result();
    for (const runDate of runDatesBetween(FROM, TO)) await temporal.run({ runDate, outDir: singleOut, settings });
  });

  test('publishes exactly the 10 dates, continuing as new on the way', async () => {
    expect(result).toMatchObject({ total: 10, published: 10, skipped: 0, failed: [], alreadyRunning: [], running: [], phase: 'done' });
    expect(result.continuedAsNew).toBe(2);
    expect(await publishedRunDates(backfillOut)).toEqual(runDatesBetween(FROM, TO));
  });

  test('ingests and cleans once for the whole range: the backfill did, no date did', async () => {
    const backfillRun = temporal.client.workflow.getHandle(backfillId(FROM, TO), firstRunId);
    expect((await activitiesScheduled(backfillRun)).filter((type) => type === 'ingest' || type === 'clean')).toEqual(['ingest', 'clean']);
    for (const runDate of runDatesBetween(FROM, TO)) {
      const child = temporal.client.workflow.getHandle(segmentationRunId(runDate), (await readManifest(backfillOut, runDate)).runId);
      const activities = await activitiesScheduled(child);
      expect([runDate, activities[0], activities.includes('ingest') || activities.includes('clean')]).toEqual([runDate, 'cutAtRunDate', false]);
    }
  });

  test('every table of every date equals the snapshot of a single run of that date, byte for byte', async () => {
    for (const runDate of runDatesBetween(FROM, TO)) {
      for (const table of Object.keys(SNAPSHOT_TABLES)) {
        const fromBackfill = path.join(partitionDir(backfillOut, table, runDate), PART_FILE);
        const fromSingleRun = path.join(partitionDir(singleOut, table, runDate), PART_FILE);
        expect([runDate, table, sha256(fromBackfill)]).toEqual([runDate, table, sha256(fromSingleRun)]);
      }
      const [backfilled, single] = [await readManifest(backfillOut, runDate), await readManifest(singleOut, runDate)];
      expect(backfilled.tables).toEqual(single.tables);
    }
  });

  test('each date compares its segments with the date before, whichever child finished first', async () => {
    for (const runDate of runDatesBetween('2024-06-22', TO)) {
      const transitions = await readParquet(path.join(partitionDir(backfillOut, 'segment_transitions', runDate), PART_FILE));
      expect(transitions.length).toBeGreaterThan(0);
      const previous = new Set(transitions.map((t) => (t.previous_run_date as Date).toISOString().slice(0, 10)));
      expect([runDate, [...previous]]).toEqual([runDate, [runDatesBetween('2024-06-01', runDate).at(-2)]]);
    }
  });

  test("each date measures the campaign targets of the dates before it: 06-22's campaign_results holds 06-21's plan", async () => {
    const snapshotFile = (table: string, runDate: string) => path.join(partitionDir(backfillOut, table, runDate), PART_FILE);
    const plan = await readParquet(snapshotFile('campaign_targets', '2024-06-21'), 'campaign, assignment');
    const groups = [...new Set(plan.map((t) => t.campaign as string))].map((campaign) => {
      const size = (assignment: string) => plan.filter((t) => t.campaign === campaign && t.assignment === assignment).length;
      return [campaign, '2024-06-21', size('treatment'), size('control'), 1, false];
    });
    expect(groups.length).toBeGreaterThan(0);
    const results = await readParquet(snapshotFile('campaign_results', '2024-06-22'), 'target_date, campaign');
    // One day of the 30-day window observed; only 06-21 is earlier than 06-22 in this folder.
    expect(results.map((r) => [r.campaign, (r.target_date as Date).toISOString().slice(0, 10), r.treatment_customers,
      r.control_customers, r.days_observed, r.window_complete])).toEqual(groups);
    const { campaigns } = JSON.parse(await fs.readFile(manifestPath(backfillOut, '2024-06-22'), 'utf8')).statistics;
    expect(campaigns.results.latest.map((r: { campaign: string; targetDate: string }) => [r.campaign, r.targetDate]))
      .toEqual(groups.map(([campaign, targetDate]) => [campaign, targetDate]));
  });

  test('a second backfill of the range skips every published date and ingests nothing', async () => {
    const handle = await startBackfill(FROM, TO, backfillOut);
    const again = await handle.result();
    expect(again).toMatchObject({ total: 10, published: 0, skipped: 10, failed: [] });
    expect(await activitiesScheduled(handle)).toEqual(['leaseRunDates', 'releaseRunDates']);
    await expect(fs.readdir(path.join(backfillOut, '_staging')).catch(() => [])).resolves.not.toContain('backfill');
    await expect(fs.readdir(path.join(backfillOut, '_leases'))).resolves.toEqual([]);
  });

  test('--force re-runs published dates', async () => {
    const forced = await (await startBackfill('2024-06-29', TO, backfillOut, { force: true })).result();
    expect(forced).toMatchObject({ total: 2, published: 2, skipped: 0 });
  });
});

test('a worker restart in the middle of a backfill still publishes every date exactly once', async () => {
  const outDir = await freshOutDir();
  const [from, to] = ['2024-05-01', '2024-05-10'];
  const startedAt = new Date(Date.now() - 1000);
  const handle = await startBackfill(from, to, outDir, { datesPerRun: 5 });
  // Wait until some dates are published and others are running, then take the worker away.
  await waitFor(async () => {
    const progress = await handle.query(backfillProgressQuery).catch(() => null);
    return progress !== null && progress.published >= 2 && progress.running.length > 0;
  });
  await temporal.restartWorker();
  const result = await handle.result();
  expect(result).toMatchObject({ total: 10, published: 10, failed: [], alreadyRunning: [] });
  expect(await publishedRunDates(outDir)).toEqual(runDatesBetween(from, to));
  for (const runDate of runDatesBetween(from, to)) {
    expect([runDate, await runsStartedSince(temporal.client, runDate, startedAt)]).toEqual([runDate, 1]);
  }
});

test('a second trigger of a date that is running starts no second run, from a client or from a backfill', async () => {
  const outDir = await freshOutDir();
  const runDate = '2024-04-15';
  const startedAt = new Date(Date.now() - 1000);
  // A run told to wait for a predecessor stays running until it is signalled: a run in progress to collide with.
  const first = await temporal.client.workflow.start(segmentationRun, {
    workflowId: segmentationRunId(runDate),
    taskQueue: temporal.endpoint.taskQueue,
    args: [{ runDate, outDir, settings, awaitPredecessor: true }],
  });
  await expect(
    temporal.client.workflow.start(segmentationRun, {
      workflowId: segmentationRunId(runDate),
      taskQueue: temporal.endpoint.taskQueue,
      args: [{ runDate, outDir, settings }],
    }),
  ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);

  const overlapping = await (await startBackfill('2024-04-14', runDate, outDir)).result();
  expect(overlapping).toMatchObject({ total: 2, published: 1, alreadyRunning: [runDate], failed: [] });

  await first.signal(predecessorSettledSignal);
  await first.result();
  expect(await runsStartedSince(temporal.client, runDate, startedAt)).toBe(1);
  expect(await publishedRunDates(outDir)).toEqual(['2024-04-14', runDate]);
});

test('retention spares the dates of a running backfill and applies to them once it has ended', async () => {
  const outDir = await freshOutDir();
  const keepOne = { ...settings, retention: { keepLast: 1 } };
  const during = await temporal.client.workflow.execute(backfill, {
    workflowId: backfillId('2024-03-10', '2024-03-12'),
    taskQueue: temporal.endpoint.taskQueue,
    args: [{ from: '2024-03-10', to: '2024-03-12', outDir, settings: keepOne, concurrency: 2, force: false }],
  });
  expect(during.published).toBe(3);
  // Every child applied retention after publishing, and the lease kept all three.
  expect(await publishedRunDates(outDir)).toEqual(['2024-03-10', '2024-03-11', '2024-03-12']);
  await expect(fs.readdir(path.join(outDir, '_leases'))).resolves.toEqual([]);

  const next = await temporal.run({ runDate: '2024-03-13', outDir, settings: keepOne });
  expect(next.retention).toEqual({ removed: ['2024-03-10', '2024-03-11', '2024-03-12'], staleStaging: [] });
  expect(await publishedRunDates(outDir)).toEqual(['2024-03-13']);
});

test('a cancelled backfill releases its lease and removes its shared base', async () => {
  const outDir = await freshOutDir();
  const handle = await startBackfill('2024-01-01', '2024-01-20', outDir, { concurrency: 1 });
  await waitFor(async () => ((await handle.query(backfillProgressQuery).catch(() => null))?.running.length ?? 0) > 0);
  await expect(fs.readdir(path.join(outDir, '_leases'))).resolves.toHaveLength(1);
  await handle.cancel();
  const failure = await handle.result().catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect((failure as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
  await expect(fs.readdir(path.join(outDir, '_leases'))).resolves.toEqual([]);
  await expect(fs.readdir(path.join(outDir, '_staging')).catch(() => [])).resolves.not.toContain('backfill');
});

test('segflow backfill run again for a range still in progress attaches to it instead of starting another', async () => {
  const outDir = await freshOutDir();
  const [from, to] = ['2024-02-01', '2024-02-03'];
  // A task queue no worker polls yet: the backfill stays in progress until the command has attached.
  const taskQueue = `${temporal.endpoint.taskQueue}-attach`;
  const handle = await temporal.client.workflow.start(backfill, {
    workflowId: backfillId(from, to),
    taskQueue,
    args: [{ from, to, outDir, settings, concurrency: 2, force: false }],
  });
  const command = spawn(
    process.execPath,
    [path.join(__dirname, '..', '..', 'bin', 'segflow.js'), 'backfill', '--from', from, '--to', to,
      '--config', path.join(FIXTURE, 'segflow.config.json'), '--out', outDir],
    { env: { ...process.env, TEMPORAL_ADDRESS: temporal.endpoint.address, TEMPORAL_TASK_QUEUE: taskQueue } },
  );
  let stderr = '';
  let stdout = '';
  command.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  command.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => command.on('close', resolve));
  await waitFor(async () => stderr.includes('following it') || command.exitCode !== null);

  const worker = await temporal.workerOn(taskQueue);
  try {
    expect(await exited).toBe(0);
  } finally {
    await worker.stop();
  }
  expect(stderr).toContain(`A backfill of ${from} .. ${to} is already running (workflow ${backfillId(from, to)}); following it.`);
  expect(stdout).toMatch(/published now\s+3/);
  expect((await handle.describe()).runId).toBe(handle.firstExecutionRunId);
  expect(await publishedRunDates(outDir)).toEqual(runDatesBetween(from, to));
});

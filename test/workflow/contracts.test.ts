import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { stagingFile } from '../../activities/staging';
import { loadConfigFile } from '../../lib/config';
import { parquetFile, quoteLiteral, Warehouse } from '../../lib/duckdb';
import { innermostCause } from '../../lib/innermostCause';
import { manifestPath } from '../../lib/snapshots';
import { predecessorModelSettledSignal, progressQuery, segmentationRun, segmentationRunId } from '../../workflows';
import { activityAttempts } from '../support/activityAttempts';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

/**
 * A stage whose model writes rows its table's contract forbids fails the run, once, naming the table, the
 * column, the rule and the offending rows, and nothing is published. To make the lifetime-value stage's model
 * write such rows with the product code as it is, the run waits before its first model stage (as a backfill's
 * date waits for the date before it) while the test repeats one customer in the staged rfm: a fan-out bug
 * upstream, which clv, with one row per scored customer, must not pass on.
 */
const FIXTURE = path.join(__dirname, '..', 'fixtures', 'handmade');
const RUN_DATE = '2024-06-30';

let temporal: TestTemporal;
let outDir: string;

beforeAll(async () => {
  temporal = await startTestTemporal();
  outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-contracts-'));
});

afterAll(async () => {
  await temporal.stop();
  await fs.rm(outDir, { recursive: true, force: true });
});

/** Rewrites a Parquet file with its `member` row twice. */
async function repeatRow(file: string, member: string): Promise<void> {
  const repeated = `${file}.repeated`;
  await Warehouse.using({ timeZone: 'UTC' }, (warehouse) =>
    warehouse.run(`COPY (SELECT * FROM ${parquetFile(file)} UNION ALL SELECT * FROM ${parquetFile(file)} WHERE member_id = ${quoteLiteral(member)})
                   TO ${quoteLiteral(repeated)} (FORMAT parquet)`),
  );
  await fs.rename(repeated, file);
}

test('a table that breaks its contract fails the run at its stage, once, naming table, column, rule and rows', async () => {
  const settings = loadConfigFile(path.join(FIXTURE, 'segflow.config.json'));
  const handle = await temporal.client.workflow.start(segmentationRun, {
    workflowId: segmentationRunId(RUN_DATE),
    taskQueue: temporal.endpoint.taskQueue,
    args: [{ runDate: RUN_DATE, outDir, settings, awaitPredecessor: true }],
  });
  for (let progress = await handle.query(progressQuery); progress.waiting === null; progress = await handle.query(progressQuery)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stagingDir = path.join(outDir, '_staging', `run_date=${RUN_DATE}`, handle.firstExecutionRunId);
  await repeatRow(stagingFile(stagingDir, 'marts', 'rfm'), 'M1');
  // Only lifetime value may go on: the cluster branch beside it, which would break clusters' contract too, still
  // waits, so the failure is always clv's, and the run must cancel that wait to fail.
  await handle.signal(predecessorModelSettledSignal, 'clv');

  const failure = await handle.result().catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  const cause = innermostCause(failure as Error);
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect(cause).toMatchObject({ type: 'ContractViolation', nonRetryable: true });
  expect(cause.message).toBe(
    [
      'The table clv breaks its contract (schemas/tables/clv.ts):',
      // rfm's two M1 rows give two histories, and each meets both of M1's predictions (joined by member_id).
      '  - clv.member_id: unique (the key): 1 key repeated; first: member_id=M1 (4 rows)',
      'The model that wrote it, or the contract, is wrong; a retry cannot fix either, so nothing is published.',
    ].join('\n'),
  );

  // The lifetime-value stage ran once: a retry would write the same rows again.
  expect(await activityAttempts(handle, 'predictLifetimeValue')).toEqual([1]);
  expect(await activityAttempts(handle, 'clusterCustomers')).toEqual([]);
  expect((await handle.query(progressQuery)).currentStage).toBe('failed');
  expect(existsSync(manifestPath(outDir, RUN_DATE))).toBe(false);
});

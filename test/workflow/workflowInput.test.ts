import path from 'node:path';
import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { loadConfigFile } from '../../lib/config';
import { backfill, scheduledSegmentationRun, segmentationRun } from '../../workflows';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

const settings = loadConfigFile(path.join(__dirname, '..', 'fixtures', 'handmade', 'segflow.config.json'));
const outDir = '/tmp/segflow-never-written';

type StartOptions = { taskQueue: string; workflowExecutionTimeout: number };

let temporal: TestTemporal;

beforeAll(async () => {
  temporal = await startTestTemporal();
});

afterAll(async () => {
  await temporal.stop();
});

/**
 * Starts a workflow with a bad input and returns how it failed. The execution timeout only bounds the test: a
 * workflow whose task fails is retried until it, and then fails with a timeout instead of the input's fault.
 */
async function failureOf(start: (options: StartOptions) => Promise<unknown>) {
  const started = Date.now();
  const error = await start({ taskQueue: temporal.endpoint.taskQueue, workflowExecutionTimeout: 30_000 }).then(
    () => null,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(WorkflowFailedError);
  return { cause: (error as WorkflowFailedError).cause, seconds: (Date.now() - started) / 1000 };
}

test.each([
  [
    'segmentationRun',
    (options: StartOptions) =>
      temporal.client.workflow.execute(segmentationRun, {
        ...options,
        workflowId: 'segflow-bad-input-run',
        args: [{ runDate: '2026-13-45', outDir, settings }],
      }),
    'runDate: not a calendar date in the form YYYY-MM-DD',
  ],
  [
    'backfill',
    (options: StartOptions) =>
      temporal.client.workflow.execute(backfill, {
        ...options,
        workflowId: 'segflow-bad-input-backfill',
        args: [{ from: '2024-06-30', to: '2024-06-01', outDir, settings, concurrency: 0, force: false }],
      }),
    'concurrency: ',
  ],
  [
    'scheduledSegmentationRun',
    (options: StartOptions) =>
      temporal.client.workflow.execute(scheduledSegmentationRun, {
        ...options,
        workflowId: 'segflow-bad-input-scheduled',
        args: [{ outDir, settingsSource: { kind: 'folder', path: '/data' } } as never],
      }),
    'settingsSource.kind: ',
  ],
])('%s with an invalid input fails at once, naming the field, instead of retrying its task', async (workflow, start, field) => {
  const { cause, seconds } = await failureOf(start);
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect(cause).toMatchObject({ type: 'InvalidWorkflowInput', nonRetryable: true });
  expect(cause!.message).toContain(`the input of the ${workflow} workflow is invalid`);
  expect(cause!.message).toContain(field);
  expect(seconds).toBeLessThan(20);
});

test('a backfill whose range ends before it starts names the field', async () => {
  const { cause } = await failureOf((options) =>
    temporal.client.workflow.execute(backfill, {
      ...options,
      workflowId: 'segflow-bad-input-range',
      args: [{ from: '2024-06-30', to: '2024-06-01', outDir, settings, concurrency: 2, force: false }],
    }),
  );
  expect(cause!.message).toContain('to: the range ends before it starts');
});

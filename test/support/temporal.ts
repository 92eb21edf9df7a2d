import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { connectClient, connectWorkerConnection, logTemporalWarningsOnly, type TemporalEndpoint } from '../../lib/temporalConnection';
import type { SegmentationRunInput, SegmentationRunResult } from '../../schemas/run';
import { segmentationRun, segmentationRunId } from '../../workflows';
import { createWorker } from '../../worker';

/** A client and a worker on the test run's dev server (test/globalSetup.ts), on a task queue of their own. */
export interface TestTemporal {
  client: Client;
  endpoint: TemporalEndpoint;
  run(input: SegmentationRunInput): Promise<SegmentationRunResult>;
  /** Shuts the worker down (as a deploy or a crash would) and starts a fresh one on the same task queue. */
  restartWorker(): Promise<void>;
  /** A second worker, on another task queue, until its stop(). */
  workerOn(taskQueue: string): Promise<{ stop(): Promise<void> }>;
  stop(): Promise<void>;
}

export async function startTestTemporal(): Promise<TestTemporal> {
  const address = process.env.TEMPORAL_TEST_ADDRESS;
  if (!address) throw new Error('TEMPORAL_TEST_ADDRESS is unset: run the tests through jest (test/globalSetup.ts)');
  logTemporalWarningsOnly();
  const endpoint: TemporalEndpoint = { address, namespace: 'default', taskQueue: `segflow-test-${randomUUID()}` };
  const connection: NativeConnection = await connectWorkerConnection(endpoint);
  let worker: Worker = await createWorker(connection, endpoint);
  let running = worker.run();
  const client = await connectClient(endpoint);
  return {
    client,
    endpoint,
    run: (input) =>
      client.workflow.execute(segmentationRun, {
        workflowId: segmentationRunId(input.runDate),
        taskQueue: endpoint.taskQueue,
        args: [input],
      }),
    async restartWorker() {
      worker.shutdown();
      await running;
      worker = await createWorker(connection, endpoint);
      running = worker.run();
    },
    async workerOn(taskQueue) {
      const other = await createWorker(connection, { ...endpoint, taskQueue });
      const otherRunning = other.run();
      return {
        async stop() {
          other.shutdown();
          await otherRunning;
        },
      };
    },
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
      await client.connection.close();
    },
  };
}

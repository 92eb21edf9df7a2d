import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { connectClient, connectWorkerConnection, logTemporalWarningsOnly } from '../../lib/temporalConnection';

// In a backfill a child can close (fail, or be terminated) in the same moment as the date before it settles,
// and the backfill then signals a closed workflow. That race cannot be staged on demand, so this test signals a
// child that has certainly closed, through the backfill's own signalChild.
test("signalling a child run that has already closed does not fail its parent", async () => {
  logTemporalWarningsOnly();
  const endpoint = { address: process.env.TEMPORAL_TEST_ADDRESS!, namespace: 'default', taskQueue: `segflow-test-${randomUUID()}` };
  const connection = await connectWorkerConnection(endpoint);
  const client = await connectClient(endpoint);
  try {
    const worker = await Worker.create({
      connection,
      taskQueue: endpoint.taskQueue,
      workflowsPath: require.resolve('../support/closedChildWorkflows'),
    });
    const parent = client.workflow.execute('signalAClosedChild', {
      taskQueue: endpoint.taskQueue,
      workflowId: `segflow-test-parent-${randomUUID()}`,
      args: [`segflow-test-closed-child-${randomUUID()}`],
      workflowExecutionTimeout: 30_000, // a failed workflow task would otherwise be retried until the test times out
    });
    await expect(worker.runUntil(parent)).resolves.toBe('signalled');
  } finally {
    await client.connection.close();
    await connection.close();
  }
});

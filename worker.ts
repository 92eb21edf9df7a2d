import { NativeConnection, Worker } from '@temporalio/worker';
import * as activities from './activities';
import { ConfigError } from './lib/config';
import { connectWorkerConnection, endpointFromEnv, maxConcurrentActivitiesFromEnv, type TemporalEndpoint } from './lib/temporalConnection';

/** A worker that runs segflow's workflows and activities on one task queue. */
export async function createWorker(connection: NativeConnection, endpoint: TemporalEndpoint): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: endpoint.namespace,
    taskQueue: endpoint.taskQueue,
    workflowsPath: require.resolve('./workflows'),
    activities,
    maxConcurrentActivityTaskExecutions: maxConcurrentActivitiesFromEnv(),
    // Heartbeats reach the server every 5 s rather than every 24 s (0.8 × the timeout), and with their replies a
    // cancellation: a cancelled stage stops within seconds.
    maxHeartbeatThrottleInterval: '5 seconds',
  });
}

/** Runs a worker against the cluster named by TEMPORAL_ADDRESS until SIGINT or SIGTERM. */
export async function runWorker(): Promise<void> {
  const endpoint = endpointFromEnv();
  if (!endpoint) {
    throw new ConfigError(
      'TEMPORAL_ADDRESS is not set: a standalone worker needs a Temporal server to poll ' +
        '(for example TEMPORAL_ADDRESS=localhost:7233). `npx segflow run` without it starts its own server and worker.',
    );
  }
  const connection = await connectWorkerConnection(endpoint);
  try {
    const worker = await createWorker(connection, endpoint);
    console.log(`segflow worker polling task queue '${endpoint.taskQueue}' in namespace '${endpoint.namespace}' at ${endpoint.address}`);
    await worker.run(); // the SDK shuts the worker down gracefully on SIGINT / SIGTERM
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  runWorker().catch((error: Error) => {
    console.error(`segflow worker stopped: ${error.message}`);
    process.exit(1);
  });
}

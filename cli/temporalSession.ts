import path from 'node:path';
import type { Client } from '@temporalio/client';
import { startDevServer } from '../lib/devServer';
import { UsageError } from './args';
import {
  connectClient,
  DEFAULT_TASK_QUEUE,
  connectWorkerConnection,
  endpointFromEnv,
  logTemporalWarningsOnly,
  type TemporalEndpoint,
} from '../lib/temporalConnection';
import { createWorker } from '../worker';

export interface TemporalSession {
  client: Client;
  endpoint: TemporalEndpoint;
  uiUrl: string | null;
}

/** Where the embedded dev server keeps its history, so past runs stay visible in the Web UI. */
export function stateDir(): string {
  return path.resolve(process.env.SEGFLOW_STATE_DIR ?? '.segflow');
}

export const DEV_SERVER_PORT = 7233;
export const DEV_UI_PORT = 8233;

/** A client of a server that should already be running; if none answers, a usage error that says what to do. */
async function connectToRunningServer(endpoint: TemporalEndpoint, whatToDo: string): Promise<Client> {
  try {
    return await connectClient(endpoint);
  } catch (error) {
    throw new UsageError(`no Temporal server answers at ${endpoint.address} (${(error as Error).message}). ${whatToDo}`);
  }
}

/**
 * Runs `work` against a server that outlives the command: the cluster in TEMPORAL_ADDRESS, or else the local
 * `segflow server`. Schedules live there; an embedded server stopped after the command could never fire them.
 */
export async function withRunningServer<T>(work: (session: TemporalSession) => Promise<T>): Promise<T> {
  const remote = endpointFromEnv();
  const endpoint = remote ?? { address: `localhost:${DEV_SERVER_PORT}`, namespace: 'default', taskQueue: DEFAULT_TASK_QUEUE };
  const client = await connectToRunningServer(
    endpoint,
    "Start one with 'segflow server' in another terminal, or set TEMPORAL_ADDRESS to your cluster.",
  );
  try {
    const uiUrl = process.env.TEMPORAL_UI_URL ?? (remote ? null : `http://localhost:${DEV_UI_PORT}`);
    return await work({ client, endpoint, uiUrl });
  } finally {
    await client.connection.close();
  }
}

/**
 * Runs `work` against the cluster in TEMPORAL_ADDRESS (workers are someone else's job there), or else against
 * an embedded dev server with an in-process worker, both stopped afterwards.
 */
export async function withTemporal<T>(log: (line: string) => void, work: (session: TemporalSession) => Promise<T>): Promise<T> {
  const remote = endpointFromEnv();
  if (remote) {
    const client = await connectToRunningServer(
      remote,
      'Check TEMPORAL_ADDRESS and its TLS or API-key settings, or unset it to run on a local dev server.',
    );
    try {
      return await work({ client, endpoint: remote, uiUrl: process.env.TEMPORAL_UI_URL ?? null });
    } finally {
      await client.connection.close();
    }
  }

  logTemporalWarningsOnly();
  const dbFile = path.join(stateDir(), 'temporal.sqlite');
  log(`Starting a Temporal dev server (history kept in ${path.relative(process.cwd(), dbFile) || dbFile})`);
  const server = await startDevServer({ dbFile, port: DEV_SERVER_PORT, uiPort: DEV_UI_PORT, log });
  const workerConnection = await connectWorkerConnection(server.endpoint);
  const client = await connectClient(server.endpoint);
  try {
    const worker = await createWorker(workerConnection, server.endpoint);
    return await worker.runUntil(work({ client, endpoint: server.endpoint, uiUrl: server.uiUrl }));
  } finally {
    await client.connection.close();
    await workerConnection.close();
    await server.stop();
  }
}

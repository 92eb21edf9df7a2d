import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { ConfigError } from './config';

/** The task queue our workers poll; one per deployment unless TEMPORAL_TASK_QUEUE says otherwise. */
export const DEFAULT_TASK_QUEUE = 'segflow';

export interface TemporalEndpoint {
  address: string;
  namespace: string;
  taskQueue: string;
  tls?: { clientCertPair: { crt: Buffer; key: Buffer }; serverRootCACertificate?: Buffer } | true;
  apiKey?: string;
}

function readPem(variable: string): Buffer {
  const file = process.env[variable]!;
  try {
    return readFileSync(file);
  } catch (error) {
    throw new ConfigError(`${variable}=${file} cannot be read: ${(error as Error).message}`);
  }
}

/**
 * A Temporal cluster named by the environment (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE,
 * TEMPORAL_TLS_CERT + TEMPORAL_TLS_KEY [+ TEMPORAL_TLS_CA] for mTLS, TEMPORAL_API_KEY for API-key auth),
 * or undefined when TEMPORAL_ADDRESS is unset and we should run our own dev server.
 */
export function endpointFromEnv(): TemporalEndpoint | undefined {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) return undefined;
  const endpoint: TemporalEndpoint = {
    address,
    namespace: process.env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: process.env.TEMPORAL_TASK_QUEUE || DEFAULT_TASK_QUEUE,
  };
  if (process.env.TEMPORAL_TLS_CERT || process.env.TEMPORAL_TLS_KEY) {
    if (!process.env.TEMPORAL_TLS_CERT || !process.env.TEMPORAL_TLS_KEY) {
      throw new ConfigError('mTLS needs both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY (paths to PEM files)');
    }
    endpoint.tls = {
      clientCertPair: { crt: readPem('TEMPORAL_TLS_CERT'), key: readPem('TEMPORAL_TLS_KEY') },
      serverRootCACertificate: process.env.TEMPORAL_TLS_CA ? readPem('TEMPORAL_TLS_CA') : undefined,
    };
  }
  if (process.env.TEMPORAL_API_KEY) {
    endpoint.apiKey = process.env.TEMPORAL_API_KEY;
    endpoint.tls ??= true;
  }
  return endpoint;
}

/** Activities one worker runs at once unless SEGFLOW_MAX_CONCURRENT_ACTIVITIES says otherwise. */
export const DEFAULT_MAX_CONCURRENT_ACTIVITIES = 2;

/**
 * How many activities a worker runs at once (SEGFLOW_MAX_CONCURRENT_ACTIVITIES): each data stage holds a DuckDB
 * session that may use its whole memory limit, so two runs on one worker must not start every stage at once.
 */
export function maxConcurrentActivitiesFromEnv(): number {
  const raw = process.env.SEGFLOW_MAX_CONCURRENT_ACTIVITIES;
  if (raw === undefined || raw === '') return DEFAULT_MAX_CONCURRENT_ACTIVITIES;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new ConfigError(`SEGFLOW_MAX_CONCURRENT_ACTIVITIES must be a positive whole number (activities a worker runs at once), got '${raw}'`);
  }
  return Number(raw);
}

function connectionOptions(endpoint: TemporalEndpoint): Pick<TemporalEndpoint, 'address' | 'tls' | 'apiKey'> {
  return { address: endpoint.address, tls: endpoint.tls, apiKey: endpoint.apiKey };
}

export async function connectClient(endpoint: TemporalEndpoint): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(endpoint));
  return new Client({ connection, namespace: endpoint.namespace });
}

export async function connectWorkerConnection(endpoint: TemporalEndpoint): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(endpoint));
}

/**
 * Shows only the SDK's warnings and errors: an in-process worker's INFO lines would drown the run's own
 * progress output. Must run before the first connection; a second call changes nothing.
 */
export function logTemporalWarningsOnly(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // The runtime is already installed: keep it.
  }
}

import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { claimDevServerState, waitingMessage } from './devServerLock';
import { findTemporalCli } from './temporalCli';
import { DEFAULT_TASK_QUEUE, type TemporalEndpoint } from './temporalConnection';

export interface DevServer {
  endpoint: TemporalEndpoint;
  /** The Web UI, when started with one. */
  uiUrl: string | null;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  /** SQLite file that keeps workflow history across restarts; in-memory when omitted. */
  dbFile?: string;
  /** Start the Web UI, preferably on this port. */
  uiPort?: number;
  /** Preferred gRPC port; any free port when omitted or taken. */
  port?: number;
  log?: (message: string) => void;
}

/** The preferred port when it is free on localhost, otherwise one the OS picks. */
async function freePort(preferred?: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const address = server.address() as net.AddressInfo;
        server.close(() => resolve(address.port));
      });
    });
  return (preferred !== undefined && (await tryListen(preferred))) || (await tryListen(0))!;
}

/**
 * A task queue's default four partitions let an activity that waits for a free worker slot sit in a partition
 * no poller is on: measured, a stage started 2 s after a slot freed. One worker process serves a dev server, so
 * one partition loses nothing. (A cluster's equivalent is in temporal-dynamic-config.yaml.)
 */
const ONE_PARTITION_PER_TASK_QUEUE = ['matching.numTaskqueueReadPartitions=1', 'matching.numTaskqueueWritePartitions=1'].flatMap(
  (setting) => ['--dynamic-config-value', setting],
);

/** Starts the Temporal CLI dev server (see temporalCli.ts for how the binary is found). */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const executable = findTemporalCli(options.log);
  let release = () => {};
  if (options.dbFile) {
    mkdirSync(path.dirname(options.dbFile), { recursive: true });
    const dbFile = options.dbFile;
    const say = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
    release = await claimDevServerState(dbFile, (holder) => say(waitingMessage(dbFile, holder)));
  }
  try {
    const port = await freePort(options.port);
    const uiPort = options.uiPort === undefined ? undefined : await freePort(options.uiPort);
    const environment = await TestWorkflowEnvironment.createLocal({
      server: {
        executable,
        ip: '127.0.0.1',
        port,
        dbFilename: options.dbFile,
        ui: uiPort !== undefined,
        uiPort,
        extraArgs: ONE_PARTITION_PER_TASK_QUEUE,
      },
    });
    return {
      endpoint: { address: `127.0.0.1:${port}`, namespace: 'default', taskQueue: DEFAULT_TASK_QUEUE },
      uiUrl: uiPort === undefined ? null : `http://127.0.0.1:${uiPort}`,
      stop: async () => {
        try {
          await environment.teardown();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

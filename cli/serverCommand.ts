import path from 'node:path';
import { startDevServer } from '../lib/devServer';
import { connectWorkerConnection, logTemporalWarningsOnly } from '../lib/temporalConnection';
import { createWorker } from '../worker';
import type { Command } from './args';
import { DEV_SERVER_PORT, DEV_UI_PORT, stateDir } from './temporalSession';

export const serverCommand: Command = {
  name: 'server',
  summary: 'Run the local Temporal dev server with a segflow worker until Ctrl-C: schedules fire, past runs show in the Web UI.',
  usage: 'segflow server',
  options: {},
  help: { '-h, --help': 'show this help' },
  async run() {
    const log = (line: string) => process.stderr.write(`${line}\n`);
    logTemporalWarningsOnly();
    const server = await startDevServer({ dbFile: path.join(stateDir(), 'temporal.sqlite'), port: DEV_SERVER_PORT, uiPort: DEV_UI_PORT, log });
    const connection = await connectWorkerConnection(server.endpoint);
    try {
      const worker = await createWorker(connection, server.endpoint);
      log(`Temporal dev server at ${server.endpoint.address} with a segflow worker on task queue '${server.endpoint.taskQueue}'; ` +
        `Web UI at ${server.uiUrl}. Ctrl-C stops both.`);
      await worker.run(); // returns once Ctrl-C (SIGINT) or SIGTERM has shut the worker down gracefully
    } finally {
      await connection.close();
      await server.stop();
    }
    return 0;
  },
};

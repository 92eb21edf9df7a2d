import path from 'node:path';
import { startDevServer } from '../lib/devServer';
import type { Command } from './args';
import { DEV_SERVER_PORT, DEV_UI_PORT, stateDir } from './temporalSession';

export const serverCommand: Command = {
  name: 'server',
  summary: 'Start the local Temporal dev server on the history of past `segflow run`s, to browse them in the Web UI.',
  usage: 'segflow server',
  options: {},
  help: { '-h, --help': 'show this help' },
  async run() {
    const log = (line: string) => process.stderr.write(`${line}\n`);
    const server = await startDevServer({ dbFile: path.join(stateDir(), 'temporal.sqlite'), port: DEV_SERVER_PORT, uiPort: DEV_UI_PORT, log });
    log(`Temporal dev server at ${server.endpoint.address}; Web UI at ${server.uiUrl}. Ctrl-C stops it.`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.stop();
    return 0;
  },
};

import { runWorker } from '../worker';
import type { Command } from './args';

export const workerCommand: Command = {
  name: 'worker',
  summary: 'Run a segflow worker against the Temporal cluster in TEMPORAL_ADDRESS until stopped (Ctrl-C).',
  usage: 'TEMPORAL_ADDRESS=host:7233 segflow worker',
  options: {},
  help: {
    'TEMPORAL_ADDRESS': 'host:port of the Temporal frontend (required)',
    'TEMPORAL_NAMESPACE': 'namespace (default: default)',
    'TEMPORAL_TASK_QUEUE': 'task queue (default: segflow)',
    'TEMPORAL_TLS_CERT/KEY': 'client certificate and key (PEM files) for mTLS; TEMPORAL_TLS_CA for a private CA',
    'TEMPORAL_API_KEY': 'API key (Temporal Cloud)',
    '-h, --help': 'show this help',
  },
  async run() {
    await runWorker();
    return 0;
  },
};

import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { runDatesBetween } from '../lib/runDate';
import type { BackfillProgress, BackfillResult } from '../schemas/run';
import { backfill, backfillId, backfillProgressQuery } from '../workflows';
import { dateOption, numberOption, UsageError, type Command } from './args';
import { failureMessage } from './failureMessage';
import { INPUT_HELP, INPUT_OPTIONS, settingsFrom, writableOutDirFrom } from './inputOptions';
import { pollUntilSettled } from './pollUntilSettled';
import { backfillProgressLine } from './progressBar';
import { table } from './table';
import { withTemporal } from './temporalSession';

const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Shows the backfill's progress until it ends: a bar redrawn in place on a terminal, a new line whenever
 * something changes otherwise (CI logs, files).
 */
async function followBackfill(handle: WorkflowHandle<typeof backfill>, done: Promise<BackfillResult>): Promise<void> {
  let lastLine = '';
  const draw = (progress: BackfillProgress | null) => {
    const line = progress ? backfillProgressLine(progress) : '';
    if (!line || line === lastLine) return;
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${line}`);
    else log(line);
    lastLine = line;
  };
  await pollUntilSettled(done, async () => draw(await handle.query(backfillProgressQuery).catch(() => null)));
  // The last state, which the polls may have missed: the result, or what a failed backfill's query still answers.
  draw(await done.catch(() => handle.query(backfillProgressQuery).catch(() => null)));
  if (process.stderr.isTTY && lastLine) process.stderr.write('\n');
}

function printBackfillSummary(result: BackfillResult): void {
  const rows: (string | number)[][] = [
    ['dates in range', result.total],
    ['published now', result.published],
    ['already published, skipped', result.skipped],
    ['running elsewhere, not started', result.alreadyRunning.length],
  ];
  process.stdout.write(`\nBackfill ${result.from} .. ${result.to} done.\n${table(rows)}\n`);
  if (result.alreadyRunning.length > 0) {
    process.stdout.write(`Dates that were already running outside this backfill: ${result.alreadyRunning.join(', ')}.\n`);
  }
}

export const backfillCommand: Command = {
  name: 'backfill',
  summary: 'Rebuild the snapshots of a range of past run dates, several at a time, resumably.',
  usage: 'segflow backfill --from YYYY-MM-DD --to YYYY-MM-DD [--concurrency N] [--force] [--data DIR | --config FILE] [--out DIR]',
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    concurrency: { type: 'string' },
    force: { type: 'boolean' },
    ...INPUT_OPTIONS,
  },
  help: {
    '--from YYYY-MM-DD': 'first run date of the range (required)',
    '--to YYYY-MM-DD': 'last run date of the range, included (required)',
    '--concurrency N': 'run at most N dates at once (default: 2, one per core of a small worker)',
    '--force': 're-run dates that are already published (default: skip them)',
    ...INPUT_HELP,
    '-h, --help': 'show this help',
  },
  async run(values) {
    const [from, to] = [dateOption(values, 'from'), dateOption(values, 'to')];
    if (!from || !to) throw new UsageError('--from and --to are required, e.g. --from 2024-01-01 --to 2024-12-31');
    if (to < from) throw new UsageError(`--to ${to} is before --from ${from}`);
    const concurrency = numberOption(values, 'concurrency', 2);
    if (concurrency < 1 || concurrency > 32) throw new UsageError(`--concurrency must be between 1 and 32, got ${concurrency}`);
    const settings = settingsFrom(values);
    const outDir = await writableOutDirFrom(values);
    const total = runDatesBetween(from, to).length;

    return withTemporal(log, async ({ client, endpoint, uiUrl }) => {
      const workflowId = backfillId(from, to);
      let handle: WorkflowHandle<typeof backfill>;
      try {
        handle = await client.workflow.start(backfill, {
          workflowId,
          taskQueue: endpoint.taskQueue,
          args: [{ from, to, outDir, settings, concurrency, force: Boolean(values.force) }],
        });
        log(`segflow backfill ${from} .. ${to}: ${total} dates, at most ${concurrency} at a time (workflow ${workflowId})`);
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        // An interrupted backfill of this range is still open: follow it to the end rather than start over.
        handle = client.workflow.getHandle(workflowId);
        log(`A backfill of ${from} .. ${to} is already running (workflow ${workflowId}); following it.`);
      }
      if (uiUrl) log(`Follow it in the Temporal Web UI: ${uiUrl}/namespaces/${endpoint.namespace}/workflows/${workflowId}`);
      const result: Promise<BackfillResult> = handle.result();
      await followBackfill(handle, result);
      try {
        printBackfillSummary(await result);
        return 0;
      } catch (error) {
        if (!(error instanceof WorkflowFailedError)) throw error;
        log(failureMessage(`The backfill ${from} .. ${to}`, error));
        return 1;
      }
    });
  },
};

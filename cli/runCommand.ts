import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  type WorkflowHandle,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import { latestOrderDate } from '../lib/latestOrderDate';
import { yesterdayIn } from '../lib/runDate';
import { STAGES, type RunProgress, type RunSettings, type SegmentationRunResult, type StageTiming } from '../schemas/run';
import { progressQuery, segmentationRun, segmentationRunId } from '../workflows';
import { dateOption, type Command } from './args';
import { failureMessage } from './failureMessage';
import { pollUntilSettled } from './pollUntilSettled';
import { INPUT_HELP, INPUT_OPTIONS, settingsFrom, usesBundledSample, writableOutDirFrom } from './inputOptions';
import { printSummary } from './summary';
import { withTemporal } from './temporalSession';

const log = (line: string) => process.stderr.write(`${line}\n`);

/** The date asked for; else the newest order's date for the bundled sample; else yesterday in the business zone. */
export async function runDateFrom(values: Record<string, unknown>, settings: RunSettings): Promise<string> {
  const asked = dateOption(values, 'date');
  if (asked) return asked;
  if (usesBundledSample(values)) {
    const latest = await latestOrderDate(settings);
    if (latest) return latest;
  }
  return yesterdayIn(settings.businessTimeZone);
}

/** Wide enough for every stage's name, so that the seconds line up. */
const STAGE_WIDTH = Math.max(...STAGES.map((stage) => stage.length));
const printStage = (stage: StageTiming) => log(`  ✓ ${stage.stage.padEnd(STAGE_WIDTH)} ${stage.seconds.toFixed(1).padStart(6)} s`);

/** Prints each stage as it completes, by polling the workflow's progress query; returns how many it printed. */
async function followProgress(handle: WorkflowHandle<typeof segmentationRun>, done: Promise<unknown>): Promise<number> {
  let printed = 0;
  await pollUntilSettled(done, async () => {
    try {
      const progress: RunProgress = await handle.query(progressQuery);
      progress.completed.slice(printed).forEach(printStage);
      printed = progress.completed.length;
    } catch {
      // The first query can race the first workflow task; the next poll catches up.
    }
  });
  return printed;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'Run one daily segmentation for a run date and publish its Parquet snapshot.',
  usage: 'segflow run [--date YYYY-MM-DD] [--allow-drop] [--data DIR | --config FILE] [--out DIR]',
  options: { date: { type: 'string' }, 'allow-drop': { type: 'boolean' }, ...INPUT_OPTIONS },
  help: {
    '--date YYYY-MM-DD': 'run date; the run sees data up to the end of this day in the business time zone ' +
      '(default: the newest order date of the bundled sample, else yesterday)',
    '--allow-drop': 'publish even if the customers scored fell by more than guards.maxScoredDrop (default 50%) since the previous date',
    ...INPUT_HELP,
    '-h, --help': 'show this help',
  },
  async run(values) {
    const settings = settingsFrom(values);
    const runDate = await runDateFrom(values, settings);
    const outDir = await writableOutDirFrom(values);
    return withTemporal(log, async ({ client, endpoint, uiUrl }) => {
      const workflowId = segmentationRunId(runDate);
      let handle: WorkflowHandleWithFirstExecutionRunId<typeof segmentationRun>;
      try {
        handle = await client.workflow.start(segmentationRun, {
          workflowId,
          taskQueue: endpoint.taskQueue,
          args: [{ runDate, outDir, settings, allowDrop: Boolean(values['allow-drop']) }],
        });
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) {
          log(`A run for ${runDate} is already in progress (workflow ${workflowId}); not starting a second one. ` +
            'Wait for it, or follow it in the Temporal Web UI.');
          return 2;
        }
        throw error;
      }
      log(`segflow run ${runDate}: workflow ${workflowId}, run ${handle.firstExecutionRunId}`);
      if (uiUrl) log(`Follow it in the Temporal Web UI: ${uiUrl}/namespaces/${endpoint.namespace}/workflows/${workflowId}`);
      const result: Promise<SegmentationRunResult> = handle.result();
      const printed = await followProgress(handle, result);
      try {
        const finished = await result;
        finished.stages.slice(printed).forEach(printStage);
        printSummary(finished, process.stdout);
        return 0;
      } catch (error) {
        if (error instanceof WorkflowFailedError) {
          log(failureMessage(`The run for ${runDate}`, error));
          return 1;
        }
        throw error;
      }
    });
  },
};

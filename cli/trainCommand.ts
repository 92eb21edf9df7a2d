import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import { modelsRoot } from '../lib/modelStore';
import { publishedRunDates } from '../lib/snapshots';
import { MODEL_NAMES, type ModelName, type RunSettings, type TrainedModelOutcome, type TrainModelsResult } from '../schemas/run';
import { trainModels, trainModelsId } from '../workflows';
import { dateOption, UsageError, type Command } from './args';
import { failureMessage } from './failureMessage';
import { INPUT_HELP, INPUT_OPTIONS, settingsFrom, writableOutDirFrom } from './inputOptions';
import { runDateFrom } from './runCommand';
import { shownPath } from './shownPath';
import { table } from './table';
import { withTemporal } from './temporalSession';

const log = (line: string) => process.stderr.write(`${line}\n`);

function modelsFrom(values: Record<string, unknown>): ModelName[] {
  const asked = values.model;
  if (asked === undefined) return [...MODEL_NAMES];
  if (!MODEL_NAMES.includes(asked as ModelName)) {
    throw new UsageError(`--model must be one of ${MODEL_NAMES.join(', ')}, got '${String(asked)}'`);
  }
  return [asked as ModelName];
}

/**
 * The date asked for; else the newest published run date, whose data is complete (a live export's newest order
 * date is often today, still filling up); else, with nothing published, the date `segflow run` would take.
 */
async function asOfFrom(values: Record<string, unknown>, outDir: string, settings: RunSettings): Promise<string> {
  return dateOption(values, 'date') ?? (await publishedRunDates(outDir)).at(-1) ?? (await runDateFrom(values, settings));
}

function outcomeRow({ model, use, fallbackReasons }: TrainedModelOutcome, asOf: string): string[] {
  if (!use) return [model, '-', `not trained: ${fallbackReasons.join('; ')}`];
  if (use.refitted) return [model, use.version, `new version; runs for ${asOf} and later score with it`];
  return [model, use.version, `kept: trained as of ${asOf} with this configuration already (versions never change)`];
}

export const trainCommand: Command = {
  name: 'train',
  summary: 'Train models as of a date whatever their refit policy says, and store them as new versions.',
  usage: 'segflow train [--model clustering|clv|churn] [--date YYYY-MM-DD] [--data DIR | --config FILE] [--out DIR]',
  options: { model: { type: 'string' }, date: { type: 'string' }, ...INPUT_OPTIONS },
  help: {
    '--model NAME': 'clustering, clv (lifetime value) or churn (default: all three)',
    '--date YYYY-MM-DD': 'train on the data known by the end of this day (default: the newest published run date in --out, ' +
      "else the date 'segflow run' would take)",
    ...INPUT_HELP,
    '-h, --help': 'show this help',
  },
  async run(values) {
    const models = modelsFrom(values);
    const settings = settingsFrom(values);
    const outDir = await writableOutDirFrom(values);
    const asOf = await asOfFrom(values, outDir, settings);
    return withTemporal(log, async ({ client, endpoint }) => {
      const workflowId = trainModelsId(asOf);
      let result: Promise<TrainModelsResult>;
      try {
        const handle = await client.workflow.start(trainModels, { workflowId, taskQueue: endpoint.taskQueue, args: [{ asOf, outDir, settings, models }] });
        result = handle.result();
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        log(`A training as of ${asOf} is already in progress (workflow ${workflowId}); not starting a second one.`);
        return 2;
      }
      log(`segflow train ${models.join(', ')} as of ${asOf}: workflow ${workflowId}`);
      try {
        const finished = await result;
        process.stdout.write(`\nModels as of ${asOf}, in ${shownPath(modelsRoot(outDir))}:\n${table(finished.models.map((m) => outcomeRow(m, asOf)))}\n`);
        return finished.models.every((m) => m.use) ? 0 : 1;
      } catch (error) {
        if (!(error instanceof WorkflowFailedError)) throw error;
        log(failureMessage(`Training as of ${asOf}`, error));
        return 1;
      }
    });
  },
};

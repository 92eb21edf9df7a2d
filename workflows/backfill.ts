import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  ContinueAsNew,
  continueAsNew,
  defineQuery,
  setHandler,
  startChild,
  workflowInfo,
  type ChildWorkflowHandle,
  type SignalDefinition,
} from '@temporalio/workflow';
import { innermostCause } from '../lib/innermostCause';
import { runDatesBetween } from '../lib/runDate';
import {
  backfillInputSchema,
  type BackfillCarry,
  type BackfillInput,
  type BackfillProgress,
  type BackfillResult,
} from '../schemas/run';
import { discardStaging, leaseRunDates, releaseRunDates } from './activityStubs';
import { prepareCleanedBase } from './cleanedBase';
import { segmentationRunId } from '../lib/workflowIds';
import type { ModelName } from '../schemas/run';
import { modelSettledSignal, predecessorModelSettledSignal, predecessorSettledSignal } from './backfillSignals';
import { segmentationRun } from './segmentationRun';
import { parseWorkflowInput } from './workflowInput';

export const backfillProgressQuery = defineQuery<BackfillProgress>('backfillProgress');

/** One backfill per range at a time: a second start for the same range is refused while the first runs. */
export function backfillId(from: string, to: string): string {
  return `segflow-backfill-${from}-${to}`;
}

/**
 * Rebuilds the snapshots of every date from `from` to `to`: ingests and cleans the inputs once, then runs each
 * date as a child segmentation run (workflow id segflow-run-D) cut from that base, at most `concurrency` at a
 * time, oldest first. Published dates are skipped unless forced. Dates whose run fails are reported and the
 * others go on; the backfill fails at the end naming them. Continues as new every `datesPerRun` dates.
 * A date waits for the one before it where it reads what that one writes: the backfill relays each date's word
 * that it finished a model stage, or its whole run, to the next date (workflows/backfillSignals.ts).
 */
export async function backfill(rawInput: BackfillInput, carry?: BackfillCarry): Promise<BackfillResult> {
  const input = parseWorkflowInput(backfillInputSchema, rawInput, 'backfill');
  const { from, to, outDir, settings, concurrency, force, datesPerRun } = input;
  const { workflowId } = workflowInfo();
  const dates = runDatesBetween(from, to);
  const progress: BackfillProgress = carry?.progress ?? {
    from,
    to,
    phase: 'leasing',
    total: dates.length,
    skipped: 0,
    published: 0,
    failed: [],
    alreadyRunning: [],
    running: [],
    continuedAsNew: 0,
  };
  setHandler(backfillProgressQuery, () => progress);
  let base = carry?.base ?? null;

  try {
    let pending: string[];
    if (carry) {
      pending = carry.pending;
    } else {
      const { published } = await leaseRunDates({ outDir, holder: workflowId, from, to });
      pending = dates.filter((date) => force || !published.includes(date));
      progress.skipped = progress.total - pending.length;
      if (pending.length > 0) {
        progress.phase = 'ingest and clean';
        base = await prepareCleanedBase(settings, `${outDir}/_staging/backfill/${workflowId}`, to);
      }
    }

    progress.phase = 'running dates';
    const handles = new Map<string, ChildWorkflowHandle<typeof segmentationRun>>();
    const isRunning = (date: string) => progress.running.includes(date);
    const successorOf = new Map<string, string>();
    /** The model stages each running date has finished, for a successor started after it finished them. */
    const modelsSettled = new Map<string, ModelName[]>();
    let previousDate: string | null = null;
    let startedThisRun = 0;
    const successorHandle = (runDate: string) => handles.get(successorOf.get(runDate) ?? '');

    setHandler(modelSettledSignal, (runDate, model) => {
      modelsSettled.set(runDate, [...(modelsSettled.get(runDate) ?? []), model]);
      const successor = successorHandle(runDate);
      if (successor) void signalChild(successor, predecessorModelSettledSignal, model);
    });

    const settle = (runDate: string) => {
      handles.delete(runDate);
      modelsSettled.delete(runDate);
      progress.running = progress.running.filter((date) => date !== runDate);
      const successor = successorHandle(runDate);
      if (successor) void signalChild(successor, predecessorSettledSignal);
    };

    const startDate = async (runDate: string) => {
      const predecessor = previousDate;
      previousDate = runDate;
      if (predecessor) successorOf.set(predecessor, runDate);
      const awaitPredecessor = predecessor !== null && isRunning(predecessor);
      progress.running.push(runDate);
      let handle: ChildWorkflowHandle<typeof segmentationRun>;
      try {
        handle = await startChild(segmentationRun, {
          workflowId: segmentationRunId(runDate),
          args: [{ runDate, outDir, settings, base: base!, awaitPredecessor, inBackfill: true }],
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        progress.alreadyRunning.push(runDate);
        settle(runDate);
        return;
      }
      handles.set(runDate, handle);
      // The predecessor may have settled, or finished model stages, while this child was being started.
      if (awaitPredecessor && !isRunning(predecessor!)) void signalChild(handle, predecessorSettledSignal);
      else if (awaitPredecessor) for (const model of modelsSettled.get(predecessor!) ?? []) void signalChild(handle, predecessorModelSettledSignal, model);
      handle.result().then(
        () => {
          progress.published += 1;
          settle(runDate);
        },
        (error: Error) => {
          progress.failed.push({ runDate, message: innermostCause(error).message });
          settle(runDate);
        },
      );
    };

    while (pending.length > 0 || progress.running.length > 0) {
      const mayStart = startedThisRun < datesPerRun && !workflowInfo().continueAsNewSuggested;
      if (mayStart && pending.length > 0 && progress.running.length < concurrency) {
        startedThisRun += 1;
        await startDate(pending.shift()!);
        continue;
      }
      if (!mayStart && progress.running.length === 0) {
        progress.continuedAsNew += 1;
        // Children are drained first: a child must not outlive the run that started it.
        await continueAsNew<typeof backfill>(rawInput, { pending, base, progress });
      }
      const running = progress.running.length;
      await condition(() => progress.running.length < running);
    }
  } catch (error) {
    if (error instanceof ContinueAsNew) throw error;
    progress.phase = 'failed';
    // Also when cancelled: a lease left behind would protect its dates from retention forever.
    await CancellationScope.nonCancellable(() => finish(outDir, workflowId, base));
    throw error;
  }

  await finish(outDir, workflowId, base);
  if (progress.failed.length > 0) {
    progress.phase = 'failed';
    const dates = progress.failed.map((f) => `${f.runDate} (${f.message})`).join('; ');
    throw ApplicationFailure.nonRetryable(
      `${progress.failed.length} of ${progress.total} dates failed: ${dates}. The other dates are published; ` +
        'fix the cause and run the backfill again: published dates are skipped.',
      'BackfillDatesFailed',
    );
  }
  progress.phase = 'done';
  return progress;
}

/**
 * Tells a child run what the date before it has finished. The child may have closed already (it failed, or was
 * terminated) without the backfill having seen it yet: it needs the word no more, and the refused signal must not
 * fail the backfill's workflow task, which would then be retried forever.
 */
export async function signalChild<Args extends unknown[]>(
  child: ChildWorkflowHandle<typeof segmentationRun>,
  signal: SignalDefinition<Args>,
  ...args: Args
): Promise<void> {
  try {
    await child.signal(signal, ...args);
  } catch (error) {
    if (!(error instanceof ApplicationFailure && error.type === 'ExternalWorkflowExecutionNotFound')) throw error;
  }
}

/** Removes the shared base and releases the lease on the backfill's dates. */
async function finish(outDir: string, holder: string, base: BackfillCarry['base']): Promise<void> {
  if (base) await discardStaging({ stagingDir: base.dir });
  await releaseRunDates({ outDir, holder });
}

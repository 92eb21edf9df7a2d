/** Workflows for test/workflow/signals.test.ts's worker: segflow's own, and one that signals a closed child. */
import { startChild } from '@temporalio/workflow';
import { signalChild } from '../../workflows/backfill';
import { predecessorSettledSignal } from '../../workflows/backfillSignals';
import { segmentationRun } from '../../workflows/segmentationRun';

export { segmentationRun };

/** Starts a child run that fails at once (its run date is no date), waits until it has closed, then signals it. */
export async function signalAClosedChild(workflowId: string): Promise<string> {
  const child = await startChild(segmentationRun, { workflowId, args: [{ runDate: 'not a date' } as never] });
  await child.result().catch(() => undefined);
  await signalChild(child, predecessorSettledSignal);
  return 'signalled';
}

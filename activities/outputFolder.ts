import { ApplicationFailure } from '@temporalio/common';
import { outputFolderProblem } from '../lib/outputFolder';

/**
 * Fails at once, without retries, when an activity cannot write where the run publishes or stages: the
 * folder must change, and the same attempt again would only fail again.
 */
export async function assertOutputWritable(dir: string): Promise<void> {
  const problem = await outputFolderProblem(dir);
  if (problem === null) return;
  throw ApplicationFailure.nonRetryable(
    `cannot write to ${dir}: ${problem}. Make the output folder writable for the worker, or give the run another one; nothing was published.`,
    'OutputNotWritable',
  );
}

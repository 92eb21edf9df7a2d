import { ActivityFailure, ApplicationFailure, type WorkflowFailedError } from '@temporalio/client';

/** What failed, where, and what to do: the innermost cause of a failed run, for the person at the terminal. */
export function failureMessage(runDate: string, error: WorkflowFailedError): string {
  let activity: string | undefined;
  let cause: Error | undefined = error.cause;
  while (cause) {
    if (cause instanceof ActivityFailure) activity = cause.activityType;
    if (!cause.cause) break;
    cause = cause.cause as Error;
  }
  const where = activity ? ` in the '${activity}' stage` : '';
  const inputProblem = cause instanceof ApplicationFailure && cause.nonRetryable;
  const advice = inputProblem
    ? 'Fix the input or configuration named above and run the same command again.'
    : 'The stage was retried and still failed; the Temporal Web UI shows every attempt. Rerun the same date once the cause is fixed.';
  return `The run for ${runDate} failed${where}: ${cause?.message ?? error.message}\n${advice}`;
}

import { ActivityFailure, ApplicationFailure, type WorkflowFailedError } from '@temporalio/client';
import { innermostCause } from '../lib/innermostCause';

/**
 * What failed, where, and what to do, for the person at the terminal: `subject` ("The run for 2024-06-30")
 * failed in the innermost activity's stage, with the innermost cause's message.
 */
export function failureMessage(subject: string, error: WorkflowFailedError): string {
  let activity: string | undefined;
  for (let link: unknown = error.cause; link instanceof Error; link = link.cause) {
    if (link instanceof ActivityFailure) activity = link.activityType;
  }
  const cause = innermostCause(error);
  const where = activity ? ` in the '${activity}' stage` : '';
  const inputProblem = cause instanceof ApplicationFailure && cause.nonRetryable;
  const advice = inputProblem
    ? 'Fix the input or configuration named above and run the same command again.'
    : 'The stage was retried and still failed; the Temporal Web UI shows every attempt. Run the same command again once the cause is fixed.';
  return `${subject} failed${where}: ${cause.message}\n${advice}`;
}

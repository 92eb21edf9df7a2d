import type { WorkflowHandle } from '@temporalio/client';

/** The attempt each run of `activity` in a workflow's history ended on, in order: [2] when it ran once, retried once. */
export async function activityAttempts(handle: WorkflowHandle, activity: string): Promise<(number | null | undefined)[]> {
  const { events } = await handle.fetchHistory();
  return events!
    .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activity)
    .map((e) => events!.find((s) => s.activityTaskStartedEventAttributes?.scheduledEventId?.toString() === e.eventId?.toString()))
    .map((started) => started?.activityTaskStartedEventAttributes?.attempt);
}

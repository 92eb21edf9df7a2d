import { SearchAttributeType, WorkflowExecutionAlreadyStartedError, defineSearchAttributeKey } from '@temporalio/common';
import { executeChild, workflowInfo } from '@temporalio/workflow';
import { runDateForScheduledTime } from '../lib/runDate';
import { scheduledRunInputSchema, type ScheduledRunInput, type ScheduledRunResult } from '../schemas/run';
import { loadRunSettings } from './activityStubs';
import { segmentationRunId } from '../lib/workflowIds';
import { segmentationRun } from './segmentationRun';
import { parseWorkflowInput } from './workflowInput';

/** Set by the Temporal Schedule on every action: the time the action was meant for. */
const SCHEDULED_START_TIME = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/**
 * The action of the daily schedule: works out the run date from the action's nominal time (the day before, in
 * the business time zone) and runs that date as the child segflow-run-D. A date that is already running is
 * left to that run: the same date never runs twice at once.
 */
export async function scheduledSegmentationRun(rawInput: ScheduledRunInput): Promise<ScheduledRunResult> {
  const { outDir, settingsSource } = parseWorkflowInput(scheduledRunInputSchema, rawInput, 'scheduledSegmentationRun');
  const settings = await loadRunSettings(settingsSource);
  const info = workflowInfo();
  const nominalTime = info.typedSearchAttributes.get(SCHEDULED_START_TIME) ?? info.startTime;
  const runDate = runDateForScheduledTime(nominalTime, settings.businessTimeZone);
  try {
    const result = await executeChild(segmentationRun, {
      workflowId: segmentationRunId(runDate),
      args: [{ runDate, outDir, settings }],
    });
    return { runDate, outcome: 'published', manifestPath: result.manifestPath };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { runDate, outcome: 'already running', manifestPath: null };
    throw error;
  }
}

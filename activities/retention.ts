import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { readLeases } from '../lib/leases';
import { datesToRemove } from '../lib/retention';
import { publishedRunDates } from '../lib/snapshots';
import { removeSnapshot } from '../lib/snapshotVersions';
import { removeStaleStaging, type StagingFolder } from '../lib/stagingFolders';
import type { RetentionPolicy } from '../schemas/config';
import { segmentationRunId } from '../lib/workflowIds';

export interface RetentionInput {
  outDir: string;
  policy: RetentionPolicy;
  /** The run date this run has just published: always kept, however old. */
  justPublished: string;
}

export interface RetentionResult {
  removed: string[];
  staleStaging: string[];
}

/** A failed run's staging stays a week for inspection unless retention.stagingMaxAgeDays says otherwise. */
const STAGING_MAX_AGE_DAYS = 7;

const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function workflowIsRunning({ workflowId, runId }: StagingFolder): Promise<boolean> {
  if (runId !== null && !RUN_ID.test(runId)) return false; // not named by a run id: no run's folder
  try {
    const { status } = await Context.current().client.workflow.getHandle(workflowId, runId ?? undefined).describe();
    return status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/**
 * Stage 12, after a successful publish: removes the snapshots the retention policy no longer keeps, and the
 * staging folders that failed or crashed runs left behind, once old enough and their workflow closed.
 */
export async function applyRetention({ outDir, policy, justPublished }: RetentionInput): Promise<RetentionResult> {
  const removed = datesToRemove(await publishedRunDates(outDir), policy, await readLeases(outDir), justPublished);
  for (const date of removed) await removeSnapshot(outDir, date);
  const staleStaging = await removeStaleStaging(outDir, policy.stagingMaxAgeDays ?? STAGING_MAX_AGE_DAYS, Date.now(), {
    runWorkflowId: segmentationRunId,
    isRunning: workflowIsRunning,
  });
  return { removed, staleStaging };
}

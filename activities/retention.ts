import { readLeases } from '../lib/leases';
import { datesToRemove } from '../lib/retention';
import { publishedRunDates } from '../lib/snapshots';
import { removeSnapshot } from '../lib/snapshotVersions';
import type { RetentionPolicy } from '../schemas/config';

export interface RetentionInput {
  outDir: string;
  policy: RetentionPolicy;
  /** The run date this run has just published: always kept, however old. */
  justPublished: string;
}

export interface RetentionResult {
  removed: string[];
}

/** Stage 12, after a successful publish: removes the snapshots the retention policy no longer keeps. */
export async function applyRetention({ outDir, policy, justPublished }: RetentionInput): Promise<RetentionResult> {
  const removed = datesToRemove(await publishedRunDates(outDir), policy, await readLeases(outDir), justPublished);
  for (const date of removed) await removeSnapshot(outDir, date);
  return { removed };
}

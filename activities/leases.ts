import { releaseLease, writeLease } from '../lib/leases';
import { previousPublishedRunDate, publishedRunDates } from '../lib/snapshots';
import { assertOutputWritable } from './outputFolder';

export interface LeaseInput {
  outDir: string;
  holder: string;
  from: string;
  to: string;
}

/**
 * Protects a backfill's dates from retention while it runs: the range itself and the snapshot before it,
 * which the first date's segment transitions compare with. Returns the dates already published in the range.
 */
export async function leaseRunDates({ outDir, holder, from, to }: LeaseInput): Promise<{ published: string[] }> {
  await assertOutputWritable(outDir); // the backfill's first write under its output folder
  const previous = await previousPublishedRunDate(outDir, from);
  await writeLease(outDir, { holder, from: previous ?? from, to, createdAt: new Date().toISOString() });
  return { published: (await publishedRunDates(outDir)).filter((date) => from <= date && date <= to) };
}

export async function releaseRunDates({ outDir, holder }: { outDir: string; holder: string }): Promise<void> {
  await releaseLease(outDir, holder);
}

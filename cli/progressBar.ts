import type { BackfillProgress } from '../schemas/run';

/** One line for a backfill's state: `[#####-----] 5/10 dates · 3 running · 0 failed · 2 skipped`. */
export function backfillProgressLine(progress: BackfillProgress, width = 30): string {
  const settledDates = progress.skipped + progress.published + progress.failed.length + progress.alreadyRunning.length;
  const filled = progress.total === 0 ? width : Math.round((settledDates / progress.total) * width);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const parts = [`${settledDates}/${progress.total} dates`, `${progress.running.length} running`, `${progress.failed.length} failed`];
  if (progress.skipped > 0) parts.push(`${progress.skipped} already published`);
  if (progress.alreadyRunning.length > 0) parts.push(`${progress.alreadyRunning.length} running elsewhere`);
  if (progress.phase !== 'running dates') parts.push(progress.phase);
  return `${bar} ${parts.join(' · ')}`;
}

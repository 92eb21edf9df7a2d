import { DateTime } from 'luxon';
import path from 'node:path';
import { quoteLiteral } from '../lib/duckdb';
import { PART_FILE, partitionDir, publishedRunDates } from '../lib/snapshots';

/** Typed and empty, so that a model reads the same columns with no snapshot before this one. */
const NO_PREVIOUS_TARGETS =
  'SELECT NULL::VARCHAR AS member_id, NULL::VARCHAR AS campaign, NULL::VARCHAR AS assignment, NULL::DATE AS run_date WHERE false';

/**
 * The targets published in the `days` before the run date, with the run date that published them: the plan of
 * record that the campaign cooldown and campaign_results read. UNION ALL BY NAME gives snapshots older than the
 * assignment column a NULL assignment (all were contacted, none held out).
 */
export async function previousTargetsQuery(outDir: string, runDate: string, days: number): Promise<string> {
  const since = DateTime.fromISO(runDate).minus({ days }).toISODate()!;
  const dates = (await publishedRunDates(outDir)).filter((date) => date < runDate && date >= since);
  return [
    NO_PREVIOUS_TARGETS,
    ...dates.map(
      (date) =>
        `SELECT COLUMNS(c -> c IN ('member_id', 'campaign', 'assignment')), DATE ${quoteLiteral(date)} AS run_date
         FROM read_parquet(${quoteLiteral(path.join(partitionDir(outDir, 'campaign_targets', date), PART_FILE))})`,
    ),
  ].join('\nUNION ALL BY NAME\n');
}

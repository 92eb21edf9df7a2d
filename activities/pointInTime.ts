import { parquetFile, Warehouse } from '../lib/duckdb';
import { endOfRunDateExclusive } from '../lib/runDate';
import type { CleanedBase, SourceCounts } from '../schemas/run';
import { heartbeatWhile } from './heartbeat';
import type { StageInput } from './stageInput';
import { stagingFile } from './staging';

export interface PointInTimeInput extends StageInput {
  base: CleanedBase;
}

export interface PointInTimeResult {
  sources: SourceCounts[];
}

/**
 * Stage 3: the run date's view of the cleaned base. Keeps the rows known before the end of the run date in
 * the business time zone and writes them where the analytic stages read them; rows known later are counted
 * as after the run date. Rows in = kept + quarantined + after, for every source.
 */
export async function cutAtRunDate({ runDate, settings, stagingDir, base }: PointInTimeInput): Promise<PointInTimeResult> {
  return heartbeatWhile(() =>
    Warehouse.using(settings.businessTimeZone, async (warehouse) => {
      await warehouse.setVariable('as_of_exclusive', endOfRunDateExclusive(runDate, settings.businessTimeZone), 'TIMESTAMPTZ');
      const known = (name: string) => `
        SELECT * EXCLUDE (_known_at) FROM ${parquetFile(stagingFile(base.dir, 'base', name))}
        WHERE _known_at IS NULL OR _known_at < getvariable('as_of_exclusive')`;

      const sources: SourceCounts[] = [];
      for (const cleaned of base.sources) {
        const rowsKept = await warehouse.writeParquet(known(cleaned.source), stagingFile(stagingDir, 'clean', cleaned.source));
        sources.push({
          source: cleaned.source,
          status: cleaned.status,
          file: cleaned.file,
          sha256: cleaned.sha256,
          rowsIn: cleaned.rowsIn,
          rowsKept,
          rowsQuarantined: cleaned.rowsQuarantined,
          rowsAfterRunDate: cleaned.rowsValid - rowsKept,
        });
      }
      await warehouse.writeParquet(known('order_lines'), stagingFile(stagingDir, 'clean', 'order_lines'));
      // Quarantine does not depend on the date: a bad row is bad whenever it is dated.
      await warehouse.writeParquet(
        `SELECT * FROM ${parquetFile(stagingFile(base.dir, 'base', 'quarantine'))}`,
        stagingFile(stagingDir, 'clean', 'quarantine'),
      );
      return { sources };
    }),
  );
}

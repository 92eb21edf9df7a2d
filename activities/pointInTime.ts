import { ApplicationFailure } from '@temporalio/common';
import { parquetFile, quoteLiteral, Warehouse } from '../lib/duckdb';
import { endOfRunDateExclusive } from '../lib/runDate';
import type { CleanedBase, PointInTimeCut, SourceCounts } from '../schemas/run';
import { heartbeatWhile } from './heartbeat';
import type { StageInput } from './stageInput';
import { stageWarehouse } from './stageWarehouse';
import { stagingFile } from './staging';

export interface PointInTimeInput extends StageInput {
  base: CleanedBase;
}

export interface PointInTimeResult {
  sources: SourceCounts[];
  cut: PointInTimeCut;
}

/** The tables of the cleaned base that the analytic stages read (orders and their items arrive joined). */
export type BaseTable =
  | 'order_lines'
  | 'members'
  | 'reviews'
  | 'ga_sessions'
  | 'products'
  | 'platforms'
  | 'promotions'
  | 'marketing_spend'
  | 'service_contacts';

/**
 * The rows of a base table known before the end of the run date: what a stage reads instead of the table.
 * The cut is a filter, not a copy, so that a backfill's dates share one base without rewriting it per date.
 */
export function knownAtCut(cut: PointInTimeCut, table: BaseTable): string {
  return rowsKnownBefore(baseTableFile(cut, table), cut.knownBefore);
}

/** The rows of `relation` (a base table's rows, with their _known_at) known before the instant, without _known_at. */
export function rowsKnownBefore(relation: string, instant: string): string {
  return `SELECT * EXCLUDE (_known_at) FROM ${relation} WHERE ${knownBefore(instant)}`;
}

/** A base table's file, every row with its _known_at: what knownAtCut filters. */
export function baseTableFile(cut: PointInTimeCut, table: BaseTable): string {
  return parquetFile(stagingFile(cut.baseDir, 'base', table));
}

/** The condition on a base table's _known_at that keeps the rows known before the instant `instant`. */
export function knownBefore(instant: string): string {
  return `(_known_at IS NULL OR _known_at < CAST(${quoteLiteral(instant)} AS TIMESTAMPTZ))`;
}

/** The cut of a base at the end of `asOf`: a run date's, or a past date's that a model trains on. */
export function cutAt(baseDir: string, asOf: string, businessTimeZone: string): PointInTimeCut {
  return { baseDir, knownBefore: endOfRunDateExclusive(asOf, businessTimeZone) };
}

/** A date with no valid order has nothing to segment: publishing an empty snapshot over a good one helps nobody. */
function noOrdersFailure(runDate: string, orders: SourceCounts, base: CleanedBase): ApplicationFailure {
  const reasons = base.quarantineReasons
    .filter((r) => r.source === 'orders' && r.severity === 'error')
    .map((r) => `${r.reason} ${r.rows}`)
    .join(', ');
  const why =
    orders.rowsIn === 0
      ? `the orders file ${orders.file} has no rows`
      : `${orders.rowsAfterRunDate} valid orders are dated after it and ${orders.rowsQuarantined} rows were quarantined` +
        (reasons ? ` (${reasons})` : '');
  return ApplicationFailure.nonRetryable(
    `no valid orders up to ${runDate}: ${why}. Nothing is published for ${runDate}; run a later date or fix the orders file.`,
    'NoOrders',
  );
}

/**
 * Stage 3: the run date's view of the cleaned base: the rows known before the end of the run date in the
 * business time zone. Counts them per source from clean's rows per day of becoming known (rows known later
 * are after the run date) and returns the cut that the analytic stages apply when they read the base; a date
 * with no valid order fails here, publishing nothing. Rows in = kept + quarantined + after, per source.
 */
export async function cutAtRunDate({ runDate, settings, stagingDir, base }: PointInTimeInput): Promise<PointInTimeResult> {
  const cut = cutAt(base.dir, runDate, settings.businessTimeZone);
  return heartbeatWhile(() =>
    Warehouse.using(stageWarehouse(settings, stagingDir), async (warehouse) => {
      const kept = await warehouse.rows<{ source: string; rows: number }>(
        `SELECT source, CAST(sum(rows) AS BIGINT) AS rows FROM ${parquetFile(stagingFile(base.dir, 'base', 'known_rows'))}
         WHERE known_on IS NULL OR known_on <= CAST($runDate AS DATE) GROUP BY source`,
        { runDate },
      );
      const sources: SourceCounts[] = [];
      for (const cleaned of base.sources) {
        const rowsKept = Number(kept.find((row) => row.source === cleaned.source)?.rows ?? 0);
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
      const orders = sources.find((s) => s.source === 'orders')!;
      if (orders.rowsKept === 0) throw noOrdersFailure(runDate, orders, base);
      return { sources, cut };
    }),
  );
}

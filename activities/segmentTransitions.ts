import path from 'node:path';
import { Warehouse } from '../lib/duckdb';
import { PART_FILE, partitionDir, previousPublishedRunDate } from '../lib/snapshots';
import { sqlFile } from '../lib/sqlFile';
import type { StageInput } from './stageInput';
import { stageWarehouse } from './stageWarehouse';
import { stagingFile } from './staging';
import { buildTable } from './tableBuilder';

export interface SegmentTransitionsInput extends StageInput {
  outDir: string;
}

export interface SegmentTransitionsResult {
  /** The published date compared with; null when this is the first snapshot. */
  previousRunDate: string | null;
  /** Customers scored on both dates whose segment changed. */
  moved: number;
  /** Customers who moved from Champions or Loyal Customers to At Risk: the usual win-back trigger. */
  championsOrLoyalToAtRisk: number;
  /** Customers clustered on both dates whose cluster changed. */
  clusterMoves: number;
}

/**
 * Stage 10: compares this run's segments and clusters with those of the latest snapshot published before the
 * run date: segment_transitions and cluster_transitions (from → to counts), segment_moves and cluster_moves
 * (the customers who changed).
 */
export async function compareSegments(input: SegmentTransitionsInput): Promise<SegmentTransitionsResult> {
  const marts = (name: string) => stagingFile(input.stagingDir, 'marts', name);
  const previousRunDate = await previousPublishedRunDate(input.outDir, input.runDate);
  // With nothing to compare with, the models read this run's tables twice and return no rows.
  const published = (table: string) =>
    previousRunDate ? path.join(partitionDir(input.outDir, table, previousRunDate), PART_FILE) : marts(table);
  const common = {
    warehouse: stageWarehouse(input.settings, input.stagingDir),
    place: input,
    inputs: { rfm: marts('rfm'), previous_rfm: published('rfm'), clusters: marts('clusters'), previous_clusters: published('clusters') },
    variables: {
      run_date: { value: input.runDate, type: 'DATE' as const },
      previous_run_date: { value: previousRunDate, type: 'DATE' as const },
    },
  };
  await buildTable({ ...common, table: 'segment_transitions' });
  const moved = await buildTable({ ...common, table: 'segment_moves' });
  await buildTable({ ...common, table: 'cluster_transitions' });
  const clusterMoves = await buildTable({ ...common, table: 'cluster_moves' });
  const championsOrLoyalToAtRisk = await Warehouse.using(common.warehouse, async (warehouse) => {
    await warehouse.viewParquet('segment_moves', marts('segment_moves'));
    return Number(await warehouse.scalar(sqlFile('statistics/champions_or_loyal_to_at_risk.sql')));
  });
  return { previousRunDate, moved, championsOrLoyalToAtRisk, clusterMoves };
}

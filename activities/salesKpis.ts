import type { PointInTimeCut } from '../schemas/run';
import { knownAtCut } from './pointInTime';
import type { StageInput } from './stageInput';
import { stageWarehouse } from './stageWarehouse';
import { stagingFile } from './staging';
import { buildTable } from './tableBuilder';

export interface SalesKpisInput extends StageInput {
  cut: PointInTimeCut;
}

/**
 * The sales kpis stage: the tables an analyst opens first, from the lines known by the run date: monthly acquisition cohorts
 * (sql/marts/cohort_retention.sql), sales by month, weekday × hour, region and product (sql/marts/sales_trends.sql),
 * and CAC, lifetime value and payback per acquisition channel (sql/marts/channel_kpis.sql, after lifetime value).
 */
export async function buildSalesKpis(input: SalesKpisInput): Promise<{ cohortCells: number; trendRows: number; channelRows: number }> {
  const marts = (name: string) => stagingFile(input.stagingDir, 'marts', name);
  const warehouse = stageWarehouse(input.settings, input.stagingDir);
  const runDate = { value: input.runDate, type: 'DATE' as const };
  const common = { warehouse, views: { order_lines: knownAtCut(input.cut, 'order_lines') } };
  const cohortCells = await buildTable({
    ...common,
    variables: { run_date: runDate },
    table: 'cohort_retention',
    place: input,
  });
  const trendRows = await buildTable({
    ...common,
    inputs: { customers: marts('customers') },
    variables: { top_products: { value: input.settings.salesTrends.topProducts, type: 'INTEGER' } },
    table: 'sales_trends',
    place: input,
  });
  const channelRows = await buildTable({
    warehouse,
    inputs: { customers: marts('customers'), clv: marts('clv') },
    views: { marketing_spend: knownAtCut(input.cut, 'marketing_spend') },
    variables: { run_date: runDate },
    tables: { unpaid_channels: { columns: { channel: 'VARCHAR' }, rows: input.settings.channels.unpaid.map((channel) => ({ channel })) } },
    table: 'channel_kpis',
    place: input,
  });
  return { cohortCells, trendRows, channelRows };
}

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
 * (sql/marts/cohort_retention.sql) and sales by month, weekday × hour, region and product (sql/marts/sales_trends.sql).
 */
export async function buildSalesKpis(input: SalesKpisInput): Promise<{ cohortCells: number; trendRows: number }> {
  const marts = (name: string) => stagingFile(input.stagingDir, 'marts', name);
  const common = {
    warehouse: stageWarehouse(input.settings, input.stagingDir),
    views: { order_lines: knownAtCut(input.cut, 'order_lines') },
  };
  const cohortCells = await buildTable({
    ...common,
    variables: { run_date: { value: input.runDate, type: 'DATE' } },
    model: 'marts/cohort_retention.sql',
    output: marts('cohort_retention'),
  });
  const trendRows = await buildTable({
    ...common,
    inputs: { customers: marts('customers') },
    variables: { top_products: { value: input.settings.salesTrends.topProducts, type: 'INTEGER' } },
    model: 'marts/sales_trends.sql',
    output: marts('sales_trends'),
  });
  return { cohortCells, trendRows };
}

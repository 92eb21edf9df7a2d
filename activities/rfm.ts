import { Warehouse } from '../lib/duckdb';
import { sqlFile } from '../lib/sqlFile';
import type { StageInput } from './stageInput';
import { stageWarehouse } from './stageWarehouse';
import { stagingFile } from './staging';
import { buildTable } from './tableBuilder';

export interface RfmResult {
  customers: number;
  segments: { segment: string; customers: number }[];
  /** Buyers whose returns and cancellations cancel out their purchases: reported, not scored (see rfm.sql). */
  nonPositiveMonetary: { customers: number; revenue: number };
  /** Share of revenue from the top 20% of scored customers by monetary value (ties by member_id). */
  paretoTop20RevenueShare: number | null;
}

/**
 * Stage 5: RFM values, quintile scores, classes and named segments (sql/marts/rfm.sql, rules from the
 * configuration), and the per-segment summary rfm_segments.
 */
export async function scoreRfm(input: StageInput): Promise<RfmResult> {
  const warehouse = stageWarehouse(input.settings, input.stagingDir);
  const customersFile = stagingFile(input.stagingDir, 'marts', 'customers');
  const rfmFile = stagingFile(input.stagingDir, 'marts', 'rfm');
  const segmentsFile = stagingFile(input.stagingDir, 'marts', 'rfm_segments');
  const customers = await buildTable({
    warehouse,
    table: 'rfm',
    place: input,
    inputs: { customers: customersFile },
    variables: { frequency_basis: { value: input.settings.rfm.frequency, type: 'VARCHAR' } },
    tables: {
      segment_rules: input.settings.rfm.segments.map((rule, index) => ({
        priority: index + 1,
        segment: rule.segment,
        r_min: rule.r[0],
        r_max: rule.r[1],
        f_min: rule.f[0],
        f_max: rule.f[1],
        m_min: rule.m[0],
        m_max: rule.m[1],
      })),
    },
  });
  await buildTable({ warehouse, table: 'rfm_segments', place: input, inputs: { rfm: rfmFile } });
  return Warehouse.using(warehouse, async (warehouse) => {
    await warehouse.run(sqlFile('aggregates.sql'));
    await warehouse.viewParquet('rfm', rfmFile);
    await warehouse.viewParquet('rfm_segments', segmentsFile);
    await warehouse.viewParquet('customers', customersFile);
    const segments = await warehouse.rows<{ segment: string; customers: number }>(`
      SELECT segment, CAST(customers AS INTEGER) AS customers FROM rfm_segments ORDER BY customers DESC, segment`);
    const [nonPositive] = await warehouse.rows<{ customers: number; revenue: number }>(`
      SELECT CAST(count(*) AS INTEGER) AS customers, coalesce(money_sum(revenue), 0) AS revenue
      FROM customers WHERE orders_count > 0 AND revenue <= 0`);
    const pareto = await warehouse.scalar<number | null>(sqlFile('statistics/pareto_top20_revenue_share.sql'));
    return { customers, segments, nonPositiveMonetary: nonPositive!, paretoTop20RevenueShare: pareto };
  });
}

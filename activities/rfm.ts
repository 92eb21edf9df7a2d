import { Warehouse, quoteLiteral } from '../lib/duckdb';
import type { StageInput } from './stageInput';
import { stagingFile } from './staging';
import { buildTable } from './tableBuilder';

export interface RfmResult {
  customers: number;
  segments: { segment: string; customers: number }[];
}

/** Stage 4: RFM values, quintile scores and named segments (sql/marts/rfm.sql, rules from the configuration). */
export async function scoreRfm(input: StageInput): Promise<RfmResult> {
  const output = stagingFile(input.stagingDir, 'marts', 'rfm');
  const customers = await buildTable({
    businessTimeZone: input.settings.businessTimeZone,
    inputs: { customers: stagingFile(input.stagingDir, 'marts', 'customers') },
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
    model: 'marts/rfm.sql',
    output,
  });
  const segments = await Warehouse.using(input.settings.businessTimeZone, (warehouse) =>
    warehouse.rows<{ segment: string; customers: number }>(`
      SELECT coalesce(segment, '(no rule matched)') AS segment, CAST(count(*) AS INTEGER) AS customers
      FROM read_parquet(${quoteLiteral(output)}) GROUP BY ALL ORDER BY customers DESC, segment`),
  );
  return { customers, segments };
}

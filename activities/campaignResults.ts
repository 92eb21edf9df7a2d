import { studentTQuantile } from '../analytics/studentT';
import { parquetFile, Warehouse, type Row, type WarehouseOptions } from '../lib/duckdb';
import type { CampaignResultSummary } from '../schemas/run';
import { previousTargetsQuery } from './previousTargets';
import { buildTable } from './tableBuilder';

export interface CampaignResultsOptions {
  warehouse: WarehouseOptions;
  outDir: string;
  runDate: string;
  /** The run date's order lines: a point-in-time cut of the cleaned base. */
  orderLines: string;
  windowDays: number;
  lookbackDays: number;
  /** The run's staging folder, where campaign_results is staged. */
  stagingDir: string;
}

/**
 * campaign_results (sql/marts/campaign_results.sql): the targets that the snapshots of the `lookbackDays` before
 * the run date published, treatment against control, over the orders known by the run date.
 */
export async function buildCampaignResults(options: CampaignResultsOptions): Promise<number> {
  return buildTable({
    warehouse: options.warehouse,
    views: {
      previous_targets: await previousTargetsQuery(options.outDir, options.runDate, options.lookbackDays),
      order_lines: options.orderLines,
    },
    variables: {
      run_date: { value: options.runDate, type: 'DATE' },
      window_days: { value: options.windowDays, type: 'INTEGER' },
    },
    functions: { student_t_quantile: studentTQuantile },
    table: 'campaign_results',
    place: options,
  });
}

/** Per campaign, its latest complete window, or its latest interim reading while none is complete. */
export async function latestCampaignResults(options: WarehouseOptions, results: string): Promise<CampaignResultSummary[]> {
  return Warehouse.using(options, (warehouse) =>
    warehouse.rows<CampaignResultSummary & Row>(
      `SELECT campaign, strftime(target_date, '%Y-%m-%d') AS "targetDate", days_observed AS "daysObserved",
              window_days AS "windowDays", CAST(treatment_customers AS INTEGER) AS "treatmentCustomers",
              CAST(control_customers AS INTEGER) AS "controlCustomers", treatment_conversion AS "treatmentConversion",
              control_conversion AS "controlConversion", conversion_uplift AS "conversionUplift",
              conversion_uplift_low AS "conversionUpliftLow", conversion_uplift_high AS "conversionUpliftHigh"
       FROM ${parquetFile(results)}
       QUALIFY row_number() OVER (PARTITION BY campaign ORDER BY window_complete DESC, target_date DESC) = 1
       ORDER BY campaign`,
    ),
  );
}

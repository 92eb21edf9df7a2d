import type { Warehouse } from '../lib/duckdb';

/** One figure of a model's validation on the pipeline's own history: a row of model_metrics. */
export interface MetricRow {
  model: 'churn' | 'clv_purchases';
  method: string;
  isBaseline: boolean;
  metric: string;
  value: number;
  /** The date the evaluated predictions were made as of. */
  asOfDate: string;
  /** Days after the as-of date that the predictions are compared with. */
  windowDays: number;
  /** Customers evaluated. */
  rows: number;
  /** On the model's rows: whether it beat every baseline; null on a baseline's rows. */
  beatsBaselines: boolean | null;
}

/** Stages a stage's metric rows as Parquet; sql/marts/model_metrics.sql publishes every stage's together. */
export async function writeMetricRows(warehouse: Warehouse, rows: MetricRow[], file: string): Promise<void> {
  await warehouse.run(`
    CREATE OR REPLACE TEMP TABLE metric_rows (
      model VARCHAR, method VARCHAR, is_baseline BOOLEAN, metric VARCHAR, value DOUBLE, as_of_date DATE,
      window_days INTEGER, "rows" BIGINT, beats_baselines BOOLEAN)`);
  for (const row of rows) {
    await warehouse.run(
      'INSERT INTO metric_rows VALUES ($model, $method, $isBaseline, $metric, $value, CAST($asOfDate AS DATE), $windowDays, $rows, $beats)',
      {
        model: row.model,
        method: row.method,
        isBaseline: row.isBaseline,
        metric: row.metric,
        value: row.value,
        asOfDate: row.asOfDate,
        windowDays: row.windowDays,
        rows: row.rows,
        beats: row.beatsBaselines,
      },
    );
  }
  await warehouse.writeParquet('metric_rows', file);
}

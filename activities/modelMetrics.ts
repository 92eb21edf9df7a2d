import { Warehouse } from '../lib/duckdb';
import { heartbeatWhile } from './heartbeat';
import { writeSnapshotTable } from './snapshotTable';
import type { StageInput } from './stageInput';
import { stageWarehouse } from './stageWarehouse';
import { stagingFile } from './staging';

/** One figure of a model's validation on the pipeline's own history: a row of model_metrics. */
export interface MetricRow {
  model: 'churn' | 'clv_purchases' | 'discount_sensitivity';
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

/** One row per figure of a model or baseline (names in snake_case); a null figure (a class absent) is left out. */
export function metricRowsOf(figures: Record<string, number | null>, row: Omit<MetricRow, 'metric' | 'value'>): MetricRow[] {
  return Object.entries(figures)
    .filter((entry): entry is [string, number] => entry[1] !== null)
    .map(([metric, value]) => ({ ...row, metric: metric.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value }));
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

/** The stages that stage metric rows, each as marts/<stage>_metrics. */
const METRIC_STAGES = ['clv', 'churn', 'discount_sensitivity'] as const;

/**
 * Stage: model metrics. Publishes the metric rows the model stages staged, together, as model_metrics
 * (sql/marts/model_metrics.sql): a stage of its own, so that no model stage has to wait for the others.
 */
export async function collectModelMetrics(input: StageInput): Promise<{ rows: number }> {
  return heartbeatWhile(() =>
    Warehouse.using(stageWarehouse(input.settings, input.stagingDir), async (warehouse) => {
      for (const stage of METRIC_STAGES) {
        await warehouse.viewParquet(`${stage}_metrics`, stagingFile(input.stagingDir, 'marts', `${stage}_metrics`));
      }
      return { rows: await writeSnapshotTable(warehouse, 'model_metrics', input) };
    }),
  );
}

import type { ClvModels, CustomerHistories } from '../analytics/clvPrediction';
import type { HoldoutEvaluation, HoldoutHistories } from '../analytics/purchaseHoldout';
import { firstNonFinitePrediction } from '../analytics/clvPrediction';
import { monthlyDiscountFactor } from '../analytics/discounting';
import type { ClvThreadTask } from '../lib/clvThread';
import { fitAndPredictClvInThread } from '../lib/clvThreads';
import { Warehouse } from '../lib/duckdb';
import { shiftRunDate } from '../lib/runDate';
import { sqlFile } from '../lib/sqlFile';
import type { PointInTimeCut, RunSettings } from '../schemas/run';
import { heartbeatWhile } from './heartbeat';
import { metricRowsOf, writeMetricRows, type MetricRow } from './modelMetrics';
import { cutAt, knownAtCut } from './pointInTime';
import type { StageInput } from './stageInput';
import { stageWarehouse } from './stageWarehouse';
import { writeSnapshotTable } from './snapshotTable';
import { stagingFile } from './staging';
import { buildTable } from './tableBuilder';

export type ClvMethod = 'bg_nbd_gamma_gamma' | 'heuristic';

/** What the thresholds of the clv configuration are checked against. */
export interface ClvData {
  /** Scored customers, every one with a purchase. */
  customers: number;
  /** From the earliest first purchase day to the end of the run date. */
  historyDays: number;
  /** Customers with purchases on 3 or more distinct days. */
  repeatCustomers: number;
}

export interface LifetimeValueResult {
  customers: number;
  method: ClvMethod;
  /** Why seed 000's heuristic was used; empty when the models were. */
  fallbackReasons: string[];
  data: ClvData;
  horizonDays: number;
  monthlyDiscountRate: number;
  discountFactor: number;
  /** The fits (parameters, standard errors, log-likelihood, convergence); null when thin data skipped them. */
  bgNbd: ClvModels['bgNbd'] | null;
  gammaGamma: ClvModels['gammaGamma'] | null;
  /** Seconds to group the histories and fit both models; null without fits. */
  fitSeconds: number | null;
  /** The holdout check (model_metrics): null when the models were not fitted or nobody had bought by its start. */
  holdout: (HoldoutEvaluation & { asOf: string; beatsBaseline: boolean | null }) | null;
}

/** The thresholds that the data misses, in words; none means the models may be fitted. */
function thinDataReasons(data: ClvData, clv: RunSettings['clv']): string[] {
  const reasons: string[] = [];
  if (data.customers < clv.minCustomers) reasons.push(`${data.customers} customers, fewer than clv.minCustomers ${clv.minCustomers}`);
  if (data.historyDays < clv.minHistoryDays) {
    reasons.push(`${data.historyDays} days of history, fewer than clv.minHistoryDays ${clv.minHistoryDays}`);
  }
  if (data.repeatCustomers < clv.minRepeatCustomers) {
    reasons.push(
      `${data.repeatCustomers} customers with 3 or more purchase days, fewer than clv.minRepeatCustomers ${clv.minRepeatCustomers}`,
    );
  }
  return reasons;
}

async function customerHistories(warehouse: Warehouse): Promise<CustomerHistories> {
  const columns = await warehouse.columns(`
    SELECT model_frequency, model_recency_days, model_t_days, model_monetary, avg_order_value
    FROM clv_histories ORDER BY member_id`);
  const column = (name: string) => Float64Array.from(columns[name]!, (value) => (value === null ? NaN : Number(value)));
  return {
    frequency: column('model_frequency'),
    recency: column('model_recency_days'),
    observedFor: column('model_t_days'),
    monetary: column('model_monetary'),
    averageOrderValue: column('avg_order_value'),
  };
}

/**
 * The histories as of the run date minus the holdout window, from the base cut at the end of that day, and each
 * customer's purchase days since (sql/models/clv_holdout.sql); null when nobody had bought by then.
 */
async function holdoutHistories(warehouse: Warehouse, input: StageInput & { cut: PointInTimeCut }, asOf: string): Promise<HoldoutHistories | null> {
  const pastCut = cutAt(input.cut.baseDir, asOf, input.settings.businessTimeZone);
  await warehouse.run(`CREATE OR REPLACE VIEW history_order_lines AS ${knownAtCut(pastCut, 'order_lines')}`);
  await warehouse.run(`CREATE OR REPLACE VIEW order_lines AS ${knownAtCut(input.cut, 'order_lines')}`);
  await warehouse.setVariable('holdout_start', asOf, 'DATE');
  const columns = await warehouse.columns(sqlFile('models/clv_holdout.sql'));
  const column = (name: string) => Float64Array.from(columns[name]!, Number);
  if (columns.member_id!.length === 0) return null;
  return {
    frequency: column('model_frequency'),
    recency: column('model_recency_days'),
    observedFor: column('model_t_days'),
    actual: column('holdout_purchases'),
  };
}

/** model_metrics rows of the holdout check: BG/NBD against the naive rate, when the fit converged. */
function holdoutMetricRows(holdout: HoldoutEvaluation, asOf: string): MetricRow[] {
  if (!holdout.model) return [];
  const beats = holdout.model.meanAbsoluteError < holdout.naive.meanAbsoluteError;
  const rowsOf = (method: string, figures: NonNullable<HoldoutEvaluation['model']>, isBaseline: boolean): MetricRow[] =>
    metricRowsOf({ ...figures }, {
      model: 'clv_purchases',
      method,
      isBaseline,
      asOfDate: asOf,
      windowDays: holdout.windowDays,
      rows: holdout.customers,
      beatsBaselines: isBaseline ? null : beats,
    });
  return [...rowsOf('bg_nbd', holdout.model, false), ...rowsOf('naive_rate', holdout.naive, true)];
}

/**
 * Fits the models in a worker thread and, when they converged to finite predictions, stages those as the view
 * clv_predictions. Returns the fits and the reasons the predictions could not be used (none when they were).
 */
async function stageModelPredictions(warehouse: Warehouse, horizonDays: number, holdout: ClvThreadTask['holdout']) {
  const histories = await customerHistories(warehouse);
  const { models, fitSeconds, predictions, holdout: holdoutEvaluation } = await fitAndPredictClvInThread({ histories, horizonDays, holdout });
  const reasons: string[] = [];
  if (!models.bgNbd.converged) reasons.push('the BG/NBD fit did not converge');
  if (!models.gammaGamma.converged) reasons.push('the Gamma-Gamma fit did not converge');
  const nonFinite = predictions && firstNonFinitePrediction(predictions);
  if (nonFinite) reasons.push(`a prediction is not finite: ${nonFinite}`);
  if (predictions && reasons.length === 0) {
    await warehouse.createTable('model_predictions', {
      position: Int32Array.from(predictions.probabilityAlive, (_, i) => i + 1),
      p_alive: predictions.probabilityAlive,
      expected_purchases: predictions.expectedPurchases,
      expected_spend: predictions.expectedSpend,
      expected_gap_days: predictions.expectedGapDays,
    });
    await warehouse.run(`
      CREATE VIEW clv_predictions AS
      SELECT member_id, model_predictions.* EXCLUDE (position)
      FROM (SELECT member_id, row_number() OVER (ORDER BY member_id) AS position FROM clv_histories)
      JOIN model_predictions USING (position)`);
  }
  return { models, fitSeconds, reasons, holdout: holdoutEvaluation };
}

/**
 * Stage 7: lifetime value of every scored customer (sql/marts/clv.sql). The purchase histories come from
 * sql/marts/clv_histories.sql; BG/NBD and Gamma-Gamma are fitted off the event loop. Below the configured
 * thresholds, or when a fit does not converge, seed 000's heuristic predicts instead (sql/marts/clv_heuristic.sql),
 * and the result says so and why.
 */
export async function predictLifetimeValue(input: StageInput & { cut: PointInTimeCut }): Promise<LifetimeValueResult> {
  const { settings, stagingDir } = input;
  const { clv } = settings;
  const marts = (name: string) => stagingFile(stagingDir, 'marts', name);
  await buildTable({
    warehouse: stageWarehouse(settings, stagingDir),
    inputs: { rfm: marts('rfm'), customers: marts('customers') },
    views: { order_lines: knownAtCut(input.cut, 'order_lines') },
    variables: { run_date: { value: input.runDate, type: 'DATE' } },
    model: 'marts/clv_histories.sql',
    output: marts('clv_histories'),
  });
  return heartbeatWhile(() =>
    Warehouse.using(stageWarehouse(settings, stagingDir), async (warehouse) => {
      await warehouse.run(sqlFile('qcut.sql'));
      await warehouse.viewParquet('clv_histories', marts('clv_histories'));
      const [data] = await warehouse.rows<{ customers: number; historyDays: number; repeatCustomers: number }>(`
        SELECT CAST(count(*) AS INTEGER) AS customers, coalesce(max(model_t_days), 0) AS "historyDays",
               CAST(count(*) FILTER (WHERE model_frequency >= 2) AS INTEGER) AS "repeatCustomers"
        FROM clv_histories`);
      const fallbackReasons = thinDataReasons(data!, clv);
      const holdoutAsOf = shiftRunDate(input.runDate, -clv.holdoutDays);
      const holdout = fallbackReasons.length === 0 ? await holdoutHistories(warehouse, input, holdoutAsOf) : null;
      const fitted =
        fallbackReasons.length === 0
          ? await stageModelPredictions(warehouse, clv.horizonDays, holdout && { histories: holdout, windowDays: clv.holdoutDays })
          : null;
      fallbackReasons.push(...(fitted?.reasons ?? []));
      const method: ClvMethod = fallbackReasons.length === 0 ? 'bg_nbd_gamma_gamma' : 'heuristic';
      if (method === 'heuristic') {
        await warehouse.setVariable('horizon_days', clv.horizonDays, 'INTEGER');
        await warehouse.run(`CREATE VIEW clv_predictions AS ${sqlFile('marts/clv_heuristic.sql')}`);
      }
      const discountFactor = monthlyDiscountFactor(clv.horizonDays, clv.monthlyDiscountRate);
      await warehouse.setVariable('run_date', input.runDate, 'DATE');
      await warehouse.setVariable('clv_method', method, 'VARCHAR');
      await warehouse.setVariable('discount_factor', discountFactor, 'DOUBLE');
      await warehouse.setVariable('next_order_min_p_alive', clv.nextOrderMinPAlive, 'DOUBLE');
      const customers = await writeSnapshotTable(warehouse, 'clv', input);
      const holdoutRows = fitted?.holdout ? holdoutMetricRows(fitted.holdout, holdoutAsOf) : [];
      await writeMetricRows(warehouse, holdoutRows, marts('clv_metrics'));
      return {
        customers,
        method,
        fallbackReasons,
        data: data!,
        horizonDays: clv.horizonDays,
        monthlyDiscountRate: clv.monthlyDiscountRate,
        discountFactor,
        bgNbd: fitted?.models.bgNbd ?? null,
        gammaGamma: fitted?.models.gammaGamma ?? null,
        fitSeconds: fitted?.fitSeconds ?? null,
        holdout: fitted?.holdout
          ? { ...fitted.holdout, asOf: holdoutAsOf, beatsBaseline: holdoutRows.find((row) => !row.isBaseline)?.beatsBaselines ?? null }
          : null,
      };
    }),
  );
}

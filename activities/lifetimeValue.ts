import {
  firstNonFinitePrediction,
  parametersOf,
  type ClvModels,
  type ClvParameters,
  type ClvPredictions,
  type CustomerHistories,
} from '../analytics/clvPrediction';
import { purchaseError, type HoldoutEvaluation, type HoldoutHistories, type WindowCheck } from '../analytics/purchaseHoldout';
import { monthlyDiscountFactor } from '../analytics/discounting';
import type { HoldoutWindow } from '../lib/clvThread';
import { fitClvInThread, scoreClvInThread, type ClvScores } from '../lib/clvThreads';
import { Warehouse } from '../lib/duckdb';
import { chooseModel, configHash, modelUse, storeNewVersion, type ModelRun } from '../lib/modelStore';
import { shiftRunDate } from '../lib/runDate';
import { sqlFile } from '../lib/sqlFile';
import type { ModelUse, PointInTimeCut, RunSettings } from '../schemas/run';
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

export interface LifetimeValueInput extends StageInput, ModelRun {
  cut: PointInTimeCut;
}

/** A stored lifetime value model's figures besides its parameters. */
export interface ClvTraining {
  bgNbd: Omit<ClvModels['bgNbd'], 'parameters'>;
  gammaGamma: Omit<ClvModels['gammaGamma'], 'parameters'>;
  fitSeconds: number;
  /**
   * The out-of-sample check at training: BG/NBD fitted on the histories as of clv.holdoutDays before the training
   * date, predicting those days; null when nobody had bought by then.
   */
  holdout: (HoldoutEvaluation & { asOf: string }) | null;
}

/** The model scored with over the last clv.holdoutDays, as model_metrics publishes it, and how far off it is. */
export type PurchaseWindow = WindowCheck & { asOf: string; beatsBaseline: boolean; purchaseError: number };

export interface LifetimeValueResult {
  customers: number;
  method: ClvMethod;
  /** Why seed 000's heuristic was used; empty when the models were. */
  fallbackReasons: string[];
  data: ClvData;
  horizonDays: number;
  monthlyDiscountRate: number;
  discountFactor: number;
  /**
   * The fits of the models scored with, stored or fitted by this run (parameters, standard errors, log-likelihood,
   * convergence); null when thin data skipped them.
   */
  bgNbd: ClvModels['bgNbd'] | null;
  gammaGamma: ClvModels['gammaGamma'] | null;
  /** Seconds to group the histories and fit both models when this run fitted them; null otherwise. */
  fitSeconds: number | null;
  /** The window check of the models scored with (model_metrics); null without them or nobody bought by its start. */
  holdout: PurchaseWindow | null;
  /** The stored version scored with, and whether this run trained it and why; null with the heuristic. */
  storedModel: ModelUse | null;
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
async function holdoutWindow(warehouse: Warehouse, input: LifetimeValueInput, asOf: string): Promise<HoldoutWindow | null> {
  const pastCut = cutAt(input.cut.baseDir, asOf, input.settings.businessTimeZone);
  await warehouse.run(`CREATE OR REPLACE VIEW history_order_lines AS ${knownAtCut(pastCut, 'order_lines')}`);
  await warehouse.run(`CREATE OR REPLACE VIEW order_lines AS ${knownAtCut(input.cut, 'order_lines')}`);
  await warehouse.setVariable('holdout_start', asOf, 'DATE');
  const columns = await warehouse.columns(sqlFile('models/clv_holdout.sql'));
  const column = (name: string) => Float64Array.from(columns[name]!, Number);
  if (columns.member_id!.length === 0) return null;
  const histories: HoldoutHistories = {
    frequency: column('model_frequency'),
    recency: column('model_recency_days'),
    observedFor: column('model_t_days'),
    actual: column('holdout_purchases'),
  };
  return { histories, windowDays: input.settings.clv.holdoutDays };
}

/** The window check as published: beatsBaseline when BG/NBD's error per customer is below the naive rate's. */
function purchaseWindow(window: WindowCheck, asOf: string): PurchaseWindow {
  const beatsBaseline = window.model.meanAbsoluteError < window.naive.meanAbsoluteError;
  return { ...window, asOf, beatsBaseline, purchaseError: purchaseError(window.model) };
}

/** model_metrics rows of the window check: BG/NBD against the naive rate. */
function holdoutMetricRows(window: PurchaseWindow): MetricRow[] {
  const rowsOf = (method: string, figures: WindowCheck['model'], isBaseline: boolean): MetricRow[] =>
    metricRowsOf({ ...figures }, {
      model: 'clv_purchases',
      method,
      isBaseline,
      asOfDate: window.asOf,
      windowDays: window.windowDays,
      rows: window.customers,
      beatsBaselines: isBaseline ? null : window.beatsBaseline,
    });
  return [...rowsOf('bg_nbd', window.model, false), ...rowsOf('naive_rate', window.naive, true)];
}

/** Stages the predictions as the view clv_predictions, in the member_id order of clv_histories. */
async function stagePredictions(warehouse: Warehouse, predictions: ClvPredictions): Promise<void> {
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

/** A stored model's parameters and figures as the fits they came from. */
function fitsOf(parameters: ClvParameters, training: ClvTraining): ClvModels {
  return {
    bgNbd: { parameters: parameters.bgNbd, ...training.bgNbd },
    gammaGamma: { parameters: parameters.gammaGamma, ...training.gammaGamma },
  };
}

/** Why scores cannot be used: the first prediction that is not finite, named; null when all are. */
function nonFiniteProblem(scores: ClvScores): string | null {
  const first = firstNonFinitePrediction(scores.predictions);
  return first && `a prediction is not finite: ${first}`;
}

/** Why the stored BG/NBD no longer describes today's customers, or null when it still does (or there is no window). */
function driftReason(window: WindowCheck | null, asOf: string, maxPurchaseError: number): string | null {
  if (!window) return null;
  const { predictedPurchases, actualPurchases } = window.model;
  const error = purchaseError(window.model);
  if (!(Math.abs(error) > maxPurchaseError)) return null;
  return `it predicted ${predictedPurchases.toFixed(1)} purchases after ${asOf} against ${actualPurchases} made ` +
    `(${error > 0 ? '+' : ''}${(error * 100).toFixed(1)}%, clv.refit.maxPurchaseError ${maxPurchaseError})`;
}

/** What the model store gave lifetime value: the models scored with and their scores, or why there are none. */
interface ClvOutcome {
  use: ModelUse | null;
  fits: ClvModels | null;
  fitSeconds: number | null;
  scores: ClvScores | null;
  problems: string[];
}

/**
 * The models of the store (lib/modelStore.ts): every customer is scored with the newest version trained as of
 * the run date, unless the refit policy or drift says to fit anew (clv.refit), in a worker thread; a new fit is
 * stored when both models converged and predict finite values for everyone. Refit or not, the scores come from
 * one function of the parameters, so a rerun scoring with the version its date trained publishes the same bytes.
 */
async function modelOutcome(warehouse: Warehouse, input: LifetimeValueInput, holdoutAsOf: string): Promise<ClvOutcome> {
  const { settings, runDate, outDir } = input;
  const { clv } = settings;
  const histories = await customerHistories(warehouse);
  const holdout = await holdoutWindow(warehouse, input, holdoutAsOf);
  const score = (parameters: ClvParameters) => scoreClvInThread({ histories, horizonDays: clv.horizonDays, parameters, holdout });
  const hash = configHash({ models: ['bg_nbd', 'gamma_gamma'], revenueDefinition: settings.revenue.definition });
  const choice = await chooseModel<ClvParameters, ClvTraining>('clv', input, hash, clv.refit);
  const { stored } = choice;
  let reason = choice.reason;
  if (stored && !reason) {
    const scores = await score(stored.parameters);
    reason = nonFiniteProblem(scores) ?? (choice.checkDrift ? driftReason(scores.window, holdoutAsOf, clv.refit.maxPurchaseError) : null);
    if (!reason) return { use: modelUse(stored, null), fits: fitsOf(stored.parameters, stored.training), fitSeconds: null, scores, problems: [] };
  }

  const { models, fitSeconds, holdout: validation } = await fitClvInThread({ histories, holdout });
  const problems: string[] = [];
  if (!models.bgNbd.converged) problems.push('the BG/NBD fit did not converge');
  if (!models.gammaGamma.converged) problems.push('the Gamma-Gamma fit did not converge');
  const scores = problems.length === 0 ? await score(parametersOf(models)) : null;
  const nonFinite = scores && nonFiniteProblem(scores);
  if (nonFinite) problems.push(nonFinite);
  if (problems.length > 0) return { use: null, fits: models, fitSeconds, scores: null, problems };
  const { parameters: _bgNbd, ...bgNbd } = models.bgNbd;
  const { parameters: _gammaGamma, ...gammaGamma } = models.gammaGamma;
  const trained = await storeNewVersion(outDir, {
    model: 'clv',
    runDate,
    configHash: hash,
    reason: reason!,
    previous: stored,
    training: { bgNbd, gammaGamma, fitSeconds, holdout: validation && { ...validation, asOf: holdoutAsOf } },
    parameters: parametersOf(models),
  });
  return { use: modelUse(trained, reason), fits: models, fitSeconds, scores, problems: [] };
}

/**
 * Stage 7: lifetime value of every scored customer (sql/marts/clv.sql). The purchase histories come from
 * sql/marts/clv_histories.sql; BG/NBD and Gamma-Gamma come from the model store, fitted off the event loop when
 * the refit policy says so. Below the configured thresholds, or when a fit does not converge, seed 000's
 * heuristic predicts instead (sql/marts/clv_heuristic.sql), and the result says so and why.
 */
export async function predictLifetimeValue(input: LifetimeValueInput): Promise<LifetimeValueResult> {
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
      const outcome = fallbackReasons.length === 0 ? await modelOutcome(warehouse, input, holdoutAsOf) : null;
      fallbackReasons.push(...(outcome?.problems ?? []));
      const scores = outcome?.scores ?? null;
      const method: ClvMethod = scores ? 'bg_nbd_gamma_gamma' : 'heuristic';
      if (scores) {
        await stagePredictions(warehouse, scores.predictions);
      } else {
        await warehouse.setVariable('horizon_days', clv.horizonDays, 'INTEGER');
        await warehouse.run(`CREATE VIEW clv_predictions AS ${sqlFile('marts/clv_heuristic.sql')}`);
      }
      const discountFactor = monthlyDiscountFactor(clv.horizonDays, clv.monthlyDiscountRate);
      await warehouse.setVariable('run_date', input.runDate, 'DATE');
      await warehouse.setVariable('clv_method', method, 'VARCHAR');
      await warehouse.setVariable('discount_factor', discountFactor, 'DOUBLE');
      await warehouse.setVariable('next_order_min_p_alive', clv.nextOrderMinPAlive, 'DOUBLE');
      const customers = await writeSnapshotTable(warehouse, 'clv', input);
      const holdout = scores?.window ? purchaseWindow(scores.window, holdoutAsOf) : null;
      await writeMetricRows(warehouse, holdout ? holdoutMetricRows(holdout) : [], marts('clv_metrics'));
      return {
        customers,
        method,
        fallbackReasons,
        data: data!,
        horizonDays: clv.horizonDays,
        monthlyDiscountRate: clv.monthlyDiscountRate,
        discountFactor,
        bgNbd: outcome?.fits?.bgNbd ?? null,
        gammaGamma: outcome?.fits?.gammaGamma ?? null,
        fitSeconds: outcome?.fitSeconds ?? null,
        holdout,
        storedModel: outcome?.use ?? null,
      };
    }),
  );
}

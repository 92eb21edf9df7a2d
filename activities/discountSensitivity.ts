import { DISCOUNT_FEATURES, type DiscountModel, type DiscountRows, type DiscountScores } from '../analytics/discountModel';
import { trainDiscountModelInThread } from '../lib/discountThreads';
import { Warehouse } from '../lib/duckdb';
import { shiftRunDate } from '../lib/runDate';
import { sqlFile } from '../lib/sqlFile';
import { DISCOUNT_LEVELS, type DiscountLevel } from '../schemas/config';
import type { PointInTimeCut, RunSettings } from '../schemas/run';
import type { SourceName } from '../schemas/sources';
import { heartbeatWhile } from './heartbeat';
import { classShortfalls, drawBuyerSample, stageRowsPerDate, viewBaseAtCut } from './historyRows';
import { logitSql } from './logitSql';
import { metricRowsOf, writeMetricRows, type MetricRow } from './modelMetrics';
import { cutAt, type BaseTable } from './pointInTime';
import type { StageInput } from './stageInput';
import { stageWarehouse } from './stageWarehouse';
import { writeSnapshotTable } from './snapshotTable';
import { stagingFile } from './staging';
import { createValuesTable } from './tableBuilder';

export type DiscountMethod = 'logistic_regression' | 'unavailable';

export interface DiscountSensitivityInput extends StageInput {
  cut: PointInTimeCut;
  loadedSources: SourceName[];
}

export interface DiscountSensitivityResult {
  customers: number;
  method: DiscountMethod;
  /** Why the model was not used; empty when it was. */
  fallbackReasons: string[];
  horizonDays: number;
  promoShareThreshold: number;
  /** The as-of dates of the features the model trained and was validated on; each label covers the horizon after. */
  trainingAsOf: string;
  evaluationAsOf: string;
  /** The trained model, its coefficients and its validation; null when it was not trained. */
  model: DiscountModel | null;
  /** What seed 004 reports for its model (its own data, not a target), beside this run's validation. */
  seed004: { accuracy: number; f1: number; auc: number };
  /** Segments at each recommended discount level; empty when the model was unavailable. */
  segmentsByLevel: Partial<Record<DiscountLevel, number>>;
}

const SEED_004_FIGURES = { accuracy: 0.82, f1: 0.77, auc: 0.85 };

const INPUT_TABLES: BaseTable[] = ['order_lines', 'members', 'ga_sessions', 'promotions'];

/**
 * The as-of dates of the features: evaluation at run date − horizon, so its labels (the horizon after) are known
 * by the run date; training one horizon earlier, so its labels end where evaluation's features do and no
 * training row looks past the evaluation date.
 */
export function discountAsOfDates(runDate: string, horizonDays: number): { training: string; evaluation: string } {
  return { training: shiftRunDate(runDate, -2 * horizonDays), evaluation: shiftRunDate(runDate, -horizonDays) };
}

/**
 * Builds the temp table discount_inputs: the features as of `asOf`, from the base cut at its end, of every buyer,
 * or only of the customers in the table discount_sample. Exported for the no-leakage test.
 */
export async function stageInputsAsOf(
  warehouse: Warehouse,
  input: DiscountSensitivityInput,
  cut: PointInTimeCut,
  asOf: string,
  sampled = false,
): Promise<void> {
  await viewBaseAtCut(warehouse, cut, INPUT_TABLES, sampled ? 'discount_sample' : undefined);
  for (const source of ['members', 'ga_sessions', 'promotions'] as const) {
    await warehouse.setVariable(`has_${source}`, input.loadedSources.includes(source), 'BOOLEAN');
  }
  await warehouse.setVariable('run_date', asOf, 'DATE');
  await warehouse.run(`CREATE OR REPLACE TEMP TABLE discount_inputs AS ${sqlFile('models/discount_inputs.sql')}`);
}

/**
 * The temp table discount_training_rows: the labelled rows of the training and the evaluation date, each with its
 * features from the base cut at the end of its own date and its label from the orders of the horizon after it,
 * in the run date's cut. One sample serves both dates: discountSensitivity.sampleSize buyers in the hash order of
 * their ids.
 */
export async function stageTrainingRows(warehouse: Warehouse, input: DiscountSensitivityInput): Promise<void> {
  const { settings, cut, runDate } = input;
  const { horizonDays, promoShareThreshold, minLabelOrders, sampleSize } = settings.discountSensitivity;
  const { training, evaluation } = discountAsOfDates(runDate, horizonDays);
  await drawBuyerSample(warehouse, cut, 'discount_sample', sampleSize, INPUT_TABLES);
  await warehouse.setVariable('horizon_days', horizonDays, 'INTEGER');
  await warehouse.setVariable('promo_share_threshold', promoShareThreshold, 'DOUBLE');
  await warehouse.setVariable('min_label_orders', minLabelOrders, 'INTEGER');
  await stageRowsPerDate(warehouse, 'discount_training_rows', [training, evaluation], async (asOf) => {
    await stageInputsAsOf(warehouse, input, cutAt(cut.baseDir, asOf, settings.businessTimeZone), asOf, true);
    await warehouse.setVariable('as_of', asOf, 'DATE');
    return sqlFile('models/discount_training_rows.sql');
  });
}

/** The labelled rows as columns for the model (date_index 1 is evaluation); exported for the shuffled-label control. */
export async function trainingColumns(warehouse: Warehouse): Promise<DiscountRows> {
  const columns = await warehouse.columns('SELECT * FROM discount_training_rows ORDER BY date_index, member_id');
  const numbers = (name: string) => Float64Array.from(columns[name]!, (v) => (v === null ? NaN : Number(v)));
  return {
    features: Object.fromEntries(DISCOUNT_FEATURES.map((f) => [f, numbers(f)])) as DiscountRows['features'],
    sensitive: Float64Array.from(columns.discount_sensitive!, (v) => (v ? 1 : 0)),
    evaluation: Uint8Array.from(columns.date_index!, Number),
  };
}

/**
 * Stages the labelled rows and, when both outcomes are common enough in training and in evaluation, trains and
 * evaluates the model off the event loop. The model is null, with the reasons, when history is too short or the
 * regression did not converge.
 */
async function trainWhereHistoryAllows(
  warehouse: Warehouse,
  input: DiscountSensitivityInput,
): Promise<{ trained: DiscountModel | null; fallbackReasons: string[] }> {
  const { discountSensitivity: settings } = input.settings;
  await stageTrainingRows(warehouse, input);
  const fallbackReasons = await classShortfalls(warehouse, {
    rows: 'discount_training_rows',
    label: 'discount_sensitive',
    evaluationIndex: 1,
    minClassRows: settings.minClassRows,
    setting: 'discountSensitivity.minClassRows',
    outcomes: ['discount-sensitive', 'insensitive'],
  });
  if (fallbackReasons.length > 0) return { trained: null, fallbackReasons };
  const model = await trainDiscountModelInThread({ rows: await trainingColumns(warehouse), l2Penalty: settings.l2Penalty, cutoff: settings.cutoff });
  return model.converged ? { trained: model, fallbackReasons } : { trained: null, fallbackReasons: ['the logistic regression did not converge'] };
}

function metricRows(model: DiscountModel, evaluationAsOf: string, horizonDays: number): MetricRow[] {
  const { model: scores, pastPromoShare } = model.evaluation;
  const beats = scores.auc !== null && (pastPromoShare.auc === null || scores.auc > pastPromoShare.auc);
  const rowsOf = (method: string, figures: DiscountScores, isBaseline: boolean): MetricRow[] =>
    metricRowsOf({ ...figures, base_rate: model.baseRate }, {
      model: 'discount_sensitivity',
      method,
      isBaseline,
      asOfDate: evaluationAsOf,
      windowDays: horizonDays,
      rows: model.evaluationRows,
      beatsBaselines: isBaseline ? null : beats,
    });
  return [...rowsOf('logistic_regression', scores, false), ...rowsOf('past_promo_order_share', pastPromoShare, true)];
}

/** discount_level_rules: each level from its configured minimum mean probability ('none' from 0), and its discount. */
export function discountLevelRules({ levelThresholds, levelDiscountPct }: RunSettings['discountSensitivity']) {
  const minimum: Record<DiscountLevel, number> = { none: 0, ...levelThresholds };
  return DISCOUNT_LEVELS.map((level) => ({ level, min_probability: minimum[level], discount_pct: levelDiscountPct[level] }));
}

/**
 * Stage: discount sensitivity (seed 004). Trains an L2-regularized logistic regression on the features of an
 * earlier as-of date labelled by the promotion share of the horizon after it, validates it on a later date, scores
 * every buyer as of the run date (sql/marts/discount_sensitivity.sql) and recommends a discount level per segment
 * (discount_levels.sql), which the campaigns stage applies. Without enough history the probability is NULL, the
 * method 'unavailable' and campaigns keep their own discounts.
 */
export async function predictDiscountSensitivity(input: DiscountSensitivityInput): Promise<DiscountSensitivityResult> {
  const { settings, stagingDir, runDate } = input;
  const { discountSensitivity } = settings;
  const marts = (name: string) => stagingFile(stagingDir, 'marts', name);
  const { training, evaluation } = discountAsOfDates(runDate, discountSensitivity.horizonDays);
  return heartbeatWhile(() =>
    Warehouse.using(stageWarehouse(settings, stagingDir), async (warehouse) => {
      await warehouse.run(sqlFile('aggregates.sql'));
      const { trained, fallbackReasons } = await trainWhereHistoryAllows(warehouse, input);
      const method: DiscountMethod = trained ? 'logistic_regression' : 'unavailable';

      await stageInputsAsOf(warehouse, input, input.cut, runDate);
      await warehouse.run(`CREATE OR REPLACE VIEW discount_scores AS
        SELECT member_id, ${trained ? logitSql(trained) : 'CAST(NULL AS DOUBLE)'} AS discount_logit FROM discount_inputs`);
      await warehouse.setVariable('discount_method', method, 'VARCHAR');
      await warehouse.setVariable('sensitivity_cutoff', discountSensitivity.cutoff, 'DOUBLE');
      const customers = await writeSnapshotTable(warehouse, 'discount_sensitivity', input);

      await warehouse.viewParquet('rfm', marts('rfm'));
      await warehouse.viewParquet('discount_sensitivity', marts('discount_sensitivity'));
      await createValuesTable(warehouse, 'discount_level_rules', discountLevelRules(discountSensitivity));
      await writeSnapshotTable(warehouse, 'discount_levels', input);
      await warehouse.viewParquet('discount_levels', marts('discount_levels'));
      const levels = await warehouse.rows<{ level: DiscountLevel; segments: number }>(
        'SELECT discount_level AS level, CAST(count(*) AS INTEGER) AS segments FROM discount_levels WHERE discount_level IS NOT NULL GROUP BY ALL',
      );

      const metrics = trained ? metricRows(trained, evaluation, discountSensitivity.horizonDays) : [];
      await writeMetricRows(warehouse, metrics, marts('discount_sensitivity_metrics'));
      return {
        customers,
        method,
        fallbackReasons,
        horizonDays: discountSensitivity.horizonDays,
        promoShareThreshold: discountSensitivity.promoShareThreshold,
        trainingAsOf: training,
        evaluationAsOf: evaluation,
        model: trained,
        seed004: SEED_004_FIGURES,
        segmentsByLevel: Object.fromEntries(levels.map((l) => [l.level, l.segments])),
      };
    }),
  );
}

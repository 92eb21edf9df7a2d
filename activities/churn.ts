import { CHURN_FEATURES, ROC_FALSE_POSITIVE_RATES, type ChurnModel, type ChurnRows, type ClassifierScores } from '../analytics/churnModel';
import { trainChurnModelInThread } from '../lib/churnThreads';
import { Warehouse } from '../lib/duckdb';
import { shiftRunDate } from '../lib/runDate';
import { sqlFile } from '../lib/sqlFile';
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

export type ChurnMethod = 'logistic_regression' | 'one_minus_p_alive' | 'heuristic';

export interface ChurnInput extends StageInput {
  cut: PointInTimeCut;
  loadedSources: SourceName[];
  /** Whether lifetime value's clv table has P(alive) (its models were fitted). */
  hasPAlive: boolean;
}

export interface ChurnResult {
  customers: number;
  method: ChurnMethod;
  /** Why the model was not used; empty when it was. */
  fallbackReasons: string[];
  inactiveDays: number;
  /** The as-of dates the model trained on, oldest last, and the later one it was evaluated on. */
  trainingAsOf: string[];
  evaluationAsOf: string;
  /** The trained model's figures (its coefficients are the churn_model table); null when it was not trained. */
  model: Omit<ChurnModel, 'coefficients'> | null;
  beatsBaselines: boolean | null;
}

/**
 * The as-of dates of training and evaluation. Evaluation is the latest date whose label window has passed (run date
 * − inactive days); training dates end one label window before it, so no training label looks past the evaluation
 * date, and step back from there.
 */
export function churnAsOfDates(runDate: string, churn: RunSettings['churn']): { training: string[]; evaluation: string } {
  const evaluation = shiftRunDate(runDate, -churn.inactiveDays);
  const training = Array.from({ length: churn.trainingDates }, (_, j) =>
    shiftRunDate(evaluation, -churn.inactiveDays - j * churn.trainingStepDays),
  );
  return { training, evaluation };
}

const INPUT_TABLES: BaseTable[] = ['order_lines', 'members', 'reviews', 'ga_sessions', 'service_contacts'];

/**
 * Builds the temp table churn_inputs: the features as of `asOf`, from the base cut at its end, of every buyer,
 * or only of the customers in the table churn_sample.
 */
async function stageInputsAsOf(warehouse: Warehouse, cut: PointInTimeCut, asOf: string, sampled = false): Promise<void> {
  await viewBaseAtCut(warehouse, cut, INPUT_TABLES, sampled ? 'churn_sample' : undefined);
  await warehouse.setVariable('run_date', asOf, 'DATE');
  await warehouse.run(`CREATE OR REPLACE TEMP TABLE churn_inputs AS ${sqlFile('models/churn_inputs.sql')}`);
}

/**
 * Labelled rows of every as-of date, each with its features from the base cut at the end of its own date and
 * its label from the run date's cut. One sample of customers serves every date: churn.sampleSize buyers in the
 * hash order of their ids, so reruns draw the same ones. Exported for the no-leakage test.
 */
export async function stageTrainingRows(warehouse: Warehouse, input: ChurnInput, asOfDates: string[]): Promise<void> {
  const { settings, cut } = input;
  await drawBuyerSample(warehouse, cut, 'churn_sample', settings.churn.sampleSize);
  await warehouse.setVariable('inactive_days', settings.churn.inactiveDays, 'INTEGER');
  for (const source of ['members', 'reviews', 'ga_sessions', 'service_contacts'] as const) {
    await warehouse.setVariable(`has_${source}`, input.loadedSources.includes(source), 'BOOLEAN');
  }
  await stageRowsPerDate(warehouse, 'churn_training_rows', asOfDates, async (asOf) => {
    await stageInputsAsOf(warehouse, cutAt(cut.baseDir, asOf, settings.businessTimeZone), asOf, true);
    await warehouse.setVariable('as_of', asOf, 'DATE');
    return sqlFile('models/churn_training_rows.sql');
  });
}

/** The labelled rows as columns for the model; exported for the shuffled-label control. */
export async function trainingColumns(warehouse: Warehouse): Promise<ChurnRows> {
  const columns = await warehouse.columns('SELECT * FROM churn_training_rows ORDER BY date_index, member_id');
  const numbers = (name: string) => Float64Array.from(columns[name]!, (v) => (v === null ? NaN : Number(v)));
  const features = Object.fromEntries(CHURN_FEATURES.filter((f) => f !== 'p_alive').map((f) => [f, numbers(f)]));
  return {
    features: features as ChurnRows['features'],
    churned: Float64Array.from(columns.churned!, (v) => (v ? 1 : 0)),
    churnRisk: numbers('churn_risk'),
    frequency: numbers('model_frequency'),
    recency: numbers('model_recency_days'),
    observedFor: numbers('model_t_days'),
    date: Int32Array.from(columns.date_index!, Number),
  };
}

/** The scores with one value each; the curve goes in as rocFigures. */
function withoutRoc({ truePositiveRates, ...figures }: ClassifierScores): Omit<ClassifierScores, 'truePositiveRates'> {
  return figures;
}

/**
 * The ROC curve as figures tpr_at_fpr_0.00 ... tpr_at_fpr_1.00: one value each, like every other row of
 * model_metrics, so the report draws the curve from the published table.
 */
function rocFigures({ truePositiveRates }: ClassifierScores): Record<string, number> {
  return Object.fromEntries((truePositiveRates ?? []).map((rate, k) => [`tpr_at_fpr_${ROC_FALSE_POSITIVE_RATES[k]!.toFixed(2)}`, rate]));
}

function metricRows(model: ChurnModel, evaluationAsOf: string, windowDays: number): MetricRow[] {
  const { evaluation } = model;
  const baselines = [evaluation.heuristic, evaluation.oneMinusPAlive].filter((s): s is ClassifierScores => s !== null);
  const beats = evaluation.model.auc !== null && baselines.every((b) => b.auc === null || evaluation.model.auc! > b.auc);
  const rowsOf = (method: string, scores: ClassifierScores | null, isBaseline: boolean): MetricRow[] =>
    scores === null
      ? []
      : metricRowsOf({ ...withoutRoc(scores), base_rate: model.baseRate, ...rocFigures(scores) }, {
          model: 'churn',
          method,
          isBaseline,
          asOfDate: evaluationAsOf,
          windowDays,
          rows: model.evaluationRows,
          beatsBaselines: isBaseline ? null : beats,
        });
  return [
    ...rowsOf('logistic_regression', evaluation.model, false),
    ...rowsOf('heuristic', evaluation.heuristic, true),
    ...rowsOf('one_minus_p_alive', evaluation.oneMinusPAlive, true),
  ];
}

/**
 * The model as churn_model publishes it: one row per feature and an '(intercept)' row, so that the log-odds are
 * standardized: Σ effect · (x − mean) / std + intercept, or in the features' own units: Σ coefficient · x + the
 * intercept's coefficient, an unknown x taking the training mean either way.
 */
async function stageCoefficients(warehouse: Warehouse, model: ChurnModel | null): Promise<void> {
  await warehouse.run(`CREATE OR REPLACE TEMP TABLE churn_coefficients (
    feature VARCHAR, standardized_effect DOUBLE, coefficient DOUBLE, training_mean DOUBLE, training_std DOUBLE)`);
  if (!model) return;
  const insert = 'INSERT INTO churn_coefficients VALUES ($feature, $effect, $coefficient, $mean, $std)';
  const unitIntercept = model.coefficients.reduce((sum, c) => sum - c.coefficient * c.mean, model.intercept);
  await warehouse.run(insert, { feature: '(intercept)', effect: model.intercept, coefficient: unitIntercept, mean: null, std: null });
  for (const c of model.coefficients) {
    await warehouse.run(insert, { feature: c.feature, effect: c.standardizedCoefficient, coefficient: c.coefficient, mean: c.mean, std: c.std });
  }
}

/**
 * Stages the labelled rows of every as-of date and, when both outcomes are common enough in training and in
 * evaluation, trains and evaluates the model off the event loop. The model is null, with the reasons, when
 * history is too short or the regression did not converge.
 */
async function trainWhereHistoryAllows(
  warehouse: Warehouse,
  input: ChurnInput,
  training: string[],
  evaluation: string,
): Promise<{ trained: ChurnModel | null; fallbackReasons: string[] }> {
  const { churn } = input.settings;
  await stageTrainingRows(warehouse, input, [...training, evaluation]);
  const fallbackReasons = await classShortfalls(warehouse, {
    rows: 'churn_training_rows',
    label: 'churned',
    evaluationIndex: training.length,
    minClassRows: churn.minClassRows,
    setting: 'churn.minClassRows',
    outcomes: ['churned', 'retained'],
  });
  if (fallbackReasons.length > 0) return { trained: null, fallbackReasons };
  const model = await trainChurnModelInThread({
    rows: await trainingColumns(warehouse),
    dates: [...training.map((asOf) => ({ asOf, role: 'training' as const })), { asOf: evaluation, role: 'evaluation' }],
    l2Penalty: churn.l2Penalty,
    cutoff: churn.campaignCutoff,
    usePAlive: input.hasPAlive,
  });
  return model.converged ? { trained: model, fallbackReasons } : { trained: null, fallbackReasons: ['the logistic regression did not converge'] };
}

/** The model's figures for the manifest: its coefficients are the churn_model table. */
function withoutCoefficients({ coefficients, ...figures }: ChurnModel): Omit<ChurnModel, 'coefficients'> {
  return figures;
}

/**
 * Stage 8: churn. Trains an L2-regularized logistic regression on past as-of dates of the pipeline's own history
 * (every row's features as of its own date), evaluates it with two baselines on a later date training never saw,
 * and scores every buyer as of the run date (sql/marts/churn_features.sql, churn_model.sql; its metrics go to
 * model_metrics).
 * Without enough history for both, churn_probability is 1 − P(alive), or the heuristic, and the result says why.
 */
export async function predictChurn(input: ChurnInput): Promise<ChurnResult> {
  const { settings, stagingDir, runDate } = input;
  const { churn } = settings;
  const marts = (name: string) => stagingFile(stagingDir, 'marts', name);
  const { training, evaluation } = churnAsOfDates(runDate, churn);
  return heartbeatWhile(() =>
    Warehouse.using(stageWarehouse(settings, stagingDir), async (warehouse) => {
      await warehouse.run(sqlFile('aggregates.sql'));
      const { trained, fallbackReasons } = await trainWhereHistoryAllows(warehouse, input, training, evaluation);
      const method: ChurnMethod = trained ? 'logistic_regression' : input.hasPAlive ? 'one_minus_p_alive' : 'heuristic';

      await stageInputsAsOf(warehouse, input.cut, runDate);
      await warehouse.viewParquet('clv', marts('clv'));
      await warehouse.run(`CREATE OR REPLACE VIEW churn_scores AS
        SELECT member_id, ${trained ? logitSql(trained) : 'CAST(NULL AS DOUBLE)'} AS churn_logit
        FROM churn_inputs LEFT JOIN (SELECT member_id, p_alive FROM clv) USING (member_id)`);
      await warehouse.setVariable('churn_method', method, 'VARCHAR');
      const customers = await writeSnapshotTable(warehouse, 'churn_features', input);
      await stageCoefficients(warehouse, trained);
      await writeSnapshotTable(warehouse, 'churn_model', input);
      const metrics = trained ? metricRows(trained, evaluation, churn.inactiveDays) : [];
      await writeMetricRows(warehouse, metrics, marts('churn_metrics'));

      return {
        customers,
        method,
        fallbackReasons,
        inactiveDays: churn.inactiveDays,
        trainingAsOf: training,
        evaluationAsOf: evaluation,
        model: trained && withoutCoefficients(trained),
        beatsBaselines: metrics.find((m) => !m.isBaseline)?.beatsBaselines ?? null,
      };
    }),
  );
}

import {
  CHURN_FEATURES,
  ROC_FALSE_POSITIVE_RATES,
  type ChurnEvaluation,
  type ChurnFeature,
  type ChurnModel,
  type ChurnRows,
  type ChurnScorer,
  type ClassifierScores,
} from '../analytics/churnModel';
import { evaluateChurnModelInThread, trainChurnModelInThread } from '../lib/churnThreads';
import { Warehouse } from '../lib/duckdb';
import { chooseModel, configHash, modelUse, storeNewVersion, type ModelRun, type StoredModel } from '../lib/modelStore';
import { shiftRunDate } from '../lib/runDate';
import { sqlFile } from '../lib/sqlFile';
import type { ModelUse, PointInTimeCut, RunSettings } from '../schemas/run';
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

export interface ChurnInput extends StageInput, ModelRun {
  cut: PointInTimeCut;
  loadedSources: SourceName[];
  /** Whether lifetime value's clv table has P(alive) (its models were fitted). */
  hasPAlive: boolean;
}

/** A stored churn model: the coefficients with their standardization, the features left out, and P(alive)'s use. */
export interface ChurnParameters extends ChurnScorer {
  droppedFeatures: ChurnFeature[];
  usesPAlive: boolean;
}

/** A stored churn model's training: its dates and rows, the fit, and its evaluation on a later date. */
export interface ChurnTraining {
  asOfDates: string[];
  evaluationAsOf: string;
  rows: number;
  converged: boolean;
  iterations: number;
  pAliveFitsConverged: boolean[];
  evaluation: ChurnEvaluation;
  beatsBaselines: boolean;
}

export interface ChurnResult {
  customers: number;
  method: ChurnMethod;
  /** Why the model was not used; empty when it was. */
  fallbackReasons: string[];
  inactiveDays: number;
  /** The as-of dates the model scored with was trained on (or training tried), oldest last. */
  trainingAsOf: string[];
  /** The latest date whose label window has passed, which the model is evaluated on. */
  evaluationAsOf: string;
  /** The figures of the model scored with, evaluated on evaluationAsOf (its coefficients are the churn_model table). */
  model: Omit<ChurnModel, 'coefficients'> | null;
  beatsBaselines: boolean | null;
  /** The stored version scored with, and whether this run trained it and why; null with a fallback. */
  storedModel: ModelUse | null;
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

/** The optional sources whose features churn_inputs.sql leaves NULL when they were not loaded. */
const FEATURE_SOURCES = ['members', 'reviews', 'ga_sessions', 'service_contacts'] as const;

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
  await drawBuyerSample(warehouse, cut, 'churn_sample', settings.churn.sampleSize, INPUT_TABLES);
  await warehouse.setVariable('inactive_days', settings.churn.inactiveDays, 'INTEGER');
  for (const source of FEATURE_SOURCES) {
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

/** Whether the model's AUC is above both baselines' (null when it has none: one class only). */
function beatsBaselines({ scores }: ChurnEvaluation): boolean | null {
  if (scores.model.auc === null) return null;
  const baselines = [scores.heuristic, scores.oneMinusPAlive].filter((s): s is ClassifierScores => s !== null);
  return baselines.every((b) => b.auc === null || scores.model.auc! > b.auc);
}

function metricRows(evaluation: ChurnEvaluation, evaluationAsOf: string, windowDays: number): MetricRow[] {
  const { scores } = evaluation;
  const beats = beatsBaselines(evaluation) ?? false;
  const rowsOf = (method: string, methodScores: ClassifierScores | null, isBaseline: boolean): MetricRow[] =>
    methodScores === null
      ? []
      : metricRowsOf({ ...withoutRoc(methodScores), base_rate: evaluation.baseRate, ...rocFigures(methodScores) }, {
          model: 'churn',
          method,
          isBaseline,
          asOfDate: evaluationAsOf,
          windowDays,
          rows: evaluation.rows,
          beatsBaselines: isBaseline ? null : beats,
        });
  return [
    ...rowsOf('logistic_regression', scores.model, false),
    ...rowsOf('heuristic', scores.heuristic, true),
    ...rowsOf('one_minus_p_alive', scores.oneMinusPAlive, true),
  ];
}

/**
 * The model as churn_model publishes it: one row per feature and an '(intercept)' row, so that the log-odds are
 * standardized: Σ effect · (x − mean) / std + intercept, or in the features' own units: Σ coefficient · x + the
 * intercept's coefficient, an unknown x taking the training mean either way.
 */
async function stageCoefficients(warehouse: Warehouse, model: ChurnScorer | null): Promise<void> {
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

/** What the model store gave churn: the model scored with and its evaluation on the latest labelled date. */
interface ChurnOutcome {
  stored: StoredModel<ChurnParameters, ChurnTraining> | null;
  use: ModelUse | null;
  evaluation: ChurnEvaluation | null;
  fallbackReasons: string[];
}

/** Why the stored model no longer ranks churners well enough, or null when it does (or one class is missing). */
function driftReason({ scores }: ChurnEvaluation, evaluationAsOf: string, minAuc: number): string | null {
  const { auc } = scores.model;
  return auc !== null && auc < minAuc ? `its AUC on ${evaluationAsOf} is ${auc.toFixed(3)}, below churn.refit.minAuc ${minAuc}` : null;
}

/**
 * The model of the store (lib/modelStore.ts): the newest version trained as of the run date, evaluated on the
 * latest labelled date alone (its features, labels and a BG/NBD fit for P(alive): the cheap check for drift),
 * unless the refit policy or that check says to train anew on the past as-of dates; a converged model is stored.
 */
async function modelOutcome(warehouse: Warehouse, input: ChurnInput, training: string[], evaluation: string): Promise<ChurnOutcome> {
  const { settings, runDate, outDir, hasPAlive } = input;
  const { churn } = settings;
  const { inactiveDays, trainingDates, trainingStepDays, sampleSize, l2Penalty } = churn;
  const hash = configHash({
    inactiveDays,
    trainingDates,
    trainingStepDays,
    sampleSize,
    l2Penalty,
    features: CHURN_FEATURES,
    sources: FEATURE_SOURCES.filter((source) => input.loadedSources.includes(source)),
    usesPAlive: hasPAlive,
    revenueDefinition: settings.revenue.definition,
  });
  const choice = await chooseModel<ChurnParameters, ChurnTraining>('churn', input, hash, churn.refit);
  const { stored } = choice;
  let reason = choice.reason;
  if (stored && !reason) {
    await stageTrainingRows(warehouse, input, [evaluation]);
    const evaluated = await evaluateChurnModelInThread({
      rows: await trainingColumns(warehouse),
      model: stored.parameters,
      cutoff: churn.campaignCutoff,
      usePAlive: hasPAlive,
    });
    reason = choice.checkDrift ? driftReason(evaluated, evaluation, churn.refit.minAuc) : null;
    if (!reason) return { stored, use: modelUse(stored, null), evaluation: evaluated, fallbackReasons: [] };
  }

  const { trained, fallbackReasons } = await trainWhereHistoryAllows(warehouse, input, training, evaluation);
  if (!trained) return { stored: null, use: null, evaluation: null, fallbackReasons };
  const evaluated: ChurnEvaluation = { rows: trained.evaluationRows, baseRate: trained.baseRate, scores: trained.evaluation };
  const version = await storeNewVersion<ChurnParameters, ChurnTraining>(outDir, {
    model: 'churn',
    runDate,
    configHash: hash,
    reason: reason!,
    previous: stored,
    training: {
      asOfDates: training,
      evaluationAsOf: evaluation,
      rows: trained.trainingRows,
      converged: trained.converged,
      iterations: trained.iterations,
      pAliveFitsConverged: trained.pAliveFitsConverged,
      evaluation: evaluated,
      beatsBaselines: beatsBaselines(evaluated) ?? false,
    },
    parameters: { intercept: trained.intercept, coefficients: trained.coefficients, droppedFeatures: trained.droppedFeatures, usesPAlive: hasPAlive },
  });
  return { stored: version, use: modelUse(version, reason), evaluation: evaluated, fallbackReasons: [] };
}

/** The figures of the model scored with, on today's evaluation date, for the manifest. */
function modelFigures(stored: StoredModel<ChurnParameters, ChurnTraining>, evaluation: ChurnEvaluation): Omit<ChurnModel, 'coefficients'> {
  const { training, parameters } = stored;
  return {
    intercept: parameters.intercept,
    droppedFeatures: parameters.droppedFeatures,
    converged: training.converged,
    iterations: training.iterations,
    pAliveFitsConverged: training.pAliveFitsConverged,
    trainingRows: training.rows,
    evaluationRows: evaluation.rows,
    baseRate: evaluation.baseRate,
    evaluation: evaluation.scores,
  };
}

/**
 * Stage 8: churn. An L2-regularized logistic regression trained on past as-of dates of the pipeline's own history
 * (every row's features as of its own date) and kept in the model store: a run scores with the newest version
 * trained as of its date, evaluated with two baselines on the latest date whose labels are known, and trains a
 * new one when churn.refit says so. Every buyer is scored as of the run date in SQL from the coefficients
 * (sql/marts/churn_features.sql, churn_model.sql; its metrics go to model_metrics). Without enough history to
 * train, churn_probability is 1 − P(alive), or the heuristic, and the result says why.
 */
export async function predictChurn(input: ChurnInput): Promise<ChurnResult> {
  const { settings, stagingDir, runDate } = input;
  const { churn } = settings;
  const marts = (name: string) => stagingFile(stagingDir, 'marts', name);
  const { training, evaluation } = churnAsOfDates(runDate, churn);
  return heartbeatWhile(() =>
    Warehouse.using(stageWarehouse(settings, stagingDir), async (warehouse) => {
      await warehouse.run(sqlFile('aggregates.sql'));
      const outcome = await modelOutcome(warehouse, input, training, evaluation);
      const model = outcome.stored?.parameters ?? null;
      const method: ChurnMethod = model ? 'logistic_regression' : input.hasPAlive ? 'one_minus_p_alive' : 'heuristic';

      await stageInputsAsOf(warehouse, input.cut, runDate);
      await warehouse.viewParquet('clv', marts('clv'));
      await warehouse.run(`CREATE OR REPLACE VIEW churn_scores AS
        SELECT member_id, ${model ? logitSql(model) : 'CAST(NULL AS DOUBLE)'} AS churn_logit
        FROM churn_inputs LEFT JOIN (SELECT member_id, p_alive FROM clv) USING (member_id)`);
      await warehouse.setVariable('churn_method', method, 'VARCHAR');
      const customers = await writeSnapshotTable(warehouse, 'churn_features', input);
      await stageCoefficients(warehouse, model);
      await writeSnapshotTable(warehouse, 'churn_model', input);
      const metrics = outcome.evaluation && model ? metricRows(outcome.evaluation, evaluation, churn.inactiveDays) : [];
      await writeMetricRows(warehouse, metrics, marts('churn_metrics'));

      return {
        customers,
        method,
        fallbackReasons: outcome.fallbackReasons,
        inactiveDays: churn.inactiveDays,
        trainingAsOf: outcome.stored?.training.asOfDates ?? training,
        evaluationAsOf: evaluation,
        model: outcome.stored && outcome.evaluation && modelFigures(outcome.stored, outcome.evaluation),
        beatsBaselines: outcome.evaluation && model ? beatsBaselines(outcome.evaluation) : null,
        storedModel: outcome.use,
      };
    }),
  );
}

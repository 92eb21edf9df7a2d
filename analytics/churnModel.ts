import { fitBgNbd, groupHistories, probabilityAlive } from './bgNbd';
import { logLoss, metricsAtCutoff, rocAuc, truePositiveRatesAt } from './classificationMetrics';
import {
  fitStandardizedLogistic,
  predictStandardized,
  type FeatureColumns,
  type StandardizedLogisticModel,
  type StandardizedScorer,
} from './standardizedLogistic';

/** The features of sql/models/churn_inputs.sql the model may use, and P(alive), which it adds per as-of date. */
export const CHURN_FEATURES = [
  'days_since_last_purchase',
  'purchase_days',
  'mean_gap_days',
  'gap_std_days',
  'recency_gap_ratio',
  'orders_last_30d',
  'orders_last_90d',
  'orders_prev_90d',
  'orders_trend_90d',
  'revenue_last_30d',
  'revenue_last_90d',
  'revenue_prev_90d',
  'revenue_trend_90d',
  'return_ratio',
  'tenure_days',
  'review_count',
  'mean_rating',
  'last_rating',
  'promo_order_share',
  'sessions_last_30d',
  'sessions_prev_30d',
  'service_contacts_90d',
  'mean_satisfaction_90d',
  'repeat_contacts_90d',
  'p_alive',
] as const;
export type ChurnFeature = (typeof CHURN_FEATURES)[number];

/** Labelled rows of several as-of dates (sql/models/churn_training_rows.sql), one entry per row. */
export interface ChurnRows {
  /** NaN where the feature is NULL; p_alive is not read here, trainChurnModel computes it. */
  features: Record<Exclude<ChurnFeature, 'p_alive'>, Float64Array>;
  /** 1 when the customer made no purchase in the inactive days after the row's as-of date. */
  churned: Float64Array;
  /** The heuristic baseline, 1 − exp(−recency / expected gap). */
  churnRisk: Float64Array;
  /** The BG/NBD history as of the row's date. */
  frequency: Float64Array;
  recency: Float64Array;
  observedFor: Float64Array;
  /** The row's as-of date: an index into ChurnTrainingTask.dates. */
  date: Int32Array;
}

export interface ChurnTrainingTask {
  rows: ChurnRows;
  /** Training dates first, the evaluation date last; evaluation is on rows of a date training never saw. */
  dates: { asOf: string; role: 'training' | 'evaluation' }[];
  l2Penalty: number;
  cutoff: number;
  /** False when the run date has no P(alive) to score with (lifetime value fell back to its heuristic). */
  usePAlive: boolean;
}

/** Where the ROC curve is read for the report: false-positive rates 0, 0.05, ..., 1. */
export const ROC_FALSE_POSITIVE_RATES: readonly number[] = Array.from({ length: 21 }, (_, k) => k / 20);

export interface ClassifierScores {
  auc: number | null;
  logLoss: number;
  precision: number;
  recall: number;
  /** The ROC curve's true-positive rate at each of ROC_FALSE_POSITIVE_RATES; null when a class is absent. */
  truePositiveRates: number[] | null;
}

/** What scores a customer: log-odds = intercept + Σ standardizedCoefficient · (x − mean) / std, unknown x adding 0. */
export type ChurnScorer = StandardizedScorer<ChurnFeature>;

/** A model, and two baselines, on the labelled rows of one as-of date. */
export interface ChurnEvaluation {
  rows: number;
  /** Share of churned rows. */
  baseRate: number;
  /** The model, today's heuristic and 1 − P(alive) (null when P(alive) is unavailable). */
  scores: { model: ClassifierScores; heuristic: ClassifierScores; oneMinusPAlive: ClassifierScores | null };
}

export interface ChurnEvaluationTask {
  /** The labelled rows of one as-of date. */
  rows: ChurnRows;
  model: ChurnScorer;
  cutoff: number;
  usePAlive: boolean;
}

/** droppedFeatures: no variation in training (a missing source, say), or no finite P(alive). */
export interface ChurnModel extends StandardizedLogisticModel<ChurnFeature> {
  /** Whether the BG/NBD fit behind P(alive) converged, per training as-of date in the task's order; empty without P(alive). */
  pAliveFitsConverged: boolean[];
  trainingRows: number;
  evaluationRows: number;
  /** Share of churned evaluation rows. */
  baseRate: number;
  /** On the evaluation date: the model, today's heuristic and 1 − P(alive) (null when P(alive) is unavailable). */
  evaluation: ChurnEvaluation['scores'];
}

/** A fit heading for the boundary creeps on for hundreds of iterations with P(alive) long settled; a proper one needs ~30. */
const BOUNDARY_FIT_ITERATIONS = 100;

/**
 * Each row's P(alive) from a BG/NBD fit on the rows of its own as-of date, and whether each fit converged, dates in
 * ascending index. A fit at the boundary (a, b → ∞: a dropout chance that does not vary between customers) is not
 * a proper maximum but still ranks customers, so its P(alive) is used as long as it is finite; null when one is not.
 */
function probabilitiesAlive(rows: ChurnRows): { values: Float64Array | null; converged: boolean[] } {
  const values = new Float64Array(rows.date.length);
  const converged: boolean[] = [];
  for (const date of [...new Set(rows.date)].sort((a, b) => a - b)) {
    const members = Int32Array.from(rows.date.keys()).filter((i) => rows.date[i] === date);
    const pick = (column: Float64Array) => Float64Array.from(members, (i) => column[i]!);
    const [frequency, recency, observedFor] = [pick(rows.frequency), pick(rows.recency), pick(rows.observedFor)];
    const fit = fitBgNbd(groupHistories(frequency, recency, observedFor), { maxIterations: BOUNDARY_FIT_ITERATIONS });
    converged.push(fit.converged);
    members.forEach((row, k) => (values[row] = probabilityAlive(fit.parameters, frequency[k]!, recency[k]!, observedFor[k]!)));
  }
  return { values: values.every(Number.isFinite) ? values : null, converged };
}

/** The rows at `members`, in that order. */
function selectRows(rows: ChurnRows, members: Int32Array): ChurnRows {
  const pick = (column: Float64Array) => Float64Array.from(members, (i) => column[i]!);
  const features = Object.fromEntries(Object.entries(rows.features).map(([name, column]) => [name, pick(column)]));
  return {
    features: features as ChurnRows['features'],
    churned: pick(rows.churned),
    churnRisk: pick(rows.churnRisk),
    frequency: pick(rows.frequency),
    recency: pick(rows.recency),
    observedFor: pick(rows.observedFor),
    date: Int32Array.from(members, (i) => rows.date[i]!),
  };
}

function scoresOf(labels: Float64Array, probabilities: Float64Array, cutoff: number): ClassifierScores {
  const { precision, recall } = metricsAtCutoff(labels, probabilities, cutoff);
  return {
    auc: rocAuc(labels, probabilities),
    logLoss: logLoss(labels, probabilities),
    precision,
    recall,
    truePositiveRates: truePositiveRatesAt(labels, probabilities, ROC_FALSE_POSITIVE_RATES),
  };
}

/**
 * Scores a model, and the two baselines, on the labelled rows of one as-of date, P(alive) from a BG/NBD fit on
 * those rows: how training evaluates a new model and how a run checks a stored one for drift, alike.
 */
export function evaluateChurnModel({ rows, model, cutoff, usePAlive }: ChurnEvaluationTask): ChurnEvaluation {
  const pAlive = usePAlive ? probabilitiesAlive(rows).values : null;
  const columns: FeatureColumns<ChurnFeature> = { ...rows.features, p_alive: pAlive };
  const labels = rows.churned;
  const churnedRows = labels.reduce((sum, y) => sum + y, 0);
  return {
    rows: labels.length,
    baseRate: labels.length > 0 ? churnedRows / labels.length : NaN,
    scores: {
      model: scoresOf(labels, predictStandardized(model, columns, Int32Array.from(labels.keys())), cutoff),
      heuristic: scoresOf(labels, rows.churnRisk, cutoff),
      oneMinusPAlive: pAlive && scoresOf(labels, pAlive.map((p) => 1 - p), cutoff),
    },
  };
}

/**
 * Trains an L2-regularized logistic regression on the training dates' rows and evaluates it, with two baselines, on
 * the evaluation date's (evaluateChurnModel). Features are standardized with the training rows' means and
 * deviations; a customer's unknown feature (no reviews, one purchase day) takes the training mean, i.e.
 * contributes nothing.
 */
export function trainChurnModel(task: ChurnTrainingTask): ChurnModel {
  const { dates } = task;
  const all = Int32Array.from(task.rows.date.keys());
  const rows = selectRows(task.rows, all.filter((i) => dates[task.rows.date[i]!]!.role === 'training'));
  const evaluationRows = selectRows(task.rows, all.filter((i) => dates[task.rows.date[i]!]!.role === 'evaluation'));
  const alive = task.usePAlive ? probabilitiesAlive(rows) : null;
  const columns: FeatureColumns<ChurnFeature> = { ...rows.features, p_alive: alive?.values ?? null };
  const fit = fitStandardizedLogistic(columns, CHURN_FEATURES, rows.churned, Int32Array.from(rows.churned.keys()), task.l2Penalty);
  const evaluation = evaluateChurnModel({ rows: evaluationRows, model: fit, cutoff: task.cutoff, usePAlive: task.usePAlive });
  return {
    ...fit,
    pAliveFitsConverged: alive?.converged ?? [],
    trainingRows: rows.churned.length,
    evaluationRows: evaluation.rows,
    baseRate: evaluation.baseRate,
    evaluation: evaluation.scores,
  };
}

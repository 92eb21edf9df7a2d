import { logLoss, metricsAtCutoff, rocAuc, type CutoffMetrics } from './classificationMetrics';
import { fitStandardizedLogistic, predictStandardized, type StandardizedLogisticModel } from './standardizedLogistic';

/**
 * Discount sensitivity (seed 004): the chance that a customer's next purchases are mostly on promotion, from what
 * they did before. The features of sql/models/discount_inputs.sql the model uses: RFM, average order value, the
 * promotions used so far and their depth, tenure and visits.
 */
export const DISCOUNT_FEATURES = [
  'recency_days',
  'purchase_orders',
  'monetary',
  'avg_order_value',
  'promo_order_share',
  'mean_promo_discount_pct',
  'tenure_days',
  'sessions_last_90d',
] as const;
export type DiscountFeature = (typeof DISCOUNT_FEATURES)[number];

/** Labelled rows of the training and the evaluation as-of date (sql/models/discount_training_rows.sql). */
export interface DiscountRows {
  /** NaN where the feature is NULL. */
  features: Record<DiscountFeature, Float64Array>;
  /** 1 when enough of the customer's orders in the label window used a promotion. */
  sensitive: Float64Array;
  /** 1 for a row of the evaluation date, 0 for a training row. */
  evaluation: Uint8Array;
}

export interface DiscountTrainingTask {
  rows: DiscountRows;
  l2Penalty: number;
  /** A probability at or above it is called sensitive, for accuracy, precision, recall and F1. */
  cutoff: number;
}

export interface DiscountScores extends CutoffMetrics {
  auc: number | null;
  logLoss: number;
}

export interface DiscountModel extends StandardizedLogisticModel<DiscountFeature> {
  trainingRows: number;
  evaluationRows: number;
  /** Share of sensitive evaluation rows. */
  baseRate: number;
  /**
   * On the evaluation date: the model, and the baseline that expects a customer to keep buying on promotion as
   * often as before (their promo_order_share as the probability).
   */
  evaluation: { model: DiscountScores; pastPromoShare: DiscountScores };
}

function scoresOf(labels: Float64Array, probabilities: Float64Array, cutoff: number): DiscountScores {
  return { auc: rocAuc(labels, probabilities), logLoss: logLoss(labels, probabilities), ...metricsAtCutoff(labels, probabilities, cutoff) };
}

/**
 * Trains an L2-regularized logistic regression on the training date's rows, standardized with their means and
 * deviations, and scores it and the baseline on the evaluation date's rows, which training never saw. The fit is
 * deterministic: Newton's method on rows in the order given.
 */
export function trainDiscountModel({ rows, l2Penalty, cutoff }: DiscountTrainingTask): DiscountModel {
  const all = Int32Array.from(rows.evaluation.keys());
  const training = all.filter((i) => rows.evaluation[i] === 0);
  const evaluation = all.filter((i) => rows.evaluation[i] === 1);
  const fit = fitStandardizedLogistic(rows.features, DISCOUNT_FEATURES, rows.sensitive, training, l2Penalty);
  const labels = Float64Array.from(evaluation, (i) => rows.sensitive[i]!);
  const sensitiveRows = labels.reduce((sum, y) => sum + y, 0);
  return {
    ...fit,
    trainingRows: training.length,
    evaluationRows: evaluation.length,
    baseRate: evaluation.length > 0 ? sensitiveRows / evaluation.length : NaN,
    evaluation: {
      model: scoresOf(labels, predictStandardized(fit, rows.features, evaluation), cutoff),
      pastPromoShare: scoresOf(labels, Float64Array.from(evaluation, (i) => rows.features.promo_order_share[i]!), cutoff),
    },
  };
}

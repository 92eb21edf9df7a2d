import { column, NON_NEGATIVE, type TableContract } from '../tableContract';

/** The figures that are shares; and the ROC curve's, the true-positive rate at a false-positive rate: tpr_at_fpr_0.05. */
const SHARE_METRICS = ['auc', 'accuracy', 'f1', 'precision', 'recall', 'base_rate'];
const ROC_METRIC = String.raw`tpr_at_fpr_(0\.\d\d|1\.00)`;
const isShare = `(metric IN (${SHARE_METRICS.map((metric) => `'${metric}'`).join(', ')}) OR regexp_full_match(metric, '${ROC_METRIC}'))`;

export const modelMetrics: TableContract = {
  table: 'model_metrics',
  grain: 'model or baseline × metric, on the pipeline\'s own history',
  key: ['model', 'method', 'metric'],
  columns: [
    column('model', 'VARCHAR', 'What was evaluated: lifetime value\'s purchases over the holdout window, the churn model, or discount sensitivity.', {
      values: ['clv_purchases', 'churn', 'discount_sensitivity'],
    }),
    column('method', 'VARCHAR', 'The model, or a baseline it is compared with.', {
      values: ['bg_nbd', 'naive_rate', 'logistic_regression', 'heuristic', 'one_minus_p_alive', 'past_promo_order_share'],
    }),
    column('is_baseline', 'BOOLEAN', 'Whether method is a baseline.'),
    column('metric', 'VARCHAR', 'The figure: a share (auc, accuracy, f1, precision, recall, base_rate, the ROC curve\'s tpr_at_fpr_0.00 … tpr_at_fpr_1.00), log_loss, or the holdout\'s mean_absolute_error, predicted_purchases and actual_purchases.'),
    column('value', 'DOUBLE', 'Its value.', NON_NEGATIVE),
    column('as_of_date', 'DATE', 'The date the evaluated predictions were made as of.', { below: 'run date' }),
    column('window_days', 'INTEGER', 'Days after as_of_date the predictions are compared with.', { min: 1 }),
    column('rows', 'BIGINT', 'Customers evaluated.', { min: 1 }),
    column('beats_baselines', 'BOOLEAN', 'On the model\'s rows, whether it beat every baseline; NULL on a baseline\'s rows.', { nullable: true }),
  ],
  rowChecks: [
    { column: 'beats_baselines', description: 'beats_baselines is NULL exactly on baselines', holds: '(beats_baselines IS NULL) = is_baseline' },
    {
      column: 'metric',
      description: 'metric is one of those figures',
      holds: `${isShare} OR metric IN ('log_loss', 'mean_absolute_error', 'predicted_purchases', 'actual_purchases')`,
    },
    { column: 'value', description: 'a share is 0 to 1', holds: `NOT ${isShare} OR value <= 1` },
  ],
};

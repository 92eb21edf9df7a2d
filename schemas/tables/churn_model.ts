import { column, type TableContract } from '../tableContract';

export const churnModel: TableContract = {
  table: 'churn_model',
  grain: 'feature of the churn model, and (intercept); empty when churn_method is not logistic_regression',
  key: ['feature'],
  columns: [
    column('feature', 'VARCHAR', 'A column of churn_features the model uses, or (intercept).'),
    column('standardized_effect', 'DOUBLE', 'Change in the log-odds of churning per training standard deviation; the intercept\'s at the training means.'),
    column('coefficient', 'DOUBLE', 'Change in the log-odds per unit; log-odds = Σ coefficient · x + the intercept\'s coefficient.'),
    column('training_mean', 'DOUBLE', 'Mean in training, which an unknown value takes; NULL for (intercept).', { nullable: true }),
    column('training_std', 'DOUBLE', 'Standard deviation in training; NULL for (intercept).', { nullable: true, above: 0 }),
  ],
  rowChecks: [
    {
      column: 'training_mean',
      description: 'training_mean and training_std are NULL exactly on (intercept)',
      holds: "(training_mean IS NULL) = (feature = '(intercept)') AND (training_std IS NULL) = (feature = '(intercept)')",
    },
  ],
  aggregateChecks: [
    {
      column: 'feature',
      description: 'a model has an (intercept) row',
      holds: "count(*) = 0 OR count(*) FILTER (WHERE feature = '(intercept)') = 1",
    },
  ],
};

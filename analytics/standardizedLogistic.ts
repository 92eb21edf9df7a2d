import { fitLogisticRegression, predictProbabilities } from './logisticRegression';
import { matrixFromColumns, type Matrix } from './matrix';

/**
 * A logistic regression on standardized features, for the models whose rows come from SQL (churn, discount
 * sensitivity). Each feature is scaled with the training rows' mean and population standard deviation; a value
 * that is unknown (NaN: no reviews, no promotion used) takes the mean, i.e. contributes nothing; a feature
 * without variation in training (a source not loaded) is left out.
 */

/** A feature's column, one value per row (NaN where unknown); null when the feature cannot be computed at all. */
export type FeatureColumns<F extends string> = Record<F, Float64Array | null>;

export interface StandardizedCoefficient<F extends string> {
  feature: F;
  /** Training mean and population standard deviation the feature is standardized with. */
  mean: number;
  std: number;
  /** Per standard deviation of the feature: its effect on the log-odds. */
  standardizedCoefficient: number;
  /** Per unit of the feature: standardizedCoefficient / std. */
  coefficient: number;
}

export interface StandardizedLogisticModel<F extends string> {
  /** Log-odds at the training means. */
  intercept: number;
  coefficients: StandardizedCoefficient<F>[];
  droppedFeatures: F[];
  converged: boolean;
  iterations: number;
}

/** Mean and population standard deviation over the training rows where the feature is known. */
function trainingScaling(values: Float64Array, training: Int32Array): { mean: number; std: number } {
  let [count, sum] = [0, 0];
  for (const i of training) if (!Number.isNaN(values[i]!)) [count, sum] = [count + 1, sum + values[i]!];
  const mean = count > 0 ? sum / count : NaN;
  let squares = 0;
  for (const i of training) if (!Number.isNaN(values[i]!)) squares += (values[i]! - mean) ** 2;
  return { mean, std: count > 0 ? Math.sqrt(squares / count) : NaN };
}

type Scaled<F extends string> = Pick<StandardizedCoefficient<F>, 'feature' | 'mean' | 'std'>;

function standardizedDesign<F extends string>(scaled: Scaled<F>[], columns: FeatureColumns<F>, rows: Int32Array): Matrix {
  return matrixFromColumns(
    scaled.map(({ feature, mean, std }) =>
      Float64Array.from(rows, (i) => {
        const value = columns[feature]?.[i] ?? NaN; // a column that cannot be computed today: every value unknown
        return Number.isNaN(value) ? 0 : (value - mean) / std;
      }),
    ),
  );
}

/** Fits P(label = 1) on the `training` rows; `labels` has one 0/1 entry per row of the columns. */
export function fitStandardizedLogistic<F extends string>(
  columns: FeatureColumns<F>,
  features: readonly F[],
  labels: Float64Array,
  training: Int32Array,
  l2Penalty: number,
): StandardizedLogisticModel<F> {
  const scaled: Scaled<F>[] = [];
  const droppedFeatures: F[] = [];
  for (const feature of features) {
    const values = columns[feature];
    const scaling = values ? trainingScaling(values, training) : { mean: NaN, std: NaN };
    if (scaling.std > 0) scaled.push({ feature, ...scaling });
    else droppedFeatures.push(feature);
  }
  const fit = fitLogisticRegression(
    standardizedDesign(scaled, columns, training),
    Float64Array.from(training, (i) => labels[i]!),
    { l2Penalty },
  );
  return {
    intercept: fit.intercept,
    coefficients: scaled.map((c, k) => ({ ...c, standardizedCoefficient: fit.coefficients[k]!, coefficient: fit.coefficients[k]! / c.std })),
    droppedFeatures,
    converged: fit.converged,
    iterations: fit.iterations,
  };
}

/** What scores a row: the intercept, and each used feature's scaling and coefficient. */
export type StandardizedScorer<F extends string> = Pick<StandardizedLogisticModel<F>, 'intercept' | 'coefficients'>;

/** P(label = 1) of the given rows under a fitted model, or a stored one. */
export function predictStandardized<F extends string>(model: StandardizedScorer<F>, columns: FeatureColumns<F>, rows: Int32Array): Float64Array {
  const coefficients = Float64Array.from(model.coefficients, (c) => c.standardizedCoefficient);
  return predictProbabilities({ intercept: model.intercept, coefficients }, standardizedDesign(model.coefficients, columns, rows));
}

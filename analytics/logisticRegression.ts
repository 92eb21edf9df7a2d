import { choleskyFactor, choleskySolve } from './linearAlgebra';
import type { Matrix } from './matrix';

/**
 * L2-regularized logistic regression by Newton's method (IRLS): it minimizes
 *   Σᵢ [ln(1 + e^ηᵢ) − yᵢ ηᵢ] + λ/2 |w|²,   ηᵢ = intercept + xᵢ · w,
 * with the intercept unpenalized. That is scikit-learn's LogisticRegression(penalty='l2', C = 1 / λ) with the
 * lbfgs, newton-cg or newton-cholesky solvers (liblinear would penalize the intercept too). The penalty acts on
 * the raw coefficients, so the caller standardizes features on different scales first (analytics/standardize.ts).
 */
export interface LogisticRegressionOptions {
  /** λ; default 1, scikit-learn's default C = 1. */
  l2Penalty?: number;
  /** Default 100; Newton rarely needs more than 10. */
  maxIterations?: number;
}

export interface LogisticModel {
  intercept: number;
  /** One per design column. */
  coefficients: Float64Array;
}

export interface LogisticRegressionFit extends LogisticModel {
  /**
   * True once Newton's predicted gain is below the objective's rounding (the final full step then leaves an error
   * about the square of its size). False when the iterations ran out, the Hessian became singular or no step
   * decreased the objective, e.g. on separable data without a penalty.
   */
  converged: boolean;
  iterations: number;
}

const ARMIJO = 1e-4;
const MAX_HALVINGS = 50;
/** Relative to the objective, a sum of positive terms: about a hundred roundings of it. */
const MEASURABLE_GAIN = 1e-14;

/** Fits the model to 0/1 labels, one per design row; throws a RangeError naming the first other label. */
export function fitLogisticRegression(design: Matrix, labels: ArrayLike<number>, options: LogisticRegressionOptions = {}): LogisticRegressionFit {
  const penalty = options.l2Penalty ?? 1;
  const maxIterations = options.maxIterations ?? 100;
  for (let i = 0; i < design.rows; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) throw new RangeError(`row ${i}: label ${labels[i]}; expected 0 or 1`);
  }
  const size = design.cols + 1; // the intercept first, then one coefficient per column
  let beta = new Float64Array(size);
  let value = objective(design, labels, beta, penalty);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const { gradient, hessian } = derivatives(design, labels, beta, penalty);
    const lower = choleskyFactor(hessian, size);
    if (!lower) return fitOf(beta, false, iteration);
    const step = choleskySolve(lower, size, gradient);
    const slope = -step.reduce((sum, s, i) => sum + s * gradient[i]!, 0);
    // Newton's predicted gain is −slope / 2; once the objective cannot resolve it, the full step lands on the optimum.
    if (-slope / 2 <= MEASURABLE_GAIN * value) return fitOf(beta.map((b, i) => b - step[i]!), true, iteration);
    let accepted = false;
    for (let halving = 0, length = 1; halving < MAX_HALVINGS && !accepted; halving++, length /= 2) {
      const trial = beta.map((b, i) => b - length * step[i]!);
      const trialValue = objective(design, labels, trial, penalty);
      if (trialValue <= value + ARMIJO * length * slope) [beta, value, accepted] = [trial, trialValue, true];
    }
    if (!accepted) return fitOf(beta, false, iteration);
  }
  return fitOf(beta, false, maxIterations);
}

/** P(y = 1) for every design row. */
export function predictProbabilities({ intercept, coefficients }: LogisticModel, design: Matrix): Float64Array {
  const probabilities = new Float64Array(design.rows);
  for (let i = 0; i < design.rows; i++) probabilities[i] = sigmoid(linearPredictor(design, i, intercept, coefficients));
  return probabilities;
}

function fitOf(beta: Float64Array, converged: boolean, iterations: number): LogisticRegressionFit {
  return { intercept: beta[0]!, coefficients: beta.slice(1), converged, iterations };
}

function linearPredictor({ cols, data }: Matrix, row: number, intercept: number, coefficients: Float64Array): number {
  let eta = intercept;
  for (let c = 0; c < cols; c++) eta += data[row * cols + c]! * coefficients[c]!;
  return eta;
}

function sigmoid(eta: number): number {
  if (eta >= 0) return 1 / (1 + Math.exp(-eta));
  const e = Math.exp(eta);
  return e / (1 + e);
}

/** ln(1 + e^η) without overflow for large η. */
function softplus(eta: number): number {
  return eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
}

function objective(design: Matrix, labels: ArrayLike<number>, beta: Float64Array, penalty: number): number {
  const coefficients = beta.subarray(1);
  let sum = 0;
  for (let i = 0; i < design.rows; i++) {
    const eta = linearPredictor(design, i, beta[0]!, coefficients);
    sum += softplus(eta) - labels[i]! * eta;
  }
  for (const w of coefficients) sum += (penalty / 2) * w * w;
  return sum;
}

/** Gradient Σ (pᵢ − yᵢ) (1, xᵢ) + λ (0, w) and Hessian Σ pᵢ (1 − pᵢ) (1, xᵢ)(1, xᵢ)ᵀ + λ diag(0, 1, …, 1). */
function derivatives(design: Matrix, labels: ArrayLike<number>, beta: Float64Array, penalty: number) {
  const { rows, cols, data } = design;
  const size = cols + 1;
  const coefficients = beta.subarray(1);
  const gradient = new Float64Array(size);
  const hessian = new Float64Array(size * size);
  const row = new Float64Array(size);
  row[0] = 1;
  for (let i = 0; i < rows; i++) {
    row.set(data.subarray(i * cols, i * cols + cols), 1);
    const p = sigmoid(linearPredictor(design, i, beta[0]!, coefficients));
    const residual = p - labels[i]!;
    const weight = p * (1 - p);
    for (let j = 0; j < size; j++) {
      gradient[j] += residual * row[j]!;
      for (let k = 0; k <= j; k++) hessian[j * size + k] += weight * row[j]! * row[k]!;
    }
  }
  for (let j = 1; j < size; j++) {
    gradient[j] += penalty * beta[j]!;
    hessian[j * size + j] += penalty;
  }
  for (let j = 0; j < size; j++) for (let k = 0; k < j; k++) hessian[k * size + j] = hessian[j * size + k]!;
  return { gradient, hessian };
}

/**
 * f(x), with its gradient written into `gradient`. A non-finite value says x is outside the domain; the line
 * search then steps back, so an objective never has to clamp its parameters.
 */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface BfgsOptions {
  /** Converged once no gradient component exceeds this. Default 1e-9, for objectives of order 1 (means, not sums). */
  gradientTolerance?: number;
  /** Default 500. */
  maxIterations?: number;
}

export interface BfgsResult {
  x: Float64Array;
  value: number;
  gradient: Float64Array;
  converged: boolean;
  iterations: number;
}

const ARMIJO = 1e-4;
/** Relative to the objective: about a hundred roundings of a mean over many terms. */
const MEASURABLE_GAIN = 1e-14;
const MAX_HALVINGS = 60;

/**
 * Minimizes a smooth objective by BFGS on the inverse Hessian with a backtracking (Armijo) line search.
 * Converged when the gradient is within tolerance, or when the quadratic model's predicted gain is below what
 * the objective's rounding lets one measure (flat ridges stall there before the gradient is tiny). A step that
 * finds no decrease restarts from the identity once; a second failure, or a non-finite start, ends the search
 * with converged: false and the best point found.
 */
export function minimizeBfgs(objective: Objective, start: Float64Array, options: BfgsOptions = {}): BfgsResult {
  const tolerance = options.gradientTolerance ?? 1e-9;
  const maxIterations = options.maxIterations ?? 500;
  const n = start.length;
  let x = Float64Array.from(start);
  let gradient = new Float64Array(n);
  let value = objective(x, gradient);
  if (!Number.isFinite(value) || !gradient.every(Number.isFinite)) {
    return { x, value, gradient, converged: false, iterations: 0 };
  }
  let inverseHessian = identity(n);
  let fresh = true;
  let iterations = 0;
  let trial = new Float64Array(n);
  let trialGradient = new Float64Array(n);
  while (maxAbs(gradient) > tolerance) {
    let direction = multiply(inverseHessian, gradient, n).map((v) => -v);
    let slope = dot(direction, gradient);
    // The quadratic model predicts a gain of −slope / 2; below the objective's rounding it cannot be had.
    if (!fresh && slope < 0 && -slope / 2 <= MEASURABLE_GAIN * Math.max(1, Math.abs(value))) {
      return { x, value, gradient, converged: true, iterations };
    }
    if (iterations === maxIterations) return { x, value, gradient, converged: false, iterations };
    iterations++;
    if (!(slope < 0)) {
      // Rounding has made the approximation indefinite: fall back to steepest descent.
      inverseHessian = identity(n);
      fresh = true;
      direction = gradient.map((v) => -v);
      slope = dot(direction, gradient);
    }
    const trialValue = lineSearch(objective, x, value, direction, slope, trial, trialGradient);
    if (trialValue === null) {
      if (fresh) return { x, value, gradient, converged: false, iterations };
      inverseHessian = identity(n);
      fresh = true;
      continue;
    }
    const s = trial.map((v, i) => v - x[i]!);
    const y = trialGradient.map((v, i) => v - gradient[i]!);
    const sy = dot(s, y);
    // Backtracking does not enforce the curvature condition; skipping the update keeps the approximation positive.
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (fresh) inverseHessian = identity(n, sy / dot(y, y)); // Nocedal & Wright (6.20): a first guess of the right size
      updateInverseHessian(inverseHessian, s, y, sy, n);
      fresh = false;
    }
    [x, trial] = [trial, x];
    [gradient, trialGradient] = [trialGradient, gradient];
    value = trialValue;
  }
  return { x, value, gradient, converged: true, iterations };
}

/**
 * Halves the step from 1 until the objective falls by at least ARMIJO times what the slope promises; returns the
 * value there and leaves the point and its gradient in `trial` and `trialGradient`. Null when no step down to
 * 2⁻⁶⁰ does.
 */
function lineSearch(
  objective: Objective,
  x: Float64Array,
  value: number,
  direction: Float64Array,
  slope: number,
  trial: Float64Array,
  trialGradient: Float64Array,
): number | null {
  for (let halving = 0, step = 1; halving < MAX_HALVINGS; halving++, step /= 2) {
    for (let i = 0; i < x.length; i++) trial[i] = x[i]! + step * direction[i]!;
    const trialValue = objective(trial, trialGradient);
    const decreased = trialValue < value && trialValue <= value + ARMIJO * step * slope;
    if (decreased && trialGradient.every(Number.isFinite)) return trialValue;
  }
  return null;
}

/** H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ with ρ = 1 / (yᵀ s). */
function updateInverseHessian(h: Float64Array, s: Float64Array, y: Float64Array, sy: number, n: number): void {
  const hy = multiply(h, y, n);
  const yhy = dot(y, hy);
  const rho = 1 / sy;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      h[i * n + j] += rho * ((1 + rho * yhy) * s[i]! * s[j]! - hy[i]! * s[j]! - s[i]! * hy[j]!);
    }
  }
}

function identity(n: number, scale = 1): Float64Array {
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) matrix[i * n + i] = scale;
  return matrix;
}

function multiply(matrix: Float64Array, vector: Float64Array, n: number): Float64Array {
  const result = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += matrix[i * n + j]! * vector[j]!;
    result[i] = sum;
  }
  return result;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function maxAbs(vector: Float64Array): number {
  let max = 0;
  for (const v of vector) max = Math.max(max, Math.abs(v));
  return max;
}

import { minimizeBfgs, type Objective } from './bfgs';
import { choleskyFactor, choleskySolve } from './linearAlgebra';

/** A maximum-likelihood fit; `Parameters` is a named record in the models, an array here. */
export interface MaximumLikelihoodFit<Parameters> {
  parameters: Parameters;
  /** Asymptotic standard errors; null when the likelihood is not curved at the optimum (not a proper maximum). */
  standardErrors: Parameters | null;
  /** Total over the observations. */
  logLikelihood: number;
  /** The gradient vanished and the Hessian is positive definite; otherwise the parameters are only the best found. */
  converged: boolean;
  iterations: number;
}

/**
 * Maximizes a likelihood over positive parameters by BFGS on their logarithms, which keeps them positive without
 * bounds; the parameters come back in the order the objective takes their logarithms. `objective` is the MEAN negative log-likelihood over `totalCount` observations (order-1 values and
 * gradients whatever the data size) as a function of the log-parameters. Never throws: a non-finite start or a
 * likelihood without an interior maximum gives the best point found and converged: false.
 */
export function maximizePositiveLikelihood(
  objective: Objective,
  start: Float64Array,
  totalCount: number,
  maxIterations?: number,
): MaximumLikelihoodFit<Float64Array> {
  const optimum = minimizeBfgs(objective, start.map(Math.log), { maxIterations });
  const standardErrors = optimum.converged ? logScaleStandardErrors(objective, optimum.x, totalCount) : null;
  return {
    parameters: optimum.x.map(Math.exp),
    standardErrors,
    logLikelihood: -totalCount * optimum.value,
    converged: standardErrors !== null,
    iterations: optimum.iterations,
  };
}

/** Central-difference step on the log scale: about 1e-10 truncation error against 1e-11 of rounding. */
const STEP = 1e-5;

/**
 * The inverse Hessian of the total negative log-likelihood (central differences of the analytic gradient) is the
 * covariance of the log-parameters; the delta method takes it back: SE(θ) = θ · SE(ln θ). Null when the Hessian
 * is not positive definite.
 */
function logScaleStandardErrors(objective: Objective, logParameters: Float64Array, totalCount: number): Float64Array | null {
  const n = logParameters.length;
  const hessian = new Float64Array(n * n);
  const forward = new Float64Array(n);
  const backward = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const shifted = Float64Array.from(logParameters);
    shifted[i] = logParameters[i]! + STEP;
    objective(shifted, forward);
    shifted[i] = logParameters[i]! - STEP;
    objective(shifted, backward);
    for (let j = 0; j < n; j++) hessian[i * n + j] = (totalCount * (forward[j]! - backward[j]!)) / (2 * STEP);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) hessian[i * n + j] = hessian[j * n + i] = (hessian[i * n + j]! + hessian[j * n + i]!) / 2;
  }
  const lower = hessian.every(Number.isFinite) ? choleskyFactor(hessian, n) : null;
  if (!lower) return null;
  return logParameters.map((logTheta, i) => {
    const unit = new Float64Array(n);
    unit[i] = 1;
    return Math.exp(logTheta) * Math.sqrt(choleskySolve(lower, n, unit)[i]!);
  });
}

import type { Objective } from './bfgs';
import { maximizePositiveLikelihood, type MaximumLikelihoodFit } from './maximumLikelihood';
import { digamma, lnGamma } from './specialFunctions';

/**
 * The Gamma-Gamma model of spend per purchase (Fader, Hardie & Lee 2005, "RFM and CLV"; Fader & Hardie, "The
 * Gamma-Gamma model of monetary value"): a customer's purchases are worth z ~ Gamma(p, ν) each, with ν ~
 * Gamma(q, γ) across customers, independent of how often they buy.
 */
export interface GammaGammaParameters {
  p: number;
  q: number;
  gamma: number;
}

/** Customers with repeat purchases only: without one there is no spend to average. */
export interface RepeatSpend {
  /** x > 0: repeat purchases (distinct purchase days − 1). */
  frequency: ArrayLike<number>;
  /** m > 0: mean spend of the repeat purchase days. */
  meanSpend: ArrayLike<number>;
  /** Customers per row when identical rows are collapsed; 1 each when absent. */
  count?: ArrayLike<number>;
}

export interface GammaGammaOptions {
  /** BFGS iterations; default 500. */
  maxIterations?: number;
}

export type GammaGammaFit = MaximumLikelihoodFit<GammaGammaParameters>;

/**
 * The negative log-likelihood per customer as a function of (ln p, ln q, ln γ), with its analytic gradient:
 *   ln f(m | x) = ln Γ(px + q) − ln Γ(px) − ln Γ(q) + q ln γ + (px − 1) ln m + px ln x − (px + q) ln(γ + m x).
 * The Γ terms depend on x alone, so they are recomputed only when x changes.
 */
function negativeMeanLogLikelihood({ frequency, meanSpend, count }: RepeatSpend, totalCount: number): Objective {
  return (logParameters, gradient) => {
    const [p, q, gamma] = Array.from(logParameters, Math.exp) as [number, number, number];
    const [lnGammaQ, digammaQ, lnGammaParameter] = [lnGamma(q), digamma(q), Math.log(gamma)];
    let sum = 0;
    let [dP, dQ, dGamma] = [0, 0, 0];
    let x = NaN;
    let [gammaTerms, digammaShape, digammaRepeat, lnX] = [0, 0, 0, 0];
    for (let i = 0; i < frequency.length; i++) {
      if (frequency[i] !== x) {
        x = frequency[i]!;
        lnX = Math.log(x);
        gammaTerms = lnGamma(p * x + q) - lnGamma(p * x) - lnGammaQ + q * lnGammaParameter + p * x * lnX;
        digammaShape = digamma(p * x + q);
        digammaRepeat = digamma(p * x);
      }
      const weight = count ? count[i]! : 1;
      const m = meanSpend[i]!;
      const lnM = Math.log(m);
      const lnScale = Math.log(gamma + m * x);
      sum += weight * (gammaTerms + (p * x - 1) * lnM - (p * x + q) * lnScale);
      dP += weight * x * (digammaShape - digammaRepeat + lnM + lnX - lnScale);
      dQ += weight * (digammaShape - digammaQ + lnGammaParameter - lnScale);
      dGamma += weight * (q / gamma - (p * x + q) / (gamma + m * x));
    }
    // Chain rule to the log scale: ∂/∂ln θ = θ ∂/∂θ.
    gradient.set([(-p * dP) / totalCount, (-q * dQ) / totalCount, (-gamma * dGamma) / totalCount]);
    return -sum / totalCount;
  };
}

/** The number of customers, after checking every row is one the model can take. */
function totalCountOf({ frequency, meanSpend, count }: RepeatSpend): number {
  let total = 0;
  for (let i = 0; i < frequency.length; i++) {
    if (!(frequency[i]! > 0 && meanSpend[i]! > 0)) {
      throw new RangeError(`row ${i}: frequency ${frequency[i]}, meanSpend ${meanSpend[i]}; expected both > 0 (repeat buyers only)`);
    }
    total += count ? count[i]! : 1;
  }
  return total;
}

function parametersOf(values: ArrayLike<number>): GammaGammaParameters {
  const [p, q, gamma] = Array.from(values) as [number, number, number];
  return { p, q, gamma };
}

/** ln L summed over customers at the given parameters. */
export function gammaGammaLogLikelihood({ p, q, gamma }: GammaGammaParameters, spend: RepeatSpend): number {
  const totalCount = totalCountOf(spend);
  return -totalCount * negativeMeanLogLikelihood(spend, totalCount)(Float64Array.from([p, q, gamma], Math.log), new Float64Array(3));
}

/**
 * Maximum likelihood on (ln p, ln q, ln γ), from p = 1, q = 2 and γ = the mean spend (so the population
 * mean spend pγ / (q − 1) starts at the observed one). Throws a RangeError on a row without repeat purchases or
 * positive spend; never on awkward data: without an interior maximum it returns the best point found with
 * converged: false.
 */
export function fitGammaGamma(spend: RepeatSpend, options: GammaGammaOptions = {}): GammaGammaFit {
  const totalCount = totalCountOf(spend);
  let spendSum = 0;
  for (let i = 0; i < spend.frequency.length; i++) spendSum += spend.meanSpend[i]! * (spend.count ? spend.count[i]! : 1);
  const start = { p: 1, q: 2, gamma: totalCount > 0 ? spendSum / totalCount : 1 };
  if (!(totalCount > 0)) return { parameters: start, standardErrors: null, logLikelihood: 0, converged: false, iterations: 0 };
  const fit = maximizePositiveLikelihood(
    negativeMeanLogLikelihood(spend, totalCount),
    Float64Array.from([start.p, start.q, start.gamma]),
    totalCount,
    options.maxIterations,
  );
  return { ...fit, parameters: parametersOf(fit.parameters), standardErrors: fit.standardErrors && parametersOf(fit.standardErrors) };
}

/**
 * E[M | x, m] = p (γ + m x) / (p x + q − 1), the expected spend per purchase of a customer with x repeat
 * purchases averaging m: the posterior mean of p / ν. Infinity where p x + q ≤ 1, where that mean does not exist
 * (for a customer without history, x = 0, that is whenever q ≤ 1).
 */
export function expectedAverageSpend({ p, q, gamma }: GammaGammaParameters, frequency: number, meanSpend: number): number {
  const denominator = p * frequency + q - 1;
  return denominator > 0 ? (p * (gamma + meanSpend * frequency)) / denominator : Infinity;
}

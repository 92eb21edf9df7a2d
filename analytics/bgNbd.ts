import type { Objective } from './bfgs';
import { maximizePositiveLikelihood, type MaximumLikelihoodFit } from './maximumLikelihood';
import { digamma, hypergeometric2F1, lnGamma } from './specialFunctions';

/**
 * The BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005, "Counting your customers the easy way").
 * While alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after every purchase they drop out
 * with probability p ~ Beta(a, b). Times are in days from the customer's first purchase (any unit works if used
 * throughout; α is in that unit).
 */
export interface BgNbdParameters {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/**
 * Customers with the same history collapsed into one row with a count: the likelihood only depends on
 * (x, tₓ, T), and a million customers share far fewer distinct histories.
 */
export interface PurchaseHistories {
  /** x: repeat purchases, i.e. distinct purchase days − 1. */
  frequency: Float64Array;
  /** tₓ: from the first to the last purchase (0 without repeat purchases). Not RFM's recency. */
  lastPurchaseAt: Float64Array;
  /** T: from the first purchase to the end of the run date. */
  observedFor: Float64Array;
  /** How many customers have this history. */
  count: Float64Array;
}

export interface GroupedHistories extends PurchaseHistories {
  /** The row of every input customer in the grouped columns, to spread per-history predictions back. */
  groupOfCustomer: Int32Array;
}

export interface BgNbdOptions {
  /** BFGS iterations; default 500. */
  maxIterations?: number;
}

export type BgNbdFit = MaximumLikelihoodFit<BgNbdParameters>;

/**
 * Collapses customers with identical (x, tₓ, T) into one weighted row, sorted by x, tₓ, T. Throws a RangeError
 * naming the first customer whose history is impossible.
 */
export function groupHistories(
  frequency: ArrayLike<number>,
  lastPurchaseAt: ArrayLike<number>,
  observedFor: ArrayLike<number>,
): GroupedHistories {
  const n = frequency.length;
  for (let i = 0; i < n; i++) {
    const x = frequency[i]!;
    const tx = lastPurchaseAt[i]!;
    if (!(x >= 0 && tx >= 0 && tx <= observedFor[i]! && (x > 0 || tx === 0))) {
      throw new RangeError(
        `customer ${i}: frequency ${x}, lastPurchaseAt ${tx}, observedFor ${observedFor[i]}; expected frequency ≥ 0, ` +
          '0 ≤ lastPurchaseAt ≤ observedFor, and lastPurchaseAt 0 when frequency is 0',
      );
    }
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort(
    (i, j) => frequency[i]! - frequency[j]! || lastPurchaseAt[i]! - lastPurchaseAt[j]! || observedFor[i]! - observedFor[j]!,
  );
  const groupOfCustomer = new Int32Array(n);
  const firstOfGroup = new Int32Array(n);
  const count = new Float64Array(n);
  let groups = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const first = firstOfGroup[groups - 1]!;
    const same =
      groups > 0 &&
      frequency[i] === frequency[first] &&
      lastPurchaseAt[i] === lastPurchaseAt[first] &&
      observedFor[i] === observedFor[first];
    if (!same) firstOfGroup[groups++] = i;
    count[groups - 1]++;
    groupOfCustomer[i] = groups - 1;
  }
  const firsts = firstOfGroup.subarray(0, groups);
  return {
    frequency: valuesAt(frequency, firsts),
    lastPurchaseAt: valuesAt(lastPurchaseAt, firsts),
    observedFor: valuesAt(observedFor, firsts),
    count: count.slice(0, groups),
    groupOfCustomer,
  };
}

/** column[rows[k]] for every k; a plain loop, several times faster than Float64Array.from with a mapping. */
function valuesAt(column: ArrayLike<number>, rows: Int32Array): Float64Array {
  const values = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) values[k] = column[rows[k]!]!;
  return values;
}

/**
 * The negative log-likelihood per customer as a function of (ln r, ln α, ln a, ln b), with its analytic gradient.
 * Per history, in logs so that no power under- or overflows:
 *   ln L = ln Γ(r + x) − ln Γ(r) + r ln α + ln Γ(a + b) + ln Γ(b + x) − ln Γ(b) − ln Γ(a + b + x)
 *          + ln( (α + T)^−(r + x) + [x > 0] a / (b + x − 1) (α + tₓ)^−(r + x) ).
 * The Γ terms depend on x alone, so they are recomputed only when x changes (rarely: the groups are sorted by x).
 */
function negativeMeanLogLikelihood(histories: PurchaseHistories, totalCount: number): Objective {
  const { frequency, lastPurchaseAt, observedFor, count } = histories;
  return (logParameters, gradient) => {
    const [r, alpha, a, b] = Array.from(logParameters, Math.exp) as [number, number, number, number];
    const [lnGammaR, lnGammaAB, lnGammaB, lnAlpha, lnA] = [lnGamma(r), lnGamma(a + b), lnGamma(b), Math.log(alpha), Math.log(a)];
    const [digammaR, digammaAB, digammaB] = [digamma(r), digamma(a + b), digamma(b)];
    let sum = 0;
    let [dR, dAlpha, dA, dB] = [0, 0, 0, 0];
    let x = NaN;
    let [gammaTerms, dRGamma, dAGamma, dBGamma, lnDropoutOdds, inverseBX] = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < frequency.length; i++) {
      if (frequency[i] !== x) {
        x = frequency[i]!;
        gammaTerms = lnGamma(r + x) - lnGammaR + r * lnAlpha + lnGammaAB + lnGamma(b + x) - lnGammaB - lnGamma(a + b + x);
        const digammaABX = digamma(a + b + x);
        dRGamma = digamma(r + x) - digammaR + lnAlpha;
        dAGamma = digammaAB - digammaABX;
        dBGamma = digammaAB + digamma(b + x) - digammaB - digammaABX;
        inverseBX = x > 0 ? 1 / (b + x - 1) : 0; // unused without repeat purchases, where b + x − 1 may be 0
        lnDropoutOdds = lnA + Math.log(inverseBX);
      }
      const weight = count[i]!;
      const lnAge = Math.log(alpha + observedFor[i]!);
      const lnLast = Math.log(alpha + lastPurchaseAt[i]!);
      const stillAlive = -(r + x) * lnAge;
      // The second term is the chance of having dropped out right after the last purchase; its share is w.
      let mixture = stillAlive;
      let w = 0;
      if (x > 0) {
        const droppedOut = lnDropoutOdds - (r + x) * lnLast;
        const larger = Math.max(stillAlive, droppedOut);
        const [e1, e2] = [Math.exp(stillAlive - larger), Math.exp(droppedOut - larger)];
        mixture = larger + Math.log(e1 + e2);
        w = e2 / (e1 + e2);
      }
      sum += weight * (gammaTerms + mixture);
      dR += weight * (dRGamma - (1 - w) * lnAge - w * lnLast);
      dAlpha += weight * (r / alpha - (r + x) * ((1 - w) / (alpha + observedFor[i]!) + w / (alpha + lastPurchaseAt[i]!)));
      dA += weight * (dAGamma + w / a);
      dB += weight * (dBGamma - w * inverseBX);
    }
    // Chain rule to the log scale: ∂/∂ln θ = θ ∂/∂θ.
    gradient.set([(-r * dR) / totalCount, (-alpha * dAlpha) / totalCount, (-a * dA) / totalCount, (-b * dB) / totalCount]);
    return -sum / totalCount;
  };
}

function totalCountOf(histories: PurchaseHistories): number {
  return histories.count.reduce((total, n) => total + n, 0);
}

function logParametersOf({ r, alpha, a, b }: BgNbdParameters): Float64Array {
  return Float64Array.from([r, alpha, a, b], Math.log);
}

function parametersOf(values: ArrayLike<number>): BgNbdParameters {
  const [r, alpha, a, b] = Array.from(values) as [number, number, number, number];
  return { r, alpha, a, b };
}

/** ln L summed over customers at the given parameters. */
export function bgNbdLogLikelihood(parameters: BgNbdParameters, histories: PurchaseHistories): number {
  const totalCount = totalCountOf(histories);
  return -totalCount * negativeMeanLogLikelihood(histories, totalCount)(logParametersOf(parameters), new Float64Array(4));
}

/**
 * Maximum likelihood on (ln r, ln α, ln a, ln b), from r = a = b = 1 and α = the mean observation time (one
 * purchase per customer lifetime so far). Never throws: a likelihood without an interior maximum (nobody came
 * back, say) gives the best point found with converged: false.
 */
export function fitBgNbd(histories: PurchaseHistories, options: BgNbdOptions = {}): BgNbdFit {
  const totalCount = totalCountOf(histories);
  const meanObserved = histories.observedFor.reduce((sum, t, i) => sum + t * histories.count[i]!, 0) / totalCount;
  const start = { r: 1, alpha: meanObserved > 0 ? meanObserved : 1, a: 1, b: 1 };
  if (!(totalCount > 0)) return { parameters: start, standardErrors: null, logLikelihood: 0, converged: false, iterations: 0 };
  const fit = maximizePositiveLikelihood(
    negativeMeanLogLikelihood(histories, totalCount),
    Float64Array.from([start.r, start.alpha, start.a, start.b]),
    totalCount,
    options.maxIterations,
  );
  return { ...fit, parameters: parametersOf(fit.parameters), standardErrors: fit.standardErrors && parametersOf(fit.standardErrors) };
}

/** P(alive | x, tₓ, T): 1 without repeat purchases, since dropping out only happens right after one. */
export function probabilityAlive({ r, alpha, a, b }: BgNbdParameters, frequency: number, lastPurchaseAt: number, observedFor: number): number {
  if (frequency === 0) return 1;
  const lnOdds =
    Math.log(a / (b + frequency - 1)) + (r + frequency) * (Math.log(alpha + observedFor) - Math.log(alpha + lastPurchaseAt));
  return 1 / (1 + Math.exp(lnOdds));
}

/**
 * E[X(T, T + horizon) | x, tₓ, T], the expected purchases in the next `horizon` (paper eq. 10):
 *   (a + b + x − 1) / (a − 1) · [1 − ((α + T) / (α + T + h))^(r + x) ₂F₁(r + x, b + x; a + b + x − 1; h / (α + T + h))]
 *   · P(alive).
 * a = 1 is a removable singularity (0 / 0); within about 1e-8 of it the result has no reliable digits.
 */
export function expectedPurchases(
  parameters: BgNbdParameters,
  frequency: number,
  lastPurchaseAt: number,
  observedFor: number,
  horizon: number,
): number {
  const { r, alpha, a, b } = parameters;
  const x = frequency;
  const z = horizon / (alpha + observedFor + horizon);
  // (α + T) / (α + T + h) = 1 − z, so the power is applied inside the hypergeometric function, in logs.
  const hypergeometricTerm = hypergeometric2F1(r + x, b + x, a + b + x - 1, z, r + x);
  return ((a + b + x - 1) / (a - 1)) * (1 - hypergeometricTerm) * probabilityAlive(parameters, x, lastPurchaseAt, observedFor);
}

/**
 * ln Γ, ψ and Gauss's hypergeometric function for positive arguments, accurate to about 1e-15: what the BG/NBD
 * and Gamma-Gamma likelihoods and predictions need, and nothing else.
 */

/** Below this the recurrences shift the argument up, where the asymptotic series is exact to double precision. */
const ASYMPTOTIC_FROM = 15;
const HALF_LN_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0: Stirling's series above 15, Γ(x) = Γ(x + n) / (x (x + 1) … (x + n − 1)) below. */
export function lnGamma(x: number): number {
  let product = 1;
  while (x < ASYMPTOTIC_FROM) {
    product *= x;
    x += 1;
  }
  const inverse = 1 / x;
  const inverseSquared = inverse * inverse;
  // Bernoulli terms B(2k) / (2k (2k − 1) x^(2k − 1)), k = 1..7; the next is below 1e-18 at x = 15.
  const series =
    inverse *
    (1 / 12 +
      inverseSquared *
        (-1 / 360 +
          inverseSquared *
            (1 / 1260 +
              inverseSquared *
                (-1 / 1680 + inverseSquared * (1 / 1188 + inverseSquared * (-691 / 360360 + inverseSquared / 156))))));
  return (x - 0.5) * Math.log(x) - x + HALF_LN_TWO_PI + series - Math.log(product);
}

/** ψ(x) = d ln Γ(x) / dx for x > 0: the asymptotic series above 15, ψ(x) = ψ(x + 1) − 1 / x below. */
export function digamma(x: number): number {
  let shift = 0;
  while (x < ASYMPTOTIC_FROM) {
    shift += 1 / x;
    x += 1;
  }
  const inverseSquared = 1 / (x * x);
  // Bernoulli terms B(2k) / (2k x^(2k)), k = 1..6; the next is below 1e-17 at x = 15.
  const series =
    inverseSquared *
    (1 / 12 -
      inverseSquared *
        (1 / 120 -
          inverseSquared * (1 / 252 - inverseSquared * (1 / 240 - inverseSquared * (1 / 132 - (691 / 32760) * inverseSquared)))));
  return Math.log(x) - 0.5 / x - series - shift;
}

/** Enough terms for z up to about 0.9999; beyond that the caller is outside what the models produce. */
const MAX_SERIES_TERMS = 1_000_000;

/**
 * ₂F₁(a, b; c; z) · (1 − z)^power for 0 ≤ z < 1 and c not a non-positive integer. Sums whichever of Gauss's
 * series and Euler's transform ₂F₁(a, b; c; z) = (1 − z)^(c − a − b) ₂F₁(c − a, c − b; c; z) has the faster
 * falling terms (their tails go as n^(a + b − c − 1) zⁿ and n^(c − a − b − 1) zⁿ). The (1 − z) powers meet in
 * logarithms, so a ₂F₁ too large for a double (many purchases, z near 1) times a tiny power stays finite: the
 * BG/NBD prediction needs exactly that product.
 */
export function hypergeometric2F1(a: number, b: number, c: number, z: number, power = 0): number {
  const [sum, exponent] = a + b > c ? [gaussSeries(c - a, c - b, c, z), c - a - b + power] : [gaussSeries(a, b, c, z), power];
  return Math.sign(sum) * Math.exp(exponent * Math.log1p(-z) + Math.log(Math.abs(sum)));
}

/** Σ (a)ₙ (b)ₙ / ((c)ₙ n!) zⁿ until a term no longer changes the sum and the terms have started to fall. */
function gaussSeries(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < MAX_SERIES_TERMS; n++) {
    const ratio = ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
    term *= ratio;
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum) && Math.abs(ratio) < 1) break;
  }
  return sum;
}

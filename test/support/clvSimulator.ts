import type { BgNbdParameters } from '../../analytics/bgNbd';
import type { GammaGammaParameters } from '../../analytics/gammaGamma';
import { Random } from '../../lib/random';

/** Customers drawn from known BG/NBD and Gamma-Gamma parameters, to test that fits recover them. */
export interface SimulatedCustomers {
  frequency: Float64Array;
  lastPurchaseAt: Float64Array;
  observedFor: Float64Array;
  /** Mean spend of the repeat purchases; 0 without one. */
  meanSpend: Float64Array;
}

export interface SimulationOptions {
  customers: number;
  /** Observation times are uniform in [min, max): customers first bought on different days. */
  observedFor: readonly [number, number];
  seed: number;
}

/** Gamma(shape, rate) by Marsaglia & Tsang (2000); a shape below 1 is boosted by one and scaled back by U^(1/shape). */
export function drawGamma(random: Random, shape: number, rate: number): number {
  if (shape < 1) return drawGamma(random, shape + 1, rate) * (1 - random.next()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const normal = random.normal(0, 1);
    const v = (1 + c * normal) ** 3;
    if (v <= 0) continue;
    if (Math.log(1 - random.next()) < 0.5 * normal * normal + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

function drawBeta(random: Random, a: number, b: number): number {
  const x = drawGamma(random, a, 1);
  return x / (x + drawGamma(random, b, 1));
}

/**
 * Each customer buys at rate λ ~ Gamma(r, α) in continuous time from their first purchase at 0, and after each
 * repeat purchase drops out with probability p ~ Beta(a, b). Each purchase is worth Gamma(p, ν) with ν ~ Gamma(q, γ),
 * so the mean of x of them is Gamma(p x, x ν), drawn in one go.
 */
export function simulateCustomers(bgNbd: BgNbdParameters, gammaGamma: GammaGammaParameters, options: SimulationOptions): SimulatedCustomers {
  const random = new Random(options.seed);
  const n = options.customers;
  const customers = {
    frequency: new Float64Array(n),
    lastPurchaseAt: new Float64Array(n),
    observedFor: new Float64Array(n),
    meanSpend: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const observedFor = random.between(options.observedFor);
    const rate = drawGamma(random, bgNbd.r, bgNbd.alpha);
    const dropout = drawBeta(random, bgNbd.a, bgNbd.b);
    let [time, frequency, lastPurchaseAt] = [0, 0, 0];
    for (;;) {
      time -= Math.log(1 - random.next()) / rate;
      if (time >= observedFor) break;
      frequency++;
      lastPurchaseAt = time;
      if (random.chance(dropout)) break;
    }
    const spendRate = drawGamma(random, gammaGamma.q, gammaGamma.gamma);
    customers.frequency[i] = frequency;
    customers.lastPurchaseAt[i] = lastPurchaseAt;
    customers.observedFor[i] = observedFor;
    customers.meanSpend[i] = frequency > 0 ? drawGamma(random, gammaGamma.p * frequency, frequency * spendRate) : 0;
  }
  return customers;
}

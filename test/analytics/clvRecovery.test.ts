import { bgNbdLogLikelihood, fitBgNbd, groupHistories, probabilityAlive, expectedPurchases } from '../../analytics/bgNbd';
import { fitGammaGamma } from '../../analytics/gammaGamma';
import { Random } from '../../lib/random';
import { drawGamma, simulateCustomers } from '../support/clvSimulator';

/**
 * The fits recover the parameters customers were drawn from, and behave on data without an interior maximum:
 * never NaN, never a throw, converged: false when there is nothing to converge to.
 */
const TRUE_BG_NBD = { r: 0.55, alpha: 35, a: 0.8, b: 2.6 };
const TRUE_GAMMA_GAMMA = { p: 5, q: 3.5, gamma: 60 };
const simulated = simulateCustomers(TRUE_BG_NBD, TRUE_GAMMA_GAMMA, { customers: 20_000, observedFor: [30, 730], seed: 2005 });

function repeatBuyers() {
  const repeat = Array.from(simulated.frequency.keys()).filter((i) => simulated.frequency[i]! > 0);
  return {
    frequency: Float64Array.from(repeat, (i) => simulated.frequency[i]!),
    meanSpend: Float64Array.from(repeat, (i) => simulated.meanSpend[i]!),
  };
}

test('the simulator draws Gamma variates with the right mean and variance, shape below and above 1', () => {
  const random = new Random(7);
  for (const [shape, rate] of [[0.3, 2], [4.5, 0.1]] as const) {
    const draws = Float64Array.from({ length: 200_000 }, () => drawGamma(random, shape, rate));
    const mean = draws.reduce((sum, v) => sum + v, 0) / draws.length;
    const variance = draws.reduce((sum, v) => sum + (v - mean) ** 2, 0) / draws.length;
    expect(Math.abs(mean / (shape / rate) - 1)).toBeLessThan(0.01);
    expect(Math.abs(variance / (shape / rate ** 2) - 1)).toBeLessThan(0.03);
  }
});

test('BG/NBD on 20,000 simulated customers recovers r, α, a and b within two standard errors', () => {
  const fit = fitBgNbd(groupHistories(simulated.frequency, simulated.lastPurchaseAt, simulated.observedFor));
  expect(fit.converged).toBe(true);
  expect(Number.isFinite(fit.logLikelihood)).toBe(true);
  for (const [name, truth] of Object.entries(TRUE_BG_NBD)) {
    const key = name as keyof typeof TRUE_BG_NBD;
    expect(Math.abs(fit.parameters[key] - truth)).toBeLessThan(2 * fit.standardErrors![key]);
  }
});

test('Gamma-Gamma on the repeat buyers among them recovers p, q and γ within two standard errors', () => {
  const fit = fitGammaGamma(repeatBuyers());
  expect(fit.converged).toBe(true);
  expect(Number.isFinite(fit.logLikelihood)).toBe(true);
  for (const [name, truth] of Object.entries(TRUE_GAMMA_GAMMA)) {
    const key = name as keyof typeof TRUE_GAMMA_GAMMA;
    expect(Math.abs(fit.parameters[key] - truth)).toBeLessThan(2 * fit.standardErrors![key]);
  }
});

test('grouping changes nothing but speed: counts add up, and the grouped likelihood is the per-customer one', () => {
  const groups = groupHistories(simulated.frequency, simulated.lastPurchaseAt, simulated.observedFor);
  const days = groupHistories(
    simulated.frequency,
    simulated.lastPurchaseAt.map(Math.floor),
    simulated.observedFor.map(Math.ceil),
  );
  expect(days.count.length).toBeLessThan(0.8 * simulated.frequency.length);
  expect(days.count.reduce((sum, n) => sum + n, 0)).toBe(simulated.frequency.length);
  const customerRows = {
    frequency: Float64Array.from(days.groupOfCustomer, (g) => days.frequency[g]!),
    lastPurchaseAt: Float64Array.from(days.groupOfCustomer, (g) => days.lastPurchaseAt[g]!),
    observedFor: Float64Array.from(days.groupOfCustomer, (g) => days.observedFor[g]!),
    count: new Float64Array(simulated.frequency.length).fill(1),
  };
  expect(customerRows.frequency).toEqual(simulated.frequency);
  expect(bgNbdLogLikelihood(TRUE_BG_NBD, days)).toBeCloseTo(bgNbdLogLikelihood(TRUE_BG_NBD, customerRows), 6);
  expect(groups.count.length).toBeGreaterThan(days.count.length);
});

test('an impossible history is refused with the customer it came from', () => {
  expect(() => groupHistories([0, 2], [0, 40], [30, 30])).toThrow(/customer 1: frequency 2, lastPurchaseAt 40, observedFor 30/);
  expect(() => groupHistories([0], [3], [30])).toThrow(/customer 0/);
  expect(() => fitGammaGamma({ frequency: [1, 0], meanSpend: [10, 0] })).toThrow(/row 1: frequency 0/);
});

test('nobody came back: no NaN, no throw, and converged: false (the likelihood has no interior maximum)', () => {
  const n = 1000;
  const observedFor = Float64Array.from({ length: n }, (_, i) => 1 + (i % 365));
  const fit = fitBgNbd(groupHistories(new Float64Array(n), new Float64Array(n), observedFor));
  expect(fit.converged).toBe(false);
  expect(fit.standardErrors).toBeNull();
  expect(Object.values(fit.parameters).every(Number.isFinite)).toBe(true);
  expect(Number.isFinite(fit.logLikelihood)).toBe(true);
  expect(probabilityAlive(fit.parameters, 0, 0, 100)).toBe(1);
});

test('five customers, or none, or one iteration: finite results and an honest converged flag', () => {
  const tiny = groupHistories([0, 1, 3, 0, 7], [0, 20, 80, 0, 150], [200, 90, 100, 30, 160]);
  const fit = fitBgNbd(tiny);
  expect(Object.values(fit.parameters).every(Number.isFinite)).toBe(true);
  expect(Number.isFinite(fit.logLikelihood)).toBe(true);
  expect(Number.isFinite(expectedPurchases(fit.parameters, 3, 80, 100, 365))).toBe(true);
  if (fit.converged) expect(Object.values(fit.standardErrors!).every(Number.isFinite)).toBe(true);

  const spend = fitGammaGamma({ frequency: [1, 3, 7], meanSpend: [25, 40, 31] });
  expect(Object.values(spend.parameters).every(Number.isFinite)).toBe(true);

  expect(fitBgNbd(groupHistories([], [], []))).toMatchObject({ converged: false, iterations: 0, logLikelihood: 0 });
  expect(fitGammaGamma({ frequency: [], meanSpend: [] })).toMatchObject({ converged: false, iterations: 0 });
  const stopped = fitBgNbd(groupHistories(simulated.frequency, simulated.lastPurchaseAt, simulated.observedFor), { maxIterations: 1 });
  expect(stopped).toMatchObject({ converged: false, iterations: 1, standardErrors: null });
});

test('expected purchases stay finite for heavy buyers far into the future, where ₂F₁ alone overflows', () => {
  const parameters = { r: 0.3, alpha: 2, a: 0.8, b: 2.5 };
  const heavy = expectedPurchases(parameters, 400, 729, 730, 3650);
  expect(Number.isFinite(heavy)).toBe(true);
  expect(heavy).toBeGreaterThan(expectedPurchases(parameters, 400, 729, 730, 365));
  expect(expectedPurchases(parameters, 400, 729, 730, 0)).toBeCloseTo(0, 15);
});

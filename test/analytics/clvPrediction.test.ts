import { expectedPurchases, probabilityAlive } from '../../analytics/bgNbd';
import { firstNonFinitePrediction, groupCustomerHistories, predictClv, type ClvParameters, type CustomerHistories } from '../../analytics/clvPrediction';

// q = 0.8: the population mean spend p γ / (q − 1) does not exist.
const PARAMETERS: ClvParameters = { bgNbd: { r: 0.5, alpha: 50, a: 0.6, b: 10 }, gammaGamma: { p: 1.2, q: 0.8, gamma: 20 } };
const HISTORIES: CustomerHistories = {
  frequency: Float64Array.from([2, 0, 2]),
  recency: Float64Array.from([40, 0, 40]),
  observedFor: Float64Array.from([100, 30, 100]),
  monetary: Float64Array.from([30, NaN, 30]),
  averageOrderValue: Float64Array.from([25, 12, 25]),
};

test('customers with one history share its predictions; every value is finite', () => {
  const predictions = predictClv(PARAMETERS, HISTORIES, groupCustomerHistories(HISTORIES), 365);
  expect(firstNonFinitePrediction(predictions)).toBeNull();
  expect(predictions.probabilityAlive[0]).toBe(probabilityAlive(PARAMETERS.bgNbd, 2, 40, 100));
  expect(predictions.expectedPurchases[0]).toBe(expectedPurchases(PARAMETERS.bgNbd, 2, 40, 100, 365));
  expect(predictions.expectedPurchases[2]).toBe(predictions.expectedPurchases[0]);
  expect(predictions.probabilityAlive[1]).toBe(1); // no repeat purchase, no chance yet to drop out
  // (α + T) / (r + x): 150 / 2.5 and 80 / 0.5 days.
  expect(Array.from(predictions.expectedGapDays)).toEqual([60, 160, 60]);
});

test('spend is the Gamma-Gamma mean where it exists, else the customer\'s average order', () => {
  const predictions = predictClv(PARAMETERS, HISTORIES, groupCustomerHistories(HISTORIES), 365);
  // x = 2, m = 30: p (γ + m x) / (p x + q − 1) = 1.2 · 80 / 2.2.
  expect(predictions.expectedSpend[0]).toBeCloseTo((1.2 * 80) / 2.2, 12);
  // x = 0 with q ≤ 1: no population mean, so the customer's own average order value.
  expect(predictions.expectedSpend[1]).toBe(12);
});

test('a non-finite prediction is named', () => {
  const predictions = predictClv(PARAMETERS, HISTORIES, groupCustomerHistories(HISTORIES), 365);
  predictions.expectedPurchases[2] = NaN;
  expect(firstNonFinitePrediction(predictions)).toBe('expectedPurchases of customer 2 is NaN');
});

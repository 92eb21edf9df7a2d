import { CHURN_FEATURES, evaluateChurnModel, trainChurnModel, type ChurnRows } from '../../analytics/churnModel';
import { checkPurchaseWindow, evaluatePurchaseHoldout, purchaseError } from '../../analytics/purchaseHoldout';
import { Random } from '../../lib/random';
import { simulateCustomers } from '../support/clvSimulator';

/**
 * A model written to the store and read back scores exactly as it did when it was trained: the JSON round trip
 * keeps every double, and training and reuse go through the same functions. That is what lets a rerun of a date
 * that trained publish the same bytes as the run that trained.
 */
const throughTheStore = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const simulated = simulateCustomers({ r: 0.6, alpha: 40, a: 0.8, b: 3 }, { p: 6, q: 4, gamma: 15 }, {
  customers: 2000,
  observedFor: [30, 600],
  seed: 7,
});

test('stored BG/NBD parameters predict a holdout window exactly as the fit that produced them', () => {
  const random = new Random(3);
  const histories = {
    frequency: simulated.frequency,
    recency: simulated.lastPurchaseAt.map(Math.floor),
    observedFor: simulated.observedFor.map(Math.ceil),
    actual: Float64Array.from(simulated.frequency, () => random.integer(0, 2)),
  };
  const fresh = evaluatePurchaseHoldout(histories, 90);
  expect(fresh.fit.converged).toBe(true);
  const stored = checkPurchaseWindow(histories, 90, throughTheStore(fresh.fit.parameters));
  expect(stored).toEqual({ customers: 2000, windowDays: 90, model: fresh.model, naive: fresh.naive });
});

test('purchaseError: predicted over actual purchases, minus 1; with no actual purchases, 0 or infinitely off', () => {
  expect(purchaseError({ meanAbsoluteError: 0, predictedPurchases: 110, actualPurchases: 100 })).toBeCloseTo(0.1, 12);
  expect(purchaseError({ meanAbsoluteError: 0, predictedPurchases: 75, actualPurchases: 100 })).toBeCloseTo(-0.25, 12);
  expect(purchaseError({ meanAbsoluteError: 0, predictedPurchases: 0, actualPurchases: 0 })).toBe(0);
  expect(purchaseError({ meanAbsoluteError: 0, predictedPurchases: 5, actualPurchases: 0 })).toBe(Infinity);
});

/** Three as-of dates of labelled rows whose churn follows two of the features; the last date is evaluation's. */
function labelledRows(): ChurnRows {
  const random = new Random(11);
  const n = simulated.frequency.length;
  const date = Int32Array.from({ length: n }, (_, i) => i % 3);
  const recency = Float64Array.from({ length: n }, () => random.between([0, 200]));
  const orders = Float64Array.from({ length: n }, () => random.integer(0, 5));
  const features = Object.fromEntries(
    CHURN_FEATURES.filter((f) => f !== 'p_alive').map((f) => [f, Float64Array.from({ length: n }, () => (random.chance(0.2) ? NaN : random.next()))]),
  ) as ChurnRows['features'];
  features.days_since_last_purchase = recency;
  features.orders_last_90d = orders;
  const churned = Float64Array.from(recency, (r, i) => (random.next() < 1 / (1 + Math.exp(-(r / 50 - orders[i]! / 2))) ? 1 : 0));
  return {
    features,
    churned,
    churnRisk: recency.map((r) => 1 - Math.exp(-r / 60)),
    frequency: simulated.frequency,
    recency: simulated.lastPurchaseAt.map(Math.floor),
    observedFor: simulated.observedFor.map(Math.ceil),
    date,
  };
}

test('a stored churn model evaluated on the evaluation date alone scores as training evaluated it', () => {
  const rows = labelledRows();
  const dates = [
    { asOf: '2026-03-05', role: 'training' as const },
    { asOf: '2026-04-04', role: 'training' as const },
    { asOf: '2026-08-02', role: 'evaluation' as const },
  ];
  const trained = trainChurnModel({ rows, dates, l2Penalty: 1, cutoff: 0.5, usePAlive: true });
  expect(trained.converged).toBe(true);
  expect(trained.evaluation.model.auc).toBeGreaterThan(0.7);

  const members = Int32Array.from(rows.date.keys()).filter((i) => rows.date[i] === 2);
  const pick = (column: Float64Array) => Float64Array.from(members, (i) => column[i]!);
  const evaluationDate: ChurnRows = {
    features: Object.fromEntries(Object.entries(rows.features).map(([f, column]) => [f, pick(column)])) as ChurnRows['features'],
    churned: pick(rows.churned),
    churnRisk: pick(rows.churnRisk),
    frequency: pick(rows.frequency),
    recency: pick(rows.recency),
    observedFor: pick(rows.observedFor),
    date: new Int32Array(members.length),
  };
  const stored = throughTheStore({ intercept: trained.intercept, coefficients: trained.coefficients });
  expect(evaluateChurnModel({ rows: evaluationDate, model: stored, cutoff: 0.5, usePAlive: true })).toEqual({
    rows: trained.evaluationRows,
    baseRate: trained.baseRate,
    scores: trained.evaluation,
  });
});

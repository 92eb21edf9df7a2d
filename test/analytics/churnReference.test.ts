import { readFileSync } from 'node:fs';
import path from 'node:path';
import { logLoss, metricsAtCutoff, rocAuc, rocCurve, truePositiveRatesAt } from '../../analytics/classificationMetrics';
import { fitLogisticRegression, predictProbabilities } from '../../analytics/logisticRegression';
import { matrixFromRows } from '../../analytics/matrix';

/**
 * Logistic regression and classification metrics against scikit-learn: test/fixtures/reference/clv_reference.json
 * (make_clv_fixtures.py) holds LogisticRegression(penalty='l2', solver='newton-cg', tol=1e-12) fits for several C
 * on a standardized design, and roc_auc_score, log_loss, roc_curve and the cut-off metrics on labelled scores.
 */
interface Reference {
  logistic: {
    design: number[][];
    labels: number[];
    fits: { C: number; intercept: number; coefficients: number[]; probabilities: number[] }[];
  };
  metrics: {
    labels: number[];
    scores: number[];
    auc: number;
    logLoss: number;
    precision: number;
    recall: number;
    accuracy: number;
    f1: number;
    roc: { falsePositiveRate: number[]; truePositiveRate: number[]; thresholds: (number | null)[] };
  }[];
}
const { logistic, metrics } = JSON.parse(
  readFileSync(path.join(__dirname, '..', 'fixtures', 'reference', 'clv_reference.json'), 'utf8'),
) as Reference;
const design = matrixFromRows(logistic.design);
const relativeDifference = (ours: number, theirs: number) => Math.abs(ours - theirs) / Math.abs(theirs);

test.each(logistic.fits.map((fit) => [fit.C, fit] as const))(
  'C = %p: coefficients and intercept within 1e-6 of scikit-learn with λ = 1 / C, probabilities within 1e-9',
  (c, reference) => {
    const fit = fitLogisticRegression(design, logistic.labels, { l2Penalty: 1 / c });
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeLessThan(15);
    expect(relativeDifference(fit.intercept, reference.intercept)).toBeLessThan(1e-6);
    fit.coefficients.forEach((w, j) => expect(relativeDifference(w, reference.coefficients[j]!)).toBeLessThan(1e-6));
    predictProbabilities(fit, design).forEach((p, i) => expect(relativeDifference(p, reference.probabilities[i]!)).toBeLessThan(1e-9));
  },
);

test('separable labels without a penalty have no optimum: finite coefficients and converged: false', () => {
  const separable = matrixFromRows([[-2], [-1], [-0.5], [0.5], [1], [2]]);
  const fit = fitLogisticRegression(separable, [0, 0, 0, 1, 1, 1], { l2Penalty: 0 });
  expect(fit.converged).toBe(false);
  expect(Number.isFinite(fit.intercept) && fit.coefficients.every(Number.isFinite)).toBe(true);
  expect(() => fitLogisticRegression(separable, [0, 0, 0, 1, 1, 2])).toThrow(/row 5: label 2/);
});

test.each(metrics.map((reference, i) => [i, reference.labels.length, reference] as const))(
  'metrics case %i (%i rows): AUC to 1e-12, log loss, cut-off metrics and ROC points as scikit-learn',
  (_i, _n, reference) => {
    const { labels, scores } = reference;
    expect(Math.abs(rocAuc(labels, scores)! - reference.auc)).toBeLessThan(1e-12);
    expect(logLoss(labels, scores)).toBeCloseTo(reference.logLoss, 12);
    const atHalf = metricsAtCutoff(labels, scores, 0.5);
    expect(atHalf.precision).toBeCloseTo(reference.precision, 12);
    expect(atHalf.recall).toBeCloseTo(reference.recall, 12);
    expect(atHalf.accuracy).toBeCloseTo(reference.accuracy, 12);
    expect(atHalf.f1).toBeCloseTo(reference.f1, 12);
    const curve = rocCurve(labels, scores)!;
    expect(curve.map((point) => point.threshold)).toEqual(reference.roc.thresholds.map((t) => t ?? Infinity));
    curve.forEach((point, k) => {
      expect(point.falsePositiveRate).toBeCloseTo(reference.roc.falsePositiveRate[k]!, 12);
      expect(point.truePositiveRate).toBeCloseTo(reference.roc.truePositiveRate[k]!, 12);
    });
  },
);

test('the ROC curve read at fixed false-positive rates: straight lines between its points, the top of a vertical step', () => {
  // Scores 0.9 (churned), 0.8 (retained), 0.4 (one of each): points (0, 0), (0, 0.5), (0.5, 0.5), (1, 1).
  // At 0 the curve has risen to 0.5; at 0.75 it is halfway from (0.5, 0.5) to (1, 1).
  const labels = [1, 0, 1, 0];
  const scores = [0.9, 0.8, 0.4, 0.4];
  expect(truePositiveRatesAt(labels, scores, [0, 0.25, 0.5, 0.75, 1])).toEqual([0.5, 0.5, 0.5, 0.75, 1]);
  expect(rocAuc(labels, scores)).toBe(0.5 * 0.5 + (0.5 * (0.5 + 1)) / 2);
  expect(truePositiveRatesAt([0, 0], [0.2, 0.5], [0, 1])).toBeNull();
});

test('metrics without both classes are null where undefined, and 0 where scikit-learn divides by zero', () => {
  expect(rocAuc([1, 1, 1], [0.2, 0.5, 0.9])).toBeNull();
  expect(rocCurve([0, 0], [0.2, 0.5])).toBeNull();
  expect(metricsAtCutoff([0, 0, 1], [0.1, 0.2, 0.3], 0.5)).toEqual({ precision: 0, recall: 0, accuracy: 2 / 3, f1: 0 });
  expect(logLoss([1, 0], [0, 1])).toBeCloseTo(-Math.log(Number.EPSILON), 10);
});

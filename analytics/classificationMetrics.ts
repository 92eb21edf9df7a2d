/**
 * Binary classification metrics as scikit-learn computes them, for 0/1 labels and scores (probabilities where
 * the metric needs them). A metric that is undefined because one class is absent is null, not NaN.
 */

export interface CutoffMetrics {
  precision: number;
  recall: number;
  accuracy: number;
  f1: number;
}

export interface RocPoint {
  /** Scores at or above it count as positive; the first point's is Infinity (nothing positive). */
  threshold: number;
  falsePositiveRate: number;
  truePositiveRate: number;
}

/** Machine epsilon, where scikit-learn's log_loss clips float64 probabilities. */
const CLIP = Number.EPSILON;

/**
 * Area under the ROC curve as the Mann-Whitney statistic: the chance a random positive outscores a random
 * negative, ties counting half (average ranks), which is what roc_auc_score's trapezoids add up to. Null when
 * either class is absent.
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number | null {
  const order = ascendingOrder(scores);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end < order.length && scores[order[end]!] === scores[order[start]!]) end++;
    const averageRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) {
      if (labels[order[k]!] === 1) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    start = end;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean negative log-likelihood of the labels, probabilities clipped to [ε, 1 − ε] as log_loss does. */
export function logLoss(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = labels[i] === 1 ? probabilities[i]! : 1 - probabilities[i]!;
    sum -= Math.log(Math.min(Math.max(p, CLIP), 1 - CLIP));
  }
  return sum / labels.length;
}

/**
 * Precision, recall, accuracy and F1 when scores at or above `cutoff` are called positive. An undefined ratio
 * (nothing called positive, no positives) is 0, scikit-learn's zero_division default.
 */
export function metricsAtCutoff(labels: ArrayLike<number>, scores: ArrayLike<number>, cutoff: number): CutoffMetrics {
  let [truePositives, falsePositives, falseNegatives] = [0, 0, 0];
  for (let i = 0; i < labels.length; i++) {
    const called = scores[i]! >= cutoff;
    if (called && labels[i] === 1) truePositives++;
    else if (called) falsePositives++;
    else if (labels[i] === 1) falseNegatives++;
  }
  const ratio = (numerator: number, denominator: number) => (denominator === 0 ? 0 : numerator / denominator);
  return {
    precision: ratio(truePositives, truePositives + falsePositives),
    recall: ratio(truePositives, truePositives + falseNegatives),
    accuracy: ratio(labels.length - falsePositives - falseNegatives, labels.length),
    f1: ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives),
  };
}

/**
 * One ROC point per distinct score, from the highest down, after a first point at (0, 0): roc_curve with
 * drop_intermediate=False. Null when either class is absent.
 */
export function rocCurve(labels: ArrayLike<number>, scores: ArrayLike<number>): RocPoint[] | null {
  const order = ascendingOrder(scores).reverse();
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) positives++;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return null;
  const points: RocPoint[] = [{ threshold: Infinity, falsePositiveRate: 0, truePositiveRate: 0 }];
  let [truePositives, falsePositives] = [0, 0];
  for (let k = 0; k < order.length; k++) {
    if (labels[order[k]!] === 1) truePositives++;
    else falsePositives++;
    const score = scores[order[k]!]!;
    if (k + 1 === order.length || scores[order[k + 1]!] !== score) {
      points.push({ threshold: score, falsePositiveRate: falsePositives / negatives, truePositiveRate: truePositives / positives });
    }
  }
  return points;
}

/**
 * The ROC curve read at the given false-positive rates, its points joined by straight lines as the AUC's
 * trapezoids join them: the true-positive rate at each (the highest where the curve rises straight up at that
 * rate). A handful of rates draws the curve without carrying one point per distinct score. Null when either
 * class is absent.
 */
export function truePositiveRatesAt(labels: ArrayLike<number>, scores: ArrayLike<number>, falsePositiveRates: readonly number[]): number[] | null {
  const curve = rocCurve(labels, scores);
  if (curve === null) return null;
  return falsePositiveRates.map((rate) => {
    let i = 0;
    while (i + 1 < curve.length && curve[i + 1]!.falsePositiveRate <= rate) i++;
    const [from, to] = [curve[i]!, curve[i + 1]];
    if (to === undefined || from.falsePositiveRate === rate) return from.truePositiveRate;
    const along = (rate - from.falsePositiveRate) / (to.falsePositiveRate - from.falsePositiveRate);
    return from.truePositiveRate + along * (to.truePositiveRate - from.truePositiveRate);
  });
}

function ascendingOrder(scores: ArrayLike<number>): Uint32Array {
  return Uint32Array.from({ length: scores.length }, (_, i) => i).sort((i, j) => scores[i]! - scores[j]!);
}

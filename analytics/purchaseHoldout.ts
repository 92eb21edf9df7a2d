import { expectedPurchases, fitBgNbd, groupHistories, type BgNbdFit } from './bgNbd';

/** Customers' BG/NBD histories as of the start of a holdout window, and what they bought in it. */
export interface HoldoutHistories {
  frequency: Float64Array;
  recency: Float64Array;
  observedFor: Float64Array;
  /** Purchase days within the window. */
  actual: Float64Array;
}

export interface HoldoutFigures {
  /** Mean over customers of |predicted − actual| purchases in the window. */
  meanAbsoluteError: number;
  predictedPurchases: number;
  actualPurchases: number;
}

export interface HoldoutEvaluation {
  customers: number;
  windowDays: number;
  fit: BgNbdFit;
  /** Null when the fit did not converge: nothing to evaluate. */
  model: HoldoutFigures | null;
  /** Each customer repeats their historical rate of repeat purchases, x / T, through the window. */
  naive: HoldoutFigures;
}

function figuresOf(predicted: Float64Array, actual: Float64Array): HoldoutFigures {
  let [error, predictedPurchases, actualPurchases] = [0, 0, 0];
  predicted.forEach((p, i) => {
    error += Math.abs(p - actual[i]!);
    predictedPurchases += p;
    actualPurchases += actual[i]!;
  });
  return { meanAbsoluteError: predicted.length > 0 ? error / predicted.length : NaN, predictedPurchases, actualPurchases };
}

/**
 * Lifetime value's check on the pipeline's own history: BG/NBD fitted on the histories as of the window's start
 * predicts each customer's purchases in the window (conditional expectation, paper eq. 10), compared with what
 * they bought and with the naive baseline.
 */
export function evaluatePurchaseHoldout(histories: HoldoutHistories, windowDays: number): HoldoutEvaluation {
  const { frequency, recency, observedFor, actual } = histories;
  const grouped = groupHistories(frequency, recency, observedFor);
  const fit = fitBgNbd(grouped);
  const naive = Float64Array.from(frequency, (x, i) => (x / observedFor[i]!) * windowDays);
  let model: HoldoutFigures | null = null;
  if (fit.converged) {
    const perGroup = Float64Array.from(grouped.count, (_, g) =>
      expectedPurchases(fit.parameters, grouped.frequency[g]!, grouped.lastPurchaseAt[g]!, grouped.observedFor[g]!, windowDays),
    );
    model = figuresOf(Float64Array.from(grouped.groupOfCustomer, (g) => perGroup[g]!), actual);
  }
  return { customers: frequency.length, windowDays, fit, model, naive: figuresOf(naive, actual) };
}

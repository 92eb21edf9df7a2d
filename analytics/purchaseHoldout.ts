import { expectedPurchases, fitBgNbd, groupHistories, type BgNbdFit, type BgNbdParameters } from './bgNbd';

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

/** BG/NBD parameters' predictions over a window against what happened, next to the naive baseline's. */
export interface WindowCheck {
  customers: number;
  windowDays: number;
  model: HoldoutFigures;
  /** Each customer repeats their historical rate of repeat purchases, x / T, through the window. */
  naive: HoldoutFigures;
}

export interface HoldoutEvaluation {
  customers: number;
  windowDays: number;
  fit: BgNbdFit;
  /** Null when the fit did not converge: nothing to evaluate. */
  model: HoldoutFigures | null;
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
 * Each customer's purchases in the window as BG/NBD with `parameters` predicts them from their history at its
 * start (conditional expectation, paper eq. 10), and as the naive rate does, both against what they bought.
 */
export function checkPurchaseWindow(histories: HoldoutHistories, windowDays: number, parameters: BgNbdParameters): WindowCheck {
  const { frequency, recency, observedFor, actual } = histories;
  const grouped = groupHistories(frequency, recency, observedFor);
  const perGroup = Float64Array.from(grouped.count, (_, g) =>
    expectedPurchases(parameters, grouped.frequency[g]!, grouped.lastPurchaseAt[g]!, grouped.observedFor[g]!, windowDays),
  );
  const naive = Float64Array.from(frequency, (x, i) => (x / observedFor[i]!) * windowDays);
  return {
    customers: frequency.length,
    windowDays,
    model: figuresOf(Float64Array.from(grouped.groupOfCustomer, (g) => perGroup[g]!), actual),
    naive: figuresOf(naive, actual),
  };
}

/**
 * Lifetime value's check on the pipeline's own history: BG/NBD fitted on the histories as of the window's start
 * predicts each customer's purchases in the window, compared with what they bought and with the naive baseline.
 */
export function evaluatePurchaseHoldout(histories: HoldoutHistories, windowDays: number): HoldoutEvaluation {
  const { frequency, recency, observedFor } = histories;
  const fit = fitBgNbd(groupHistories(frequency, recency, observedFor));
  const check = checkPurchaseWindow(histories, windowDays, fit.parameters);
  return { customers: check.customers, windowDays, fit, model: fit.converged ? check.model : null, naive: check.naive };
}

/** Predicted over actual purchases, minus 1: how far the model is off in aggregate (+0.2: 20% too many). */
export function purchaseError({ predictedPurchases, actualPurchases }: HoldoutFigures): number {
  if (actualPurchases === 0) return predictedPurchases === 0 ? 0 : Infinity;
  return predictedPurchases / actualPurchases - 1;
}

import { expectedPurchases, fitBgNbd, groupHistories, probabilityAlive, type BgNbdFit, type BgNbdParameters, type GroupedHistories } from './bgNbd';
import { expectedAverageSpend, fitGammaGamma, type GammaGammaFit, type GammaGammaParameters } from './gammaGamma';

/** Every scored customer's history in days (sql/marts/clv_histories.sql), one entry per customer. */
export interface CustomerHistories {
  /** x: distinct purchase days − 1. */
  frequency: Float64Array;
  /** tₓ: days from the first to the last purchase day. */
  recency: Float64Array;
  /** T: days from the first purchase day to the end of the run date. */
  observedFor: Float64Array;
  /** Mean revenue of the repeat purchase days; NaN without a repeat purchase. */
  monetary: Float64Array;
  /** Net revenue per order: the spend to expect where the Gamma-Gamma mean does not exist. */
  averageOrderValue: Float64Array;
}

export interface ClvModels {
  bgNbd: BgNbdFit & { customers: number; historyGroups: number };
  /** Fitted on repeat customers with a positive mean repeat spend only. */
  gammaGamma: GammaGammaFit & { customers: number };
}

/** What lifetime value scores with: the two models' parameters, fitted or stored. */
export interface ClvParameters {
  bgNbd: BgNbdParameters;
  gammaGamma: GammaGammaParameters;
}

export function parametersOf(models: ClvModels): ClvParameters {
  return { bgNbd: models.bgNbd.parameters, gammaGamma: models.gammaGamma.parameters };
}

/** Per customer, in the order of the histories. */
export interface ClvPredictions {
  probabilityAlive: Float64Array;
  /** Expected purchases (purchase days) within the horizon. */
  expectedPurchases: Float64Array;
  expectedSpend: Float64Array;
  /** (α + T) / (r + x): the mean wait for the next purchase at the posterior mean rate of an alive customer. */
  expectedGapDays: Float64Array;
}

/** Customers with identical (x, tₓ, T) as one weighted history, for the fit and the predictions alike. */
export function groupCustomerHistories(histories: CustomerHistories): GroupedHistories {
  return groupHistories(histories.frequency, histories.recency, histories.observedFor);
}

/** BG/NBD on the grouped histories, Gamma-Gamma on the repeat customers with positive spend. */
export function fitClvModels(histories: CustomerHistories, grouped: GroupedHistories): ClvModels {
  const repeat: number[] = [];
  for (let i = 0; i < histories.frequency.length; i++) {
    if (histories.frequency[i]! > 0 && histories.monetary[i]! > 0) repeat.push(i);
  }
  // Sorted by frequency, so the fit recomputes its Γ terms only when x changes.
  repeat.sort((i, j) => histories.frequency[i]! - histories.frequency[j]! || i - j);
  const bgNbd = fitBgNbd(grouped);
  const gammaGamma = fitGammaGamma({
    frequency: Float64Array.from(repeat, (i) => histories.frequency[i]!),
    meanSpend: Float64Array.from(repeat, (i) => histories.monetary[i]!),
  });
  return {
    bgNbd: { ...bgNbd, customers: histories.frequency.length, historyGroups: grouped.count.length },
    gammaGamma: { ...gammaGamma, customers: repeat.length },
  };
}

/**
 * Each customer's P(alive), expected purchases over `horizonDays`, expected spend per purchase and expected gap
 * to the next purchase. Customers without a positive repeat spend get the population mean spend (x = 0); where
 * the Gamma-Gamma mean does not exist (p x + q ≤ 1) a customer's own average order value stands in.
 */
export function predictClv(
  parameters: ClvParameters,
  histories: CustomerHistories,
  grouped: GroupedHistories,
  horizonDays: number,
): ClvPredictions {
  const n = histories.frequency.length;
  const groupAlive = new Float64Array(grouped.count.length);
  const groupPurchases = new Float64Array(grouped.count.length);
  const { r, alpha } = parameters.bgNbd;
  for (let g = 0; g < grouped.count.length; g++) {
    const [x, tx, t] = [grouped.frequency[g]!, grouped.lastPurchaseAt[g]!, grouped.observedFor[g]!];
    groupAlive[g] = probabilityAlive(parameters.bgNbd, x, tx, t);
    groupPurchases[g] = expectedPurchases(parameters.bgNbd, x, tx, t, horizonDays);
  }
  const predictions: ClvPredictions = {
    probabilityAlive: new Float64Array(n),
    expectedPurchases: new Float64Array(n),
    expectedSpend: new Float64Array(n),
    expectedGapDays: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const group = grouped.groupOfCustomer[i]!;
    const x = histories.frequency[i]!;
    const m = histories.monetary[i]!;
    const spend = m > 0 ? expectedAverageSpend(parameters.gammaGamma, x, m) : expectedAverageSpend(parameters.gammaGamma, 0, 0);
    predictions.probabilityAlive[i] = groupAlive[group]!;
    predictions.expectedPurchases[i] = groupPurchases[group]!;
    predictions.expectedSpend[i] = Number.isFinite(spend) ? spend : histories.averageOrderValue[i]!;
    predictions.expectedGapDays[i] = (alpha + histories.observedFor[i]!) / (r + x);
  }
  return predictions;
}

/** The first non-finite prediction, named, or null when every value is a finite number. */
export function firstNonFinitePrediction(predictions: ClvPredictions): string | null {
  for (const [name, values] of Object.entries(predictions) as [string, Float64Array][]) {
    const i = values.findIndex((value) => !Number.isFinite(value));
    if (i >= 0) return `${name} of customer ${i} is ${values[i]}`;
  }
  return null;
}

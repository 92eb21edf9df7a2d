/**
 * The entry point of a lifetime-value worker thread (see clvThreads.ts): fits BG/NBD and Gamma-Gamma and, when
 * both converged, predicts every customer, checks the holdout window, then posts the result back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fitClvModels, groupCustomerHistories, predictClv, type CustomerHistories } from '../analytics/clvPrediction';
import { evaluatePurchaseHoldout, type HoldoutHistories } from '../analytics/purchaseHoldout';

export interface ClvThreadTask {
  histories: CustomerHistories;
  horizonDays: number;
  /** The holdout check's histories as of the start of its window; null when the run has no such history. */
  holdout: { histories: HoldoutHistories; windowDays: number } | null;
}

const { histories, horizonDays, holdout } = workerData as ClvThreadTask;
const started = performance.now();
const grouped = groupCustomerHistories(histories);
const models = fitClvModels(histories, grouped);
const fitSeconds = (performance.now() - started) / 1000;
const converged = models.bgNbd.converged && models.gammaGamma.converged;
parentPort!.postMessage({
  models,
  fitSeconds,
  predictions: converged ? predictClv(models, histories, grouped, horizonDays) : null,
  holdout: holdout && evaluatePurchaseHoldout(holdout.histories, holdout.windowDays),
});

/**
 * The entry point of a lifetime-value worker thread (see clvThreads.ts). A 'fit' task fits BG/NBD and
 * Gamma-Gamma on the customers' histories and, for the model's record, BG/NBD again on the histories as of the
 * holdout window's start; a 'score' task predicts every customer and the last holdout window with given
 * parameters, fitted just now or stored. Either posts its result back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fitClvModels, groupCustomerHistories, predictClv, type ClvParameters, type CustomerHistories } from '../analytics/clvPrediction';
import { checkPurchaseWindow, evaluatePurchaseHoldout, type HoldoutHistories } from '../analytics/purchaseHoldout';

/** The customers' histories as of the start of the last holdout window, and the window's length. */
export interface HoldoutWindow {
  histories: HoldoutHistories;
  windowDays: number;
}

export type ClvThreadTask =
  | { kind: 'fit'; histories: CustomerHistories; holdout: HoldoutWindow | null }
  | { kind: 'score'; histories: CustomerHistories; horizonDays: number; parameters: ClvParameters; holdout: HoldoutWindow | null };

function run(task: ClvThreadTask) {
  const { histories, holdout } = task;
  if (task.kind === 'score') {
    return {
      predictions: predictClv(task.parameters, histories, groupCustomerHistories(histories), task.horizonDays),
      window: holdout && checkPurchaseWindow(holdout.histories, holdout.windowDays, task.parameters.bgNbd),
    };
  }
  const started = performance.now();
  const models = fitClvModels(histories, groupCustomerHistories(histories));
  return {
    models,
    fitSeconds: (performance.now() - started) / 1000,
    holdout: holdout && evaluatePurchaseHoldout(holdout.histories, holdout.windowDays),
  };
}

parentPort!.postMessage(run(workerData as ClvThreadTask));

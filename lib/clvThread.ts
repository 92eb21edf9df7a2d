/**
 * The entry point of a lifetime-value worker thread (see clvThreads.ts): fits BG/NBD and Gamma-Gamma and, when
 * both converged, predicts every customer, then posts the result back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fitClvModels, groupCustomerHistories, predictClv, type CustomerHistories } from '../analytics/clvPrediction';

export interface ClvThreadTask {
  histories: CustomerHistories;
  horizonDays: number;
}

const { histories, horizonDays } = workerData as ClvThreadTask;
const grouped = groupCustomerHistories(histories);
const models = fitClvModels(histories, grouped);
const converged = models.bgNbd.converged && models.gammaGamma.converged;
parentPort!.postMessage({ models, predictions: converged ? predictClv(models, histories, grouped, horizonDays) : null });

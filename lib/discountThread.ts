/** A discount-sensitivity worker thread (see discountThreads.ts): trains and evaluates the model, then posts it back. */
import { parentPort, workerData } from 'node:worker_threads';
import { trainDiscountModel, type DiscountTrainingTask } from '../analytics/discountModel';

parentPort!.postMessage(trainDiscountModel(workerData as DiscountTrainingTask));

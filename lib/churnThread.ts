/** The entry point of a churn worker thread (see churnThreads.ts): trains and evaluates the model, then posts it back. */
import { parentPort, workerData } from 'node:worker_threads';
import { trainChurnModel, type ChurnTrainingTask } from '../analytics/churnModel';

parentPort!.postMessage(trainChurnModel(workerData as ChurnTrainingTask));

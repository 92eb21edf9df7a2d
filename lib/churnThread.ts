/**
 * The entry point of a churn worker thread (see churnThreads.ts): trains and evaluates a model, or evaluates a
 * stored one on one labelled date, then posts the result back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { evaluateChurnModel, trainChurnModel, type ChurnEvaluationTask, type ChurnTrainingTask } from '../analytics/churnModel';

export type ChurnThreadTask = ({ kind: 'train' } & ChurnTrainingTask) | ({ kind: 'evaluate' } & ChurnEvaluationTask);

const task = workerData as ChurnThreadTask;
parentPort!.postMessage(task.kind === 'train' ? trainChurnModel(task) : evaluateChurnModel(task));

import type { ChurnEvaluation, ChurnEvaluationTask, ChurnModel, ChurnTrainingTask } from '../analytics/churnModel';
import { runInThread } from './workerThread';

/** analytics/churnModel's training off the event loop, so that heartbeats keep flowing. */
export function trainChurnModelInThread(task: ChurnTrainingTask): Promise<ChurnModel> {
  return runInThread<ChurnModel>('churnThread', { kind: 'train', ...task });
}

/** A model's evaluation on one labelled date (a BG/NBD fit for P(alive) included) off the event loop. */
export function evaluateChurnModelInThread(task: ChurnEvaluationTask): Promise<ChurnEvaluation> {
  return runInThread<ChurnEvaluation>('churnThread', { kind: 'evaluate', ...task });
}

import type { ClvModels, ClvPredictions } from '../analytics/clvPrediction';
import type { HoldoutEvaluation } from '../analytics/purchaseHoldout';
import type { ClvThreadTask } from './clvThread';
import { runInThread } from './workerThread';

export interface ClvThreadResult {
  models: ClvModels;
  /** Null unless both fits converged. */
  predictions: ClvPredictions | null;
  holdout: HoldoutEvaluation | null;
}

/** analytics/clvPrediction's fits and predictions off the event loop, so that heartbeats keep flowing. */
export function fitAndPredictClvInThread(task: ClvThreadTask): Promise<ClvThreadResult> {
  return runInThread<ClvThreadResult>('clvThread', task);
}

import type { ClvModels, ClvPredictions } from '../analytics/clvPrediction';
import type { HoldoutEvaluation } from '../analytics/purchaseHoldout';
import type { ClvThreadTask } from './clvThread';
import { runInThread } from './workerThread';

export interface ClvThreadResult {
  models: ClvModels;
  /** Grouping the histories and fitting both models, the work `npm run bench` times at 1M customers. */
  fitSeconds: number;
  /** Null unless both fits converged. */
  predictions: ClvPredictions | null;
  holdout: HoldoutEvaluation | null;
}

/** analytics/clvPrediction's fits and predictions off the event loop, so that heartbeats keep flowing. */
export function fitAndPredictClvInThread(task: ClvThreadTask): Promise<ClvThreadResult> {
  return runInThread<ClvThreadResult>('clvThread', task);
}

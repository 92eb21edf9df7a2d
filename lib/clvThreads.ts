import type { ClvModels, ClvPredictions } from '../analytics/clvPrediction';
import type { ClvThreadTask } from './clvThread';
import { runInThread } from './workerThread';

export interface ClvThreadResult {
  models: ClvModels;
  /** Null unless both fits converged. */
  predictions: ClvPredictions | null;
}

/** analytics/clvPrediction's fits and predictions off the event loop, so that heartbeats keep flowing. */
export function fitAndPredictClvInThread(task: ClvThreadTask): Promise<ClvThreadResult> {
  return runInThread<ClvThreadResult>('clvThread', task);
}

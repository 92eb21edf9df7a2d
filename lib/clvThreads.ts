import type { ClvModels, ClvPredictions } from '../analytics/clvPrediction';
import type { HoldoutEvaluation, WindowCheck } from '../analytics/purchaseHoldout';
import type { ClvThreadTask } from './clvThread';
import { runInThread } from './workerThread';

export interface ClvFit {
  models: ClvModels;
  /** Grouping the histories and fitting both models, the work `npm run bench` times at 1M customers. */
  fitSeconds: number;
  /** BG/NBD fitted as of the holdout window's start, predicting it; null when nobody had bought by then. */
  holdout: HoldoutEvaluation | null;
}

export interface ClvScores {
  predictions: ClvPredictions;
  /** The parameters' predictions over the last holdout window; null when nobody had bought by its start. */
  window: WindowCheck | null;
}

/** analytics/clvPrediction's fits off the event loop, so that heartbeats keep flowing. */
export function fitClvInThread(task: Omit<Extract<ClvThreadTask, { kind: 'fit' }>, 'kind'>): Promise<ClvFit> {
  return runInThread<ClvFit>('clvThread', { kind: 'fit', ...task });
}

/** Every customer's predictions, and the last holdout window's, with given parameters, off the event loop. */
export function scoreClvInThread(task: Omit<Extract<ClvThreadTask, { kind: 'score' }>, 'kind'>): Promise<ClvScores> {
  return runInThread<ClvScores>('clvThread', { kind: 'score', ...task });
}

import type { ChurnModel, ChurnTrainingTask } from '../analytics/churnModel';
import { runInThread } from './workerThread';

/** analytics/churnModel's training off the event loop, so that heartbeats keep flowing. */
export function trainChurnModelInThread(task: ChurnTrainingTask): Promise<ChurnModel> {
  return runInThread<ChurnModel>('churnThread', task);
}

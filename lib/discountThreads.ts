import type { DiscountModel, DiscountTrainingTask } from '../analytics/discountModel';
import { runInThread } from './workerThread';

/** analytics/discountModel's training off the event loop, so that heartbeats keep flowing. */
export function trainDiscountModelInThread(task: DiscountTrainingTask): Promise<DiscountModel> {
  return runInThread<DiscountModel>('discountThread', task);
}

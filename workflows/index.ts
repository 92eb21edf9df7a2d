/** The workflows the worker runs. Orchestration only: no I/O, no data (see activities/ for the stages). */
export { segmentationRunId } from '../lib/workflowIds';
export { segmentationRun, progressQuery } from './segmentationRun';
export { predecessorSettledSignal, predecessorModelSettledSignal, modelSettledSignal } from './backfillSignals';
export { backfill, backfillId, backfillProgressQuery } from './backfill';
export { scheduledSegmentationRun } from './scheduledRun';
export { trainModels, trainModelsId } from './trainModels';

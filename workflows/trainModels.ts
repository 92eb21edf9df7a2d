import { CancellationScope, workflowInfo } from '@temporalio/workflow';
import {
  trainModelsInputSchema,
  type ModelName,
  type TrainedModelOutcome,
  type TrainModelsInput,
  type TrainModelsResult,
} from '../schemas/run';
import {
  buildCustomerFeatures,
  clusterCustomers,
  cutAtRunDate,
  discardStaging,
  predictChurn,
  predictLifetimeValue,
  scoreRfm,
} from './activityStubs';
import { prepareCleanedBase } from './cleanedBase';
import { parseWorkflowInput } from './workflowInput';

/** One training per date at a time: a second start for the same date is refused while the first runs. */
export function trainModelsId(asOf: string): string {
  return `segflow-train-${asOf}`;
}

/**
 * `segflow train`: trains the named models as of `asOf` whatever their refit policy says, each stored as a new
 * version that the runs for `asOf` and later dates score with. It goes through the stages of a run up to the
 * models, with the same activities: churn needs lifetime value's P(alive), which scores (and stores a version) as
 * a run of the date would. Nothing is published, and the staging folder goes whatever happens: a training leaves
 * nothing to inspect that a run of the date would not show.
 */
export async function trainModels(rawInput: TrainModelsInput): Promise<TrainModelsResult> {
  const { asOf, outDir, settings, models } = parseWorkflowInput(trainModelsInputSchema, rawInput, 'trainModels');
  const stagingDir = `${outDir}/_staging/train/${workflowInfo().runId}`;
  const requested = (model: ModelName) => models.includes(model);
  const trained: TrainedModelOutcome[] = [];
  try {
    const base = await prepareCleanedBase(settings, `${stagingDir}/base`, asOf);
    const input = { runDate: asOf, settings, stagingDir };
    const cut = await cutAtRunDate({ ...input, base });
    const loadedSources = cut.sources.filter((s) => s.status === 'loaded').map((s) => s.source);
    await buildCustomerFeatures({ ...input, loadedSources, cut: cut.cut });
    await scoreRfm(input);
    if (requested('clv') || requested('churn')) {
      const lifetimeValue = await predictLifetimeValue({ ...input, cut: cut.cut, outDir, trainOnRequest: requested('clv') });
      if (requested('clv')) trained.push({ model: 'clv', use: lifetimeValue.storedModel, fallbackReasons: lifetimeValue.fallbackReasons });
      if (requested('churn')) {
        const hasPAlive = lifetimeValue.method === 'bg_nbd_gamma_gamma';
        const churn = await predictChurn({ ...input, cut: cut.cut, loadedSources, hasPAlive, outDir, trainOnRequest: true });
        trained.push({ model: 'churn', use: churn.storedModel, fallbackReasons: churn.fallbackReasons });
      }
    }
    if (requested('clustering')) {
      const clusters = await clusterCustomers({ ...input, loadedSources, outDir, trainOnRequest: true });
      trained.push({ model: 'clustering', use: clusters.model, fallbackReasons: [] });
    }
    return { asOf, models: trained };
  } finally {
    await CancellationScope.nonCancellable(() => discardStaging({ stagingDir }));
  }
}

import {
  CancellationScope,
  condition,
  defineQuery,
  getExternalWorkflowHandle,
  isCancellation,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  MODEL_NAMES,
  STAGES,
  segmentationRunInputSchema,
  type ModelName,
  type RunProgress,
  type SegmentationRunInput,
  type SegmentationRunResult,
  type Stage,
  type StageTiming,
} from '../schemas/run';
import {
  applyRetention,
  predictChurn,
  predictDiscountSensitivity,
  collectModelMetrics,
  buildCustomerFeatures,
  clusterCustomers,
  compareSegments,
  cutAtRunDate,
  discardStaging,
  planCampaigns,
  profileDemographics,
  findBasketRules,
  buildSalesKpis,
  predictLifetimeValue,
  publishSnapshot,
  buildReport,
  scoreRfm,
} from './activityStubs';
import { modelSettledSignal, predecessorModelSettledSignal, predecessorSettledSignal } from './backfillSignals';
import { prepareCleanedBase } from './cleanedBase';
import { sideBySide } from './sideBySide';
import { parseWorkflowInput } from './workflowInput';

export const progressQuery = defineQuery<RunProgress>('progress');

/** Stage timings in the pipeline's order (STAGES), whichever of two side-by-side stages finished first. */
function inPipelineOrder(stages: StageTiming[]): StageTiming[] {
  return [...stages].sort((a, b) => STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage));
}

/** What a backfill's previous date may have to finish first: each model's stage, and its whole run. */
type PredecessorPart = ModelName | 'snapshot';

/**
 * One daily segmentation run for one run date: ingest → clean → point in time → customer features → rfm, then
 * three branches side by side: lifetime value → churn beside sales kpis; discount sensitivity; cluster → baskets.
 * Then campaigns → demographics beside segment transitions and model metrics; publish → report → retention.
 * Stages hand each other Parquet files in a staging folder of this run; only paths, counts and small statistics
 * pass through here. The worker runs at most SEGFLOW_MAX_CONCURRENT_ACTIVITIES stages at once, of every run.
 * A backfill passes its shared cleaned base, and the run starts at the point-in-time cut. Its dates run side by
 * side except where one reads what the date before it writes: each model stage comes after the previous date's
 * stage of that model (the newest model as of a date may be the one the previous date just trained), and the
 * campaigns onwards after its publish (cooldowns read its targets, transitions its snapshot).
 */
export async function segmentationRun(rawInput: SegmentationRunInput): Promise<SegmentationRunResult> {
  const { runDate, outDir, settings, base: sharedBase, awaitPredecessor, inBackfill, allowDrop } =
    parseWorkflowInput(segmentationRunInputSchema, rawInput, 'segmentationRun');
  const { workflowId, runId, parent } = workflowInfo();
  const stagingDir = `${outDir}/_staging/run_date=${runDate}/${runId}`;
  const progress: RunProgress = {
    runDate,
    currentStage: sharedBase ? 'point in time' : 'ingest',
    running: [],
    completed: [],
    waiting: null,
  };
  const everyPart: PredecessorPart[] = [...MODEL_NAMES, 'snapshot'];
  const predecessorDone = new Set<PredecessorPart>(awaitPredecessor ? [] : everyPart);
  setHandler(progressQuery, () => progress);
  setHandler(predecessorSettledSignal, () => everyPart.forEach((part) => predecessorDone.add(part)));
  setHandler(predecessorModelSettledSignal, (model) => void predecessorDone.add(model));

  async function stage<T>(name: Stage, work: () => Promise<T>): Promise<T> {
    progress.running.push(name);
    progress.currentStage = name;
    const started = Date.now();
    const result = await work();
    progress.running = progress.running.filter((running) => running !== name);
    progress.currentStage = progress.running.at(-1) ?? name;
    progress.completed.push({ stage: name, startedAt: new Date(started).toISOString(), seconds: (Date.now() - started) / 1000 });
    return result;
  }

  /** Waits, at `next`, until the previous date of the backfill has finished `part`. */
  async function after(part: PredecessorPart, next: Stage, waitingFor: string): Promise<void> {
    if (predecessorDone.has(part)) return;
    progress.currentStage = next;
    progress.waiting = waitingFor;
    await condition(() => predecessorDone.has(part));
    if (progress.waiting === waitingFor) progress.waiting = null;
  }

  /** A stage that reads and may write the store of `model`: after the previous date's, then the backfill is told. */
  async function modelStage<T>(model: ModelName, name: Stage, work: () => Promise<T>): Promise<T> {
    await after(model, name, `the previous date of this backfill, to finish its ${name} stage (the ${model} model)`);
    const result = await stage(name, work);
    if (inBackfill && parent) await getExternalWorkflowHandle(parent.workflowId, parent.runId).signal(modelSettledSignal, runDate, model);
    return result;
  }

  try {
    const base = sharedBase ?? (await prepareCleanedBase(settings, `${stagingDir}/base`, runDate, stage));
    const input = { runDate, settings, stagingDir };
    const cut = await stage('point in time', () => cutAtRunDate({ ...input, base }));
    const pointInTime = cut.cut;
    const loadedSources = cut.sources.filter((s) => s.status === 'loaded').map((s) => s.source);
    const features = await stage('customer features', () => buildCustomerFeatures({ ...input, loadedSources, cut: pointInTime }));
    const rfm = await stage('rfm', () => scoreRfm(input));
    /** Lifetime value, then churn (which reads its P(alive)) beside sales kpis (which reads clv). */
    const lifetimeValueBranch = async () => {
      const lifetimeValue = await modelStage('clv', 'lifetime value', () => predictLifetimeValue({ ...input, cut: pointInTime, outDir }));
      const hasPAlive = lifetimeValue.method === 'bg_nbd_gamma_gamma';
      const [churn, salesKpis] = await sideBySide([
        () => modelStage('churn', 'churn', () => predictChurn({ ...input, cut: pointInTime, loadedSources, hasPAlive, outDir })),
        () => stage('sales kpis', () => buildSalesKpis({ ...input, cut: pointInTime })),
      ]);
      return { lifetimeValue, churn, salesKpis };
    };
    /** The cluster model, then the association rules and recommendations per cluster. */
    const clustersBranch = async () => {
      const clusters = await modelStage('clustering', 'cluster', () => clusterCustomers({ ...input, loadedSources, outDir }));
      const baskets = await stage('baskets', () => findBasketRules({ ...input, cut: pointInTime }));
      return { clusters, baskets };
    };
    const [{ lifetimeValue, churn, salesKpis }, discountSensitivity, { clusters, baskets }] = await sideBySide([
      lifetimeValueBranch,
      () => stage('discount sensitivity', () => predictDiscountSensitivity({ ...input, cut: pointInTime, loadedSources })),
      clustersBranch,
    ]);
    const models = { clustering: clusters.model, clv: lifetimeValue.storedModel, churn: churn.storedModel };
    await after('snapshot', 'campaigns', 'the run of the previous date in this backfill, to publish');
    const [{ campaigns, demographics }, transitions] = await sideBySide([
      async () => {
        const campaigns = await stage('campaigns', () => planCampaigns({ ...input, outDir, cut: pointInTime }));
        // demographics reads campaign_targets.
        const demographics = await stage('demographics', () => profileDemographics({ ...input, cut: pointInTime }));
        return { campaigns, demographics };
      },
      () => stage('segment transitions', () => compareSegments({ ...input, outDir })),
      () => stage('model metrics', () => collectModelMetrics(input)),
    ]);
    const published = await stage('publish', () =>
      publishSnapshot({
        runDate,
        outDir,
        stagingDir,
        baseDir: base.dir,
        businessTimeZone: settings.businessTimeZone,
        workflowId,
        runId,
        configFile: settings.configFile,
        sources: cut.sources,
        stages: inPipelineOrder(progress.completed),
        models,
        maxScoredDrop: allowDrop ? null : settings.guards.maxScoredDrop,
        statistics: {
          customers: features.customers,
          rfmCustomers: rfm.customers,
          segments: rfm.segments,
          revenueDefinition: settings.revenue.definition,
          nonPositiveMonetary: rfm.nonPositiveMonetary,
          paretoTop20RevenueShare: rfm.paretoTop20RevenueShare,
          quarantineReasons: base.quarantineReasons,
          clustering: clusters,
          lifetimeValue,
          churn,
          discountSensitivity,
          campaigns,
          demographics,
          baskets,
          salesKpis,
          segmentTransitions: transitions,
          sharedBase: sharedBase ? { lastRunDate: sharedBase.lastRunDate } : null,
        },
      }),
    );
    await discardStaging({ stagingDir });
    const report = await stage('report', () => buildReport({ runDate, outDir }));
    const retention = await stage('retention', () => applyRetention({ outDir, policy: settings.retention, justPublished: runDate }));
    progress.currentStage = 'done';
    return {
      runDate,
      workflowId,
      runId,
      snapshotRoot: published.snapshotRoot,
      manifestPath: published.manifestPath,
      reportPath: report.path,
      sources: cut.sources,
      tables: published.tables,
      segments: rfm.segments,
      scoring: {
        customers: rfm.customers,
        notScoredNonPositive: rfm.nonPositiveMonetary.customers,
        paretoTop20RevenueShare: rfm.paretoTop20RevenueShare,
      },
      clusters: clusters.clusters,
      clusterSelection: {
        k: clusters.k,
        method: clusters.selection,
        silhouette: clusters.candidates.find((c) => c.k === clusters.k)?.silhouette ?? null,
        candidates: clusters.candidates.map((c) => c.k),
      },
      models,
      transitions,
      campaignResults: campaigns.results.latest,
      retention,
      stages: inPipelineOrder(progress.completed),
    };
  } catch (error) {
    progress.currentStage = 'failed';
    // A cancelled run leaves nothing behind; a failed one keeps its staging folder for inspection.
    if (isCancellation(error)) await CancellationScope.nonCancellable(() => discardStaging({ stagingDir }));
    throw error;
  }
}

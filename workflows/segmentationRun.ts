import {
  CancellationScope,
  condition,
  defineQuery,
  defineSignal,
  isCancellation,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  segmentationRunInputSchema,
  type RunProgress,
  type SegmentationRunInput,
  type SegmentationRunResult,
  type Stage,
} from '../schemas/run';
import {
  applyRetention,
  predictChurn,
  predictDiscountSensitivity,
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
import { prepareCleanedBase } from './cleanedBase';
import { parseWorkflowInput } from './workflowInput';

export const progressQuery = defineQuery<RunProgress>('progress');

/**
 * Sent by a backfill when the date before this one has published (or failed): its cluster model, its targets
 * (campaign cooldowns) and its snapshot (transitions) may be read now.
 */
export const predecessorSettledSignal = defineSignal('predecessorSettled');

/**
 * One daily segmentation run for one run date: ingest → clean → point in time → customer features → rfm →
 * lifetime value → churn → discount sensitivity → sales kpis → cluster → campaigns → demographics → baskets →
 * segment transitions → publish → report → retention. Stages hand each other Parquet files in a staging folder
 * of this run; only paths, counts and small statistics pass through here.
 * A backfill passes its shared cleaned base, and the run starts at the point-in-time cut.
 */
export async function segmentationRun(rawInput: SegmentationRunInput): Promise<SegmentationRunResult> {
  const { runDate, outDir, settings, base: sharedBase, awaitPredecessor, allowDrop } =
    parseWorkflowInput(segmentationRunInputSchema, rawInput, 'segmentationRun');
  const { workflowId, runId } = workflowInfo();
  const stagingDir = `${outDir}/_staging/run_date=${runDate}/${runId}`;
  const progress: RunProgress = { runDate, currentStage: sharedBase ? 'point in time' : 'ingest', completed: [], waiting: null };
  let predecessorSettled = !awaitPredecessor;
  setHandler(progressQuery, () => progress);
  setHandler(predecessorSettledSignal, () => void (predecessorSettled = true));

  async function stage<T>(name: Stage, work: () => Promise<T>): Promise<T> {
    progress.currentStage = name;
    const started = Date.now();
    const result = await work();
    progress.completed.push({ stage: name, startedAt: new Date(started).toISOString(), seconds: (Date.now() - started) / 1000 });
    return result;
  }

  try {
    const base = sharedBase ?? (await prepareCleanedBase(settings, `${stagingDir}/base`, runDate, stage));
    const input = { runDate, settings, stagingDir };
    const cut = await stage('point in time', () => cutAtRunDate({ ...input, base }));
    const loadedSources = cut.sources.filter((s) => s.status === 'loaded').map((s) => s.source);
    const features = await stage('customer features', () => buildCustomerFeatures({ ...input, loadedSources, cut: cut.cut }));
    const rfm = await stage('rfm', () => scoreRfm(input));
    const lifetimeValue = await stage('lifetime value', () => predictLifetimeValue({ ...input, cut: cut.cut }));
    const churn = await stage('churn', () =>
      predictChurn({ ...input, cut: cut.cut, loadedSources, hasPAlive: lifetimeValue.method === 'bg_nbd_gamma_gamma' }),
    );
    const discountSensitivity = await stage('discount sensitivity', () =>
      predictDiscountSensitivity({ ...input, cut: cut.cut, loadedSources }),
    );
    const salesKpis = await stage('sales kpis', () => buildSalesKpis({ ...input, cut: cut.cut }));
    // The cluster model a date uses is the newest trained as of it, so a backfill's dates take their turn from
    // here on, the stages before running side by side: each sees the models its predecessors trained, the
    // targets they published (campaign cooldowns) and their snapshots to compare segments with.
    if (!predecessorSettled) {
      progress.currentStage = 'cluster';
      progress.waiting = 'the run of the previous date in this backfill';
      await condition(() => predecessorSettled);
      progress.waiting = null;
    }
    const clusters = await stage('cluster', () => clusterCustomers({ ...input, loadedSources, outDir }));
    const campaigns = await stage('campaigns', () => planCampaigns({ ...input, outDir, cut: cut.cut }));
    const demographics = await stage('demographics', () => profileDemographics({ ...input, cut: cut.cut }));
    const baskets = await stage('baskets', () => findBasketRules({ ...input, cut: cut.cut }));
    const transitions = await stage('segment transitions', () => compareSegments({ ...input, outDir }));
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
        stages: progress.completed,
        models: { clustering: clusters.model },
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
      clusterModel: clusters.model,
      transitions,
      campaignResults: campaigns.results.latest,
      retention,
      stages: progress.completed,
    };
  } catch (error) {
    progress.currentStage = 'failed';
    // A cancelled run leaves nothing behind; a failed one keeps its staging folder for inspection.
    if (isCancellation(error)) await CancellationScope.nonCancellable(() => discardStaging({ stagingDir }));
    throw error;
  }
}

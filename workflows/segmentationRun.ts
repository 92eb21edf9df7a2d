import { defineQuery, proxyActivities, setHandler, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type * as activities from '../activities';
import {
  segmentationRunInputSchema,
  type RunProgress,
  type SegmentationRunInput,
  type SegmentationRunResult,
  type Stage,
} from '../schemas/run';

/** Errors that a retry cannot fix: the input itself must change. */
const INPUT_ERRORS = ['MissingColumn', 'UnreadableFile', 'MissingOrders'];

/** Stages that read and write Parquet: long, heartbeating, retried a few times for transient I/O failures. */
const dataStage: ActivityOptions = {
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumAttempts: 3, nonRetryableErrorTypes: INPUT_ERRORS },
};

const { ingest, clean, buildCustomerFeatures, scoreRfm, clusterCustomers, buildChurnFeatures, planCampaigns } =
  proxyActivities<typeof activities>(dataStage);

/** Publishing only copies and renames files; worth more attempts, never worth an hour. */
const { publishSnapshot, discardStaging } = proxyActivities<typeof activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumAttempts: 5 },
});

export const progressQuery = defineQuery<RunProgress>('progress');

/** The workflow id of a date's run: a second trigger for the same date cannot start while one is running. */
export function segmentationRunId(runDate: string): string {
  return `segflow-run-${runDate}`;
}

/**
 * One daily segmentation run for one run date: ingest → clean → customer features → rfm → cluster →
 * churn features → campaigns → publish. Stages hand each other Parquet files in a staging folder of this run;
 * only paths, counts and small statistics pass through here.
 */
export async function segmentationRun(rawInput: SegmentationRunInput): Promise<SegmentationRunResult> {
  const { runDate, outDir, settings } = segmentationRunInputSchema.parse(rawInput);
  const { workflowId, runId } = workflowInfo();
  const stagingDir = `${outDir}/_staging/run_date=${runDate}/${runId}`;
  const progress: RunProgress = { runDate, currentStage: 'ingest', completed: [] };
  setHandler(progressQuery, () => progress);

  async function stage<T>(name: Stage, work: () => Promise<T>): Promise<T> {
    progress.currentStage = name;
    const started = Date.now();
    const result = await work();
    progress.completed.push({ stage: name, startedAt: new Date(started).toISOString(), seconds: (Date.now() - started) / 1000 });
    return result;
  }

  try {
    const base = { runDate, settings, stagingDir };
    const ingested = await stage('ingest', () => ingest({ settings, stagingDir }));
    const cleaned = await stage('clean', () => clean({ ...base, ingested: ingested.sources }));
    const loadedSources = cleaned.sources.filter((s) => s.status === 'loaded').map((s) => s.source);
    const features = await stage('customer features', () => buildCustomerFeatures({ ...base, loadedSources }));
    const rfm = await stage('rfm', () => scoreRfm(base));
    const clusters = await stage('cluster', () => clusterCustomers({ ...base, loadedSources }));
    const churn = await stage('churn features', () => buildChurnFeatures(base));
    const campaigns = await stage('campaigns', () => planCampaigns(base));
    const published = await stage('publish', () =>
      publishSnapshot({
        runDate,
        outDir,
        stagingDir,
        businessTimeZone: settings.businessTimeZone,
        workflowId,
        runId,
        configFile: settings.configFile,
        sources: cleaned.sources,
        stages: progress.completed,
        statistics: {
          customers: features.customers,
          rfmCustomers: rfm.customers,
          segments: rfm.segments,
          nonPositiveMonetary: rfm.nonPositiveMonetary,
          paretoTop20RevenueShare: rfm.paretoTop20RevenueShare,
          quarantineReasons: cleaned.quarantineReasons,
          clustering: clusters,
          churnCustomers: churn.customers,
          campaignTargets: campaigns.targets,
        },
      }),
    );
    await discardStaging({ stagingDir });
    progress.currentStage = 'done';
    return {
      runDate,
      workflowId,
      runId,
      snapshotRoot: published.snapshotRoot,
      manifestPath: published.manifestPath,
      sources: cleaned.sources,
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
      stages: progress.completed,
    };
  } catch (error) {
    progress.currentStage = 'failed';
    throw error;
  }
}

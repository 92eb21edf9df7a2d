import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { codeVersion } from '../lib/codeVersion';
import { parquetFile, Warehouse } from '../lib/duckdb';
import { MANIFEST_FILE, manifestPath, PART_FILE, partitionDir, previousPublishedRunDate, readManifest } from '../lib/snapshots';
import { createVersion, switchToVersion, versionTableFile } from '../lib/snapshotVersions';
import type { ModelName, ModelUse, SourceCounts, StageTiming } from '../schemas/run';
import { heartbeatWhile } from './heartbeat';
import { assertOutputWritable } from './outputFolder';
import { stagingFile } from './staging';

/**
 * Published tables and where each is staged: the run's marts, or the cleaned base (quarantine does not
 * depend on the run date, so a backfill's dates publish the one quarantine of their shared base).
 */
export const SNAPSHOT_TABLES = {
  customers: 'marts',
  rfm: 'marts',
  rfm_segments: 'marts',
  clusters: 'marts',
  cluster_selection: 'marts',
  cluster_profiles: 'marts',
  cluster_segment_crosstab: 'marts',
  clv: 'marts',
  churn_features: 'marts',
  churn_model: 'marts',
  model_metrics: 'marts',
  discount_sensitivity: 'marts',
  discount_levels: 'marts',
  campaign_targets: 'marts',
  campaign_plan: 'marts',
  campaign_suppressed: 'marts',
  campaign_results: 'marts',
  reengagement: 'marts',
  age_band_profile: 'marts',
  gender_age_profile: 'marts',
  target_women_2030: 'marts',
  association_rules: 'marts',
  recommendations: 'marts',
  cohort_retention: 'marts',
  sales_trends: 'marts',
  channel_kpis: 'marts',
  segment_transitions: 'marts',
  segment_moves: 'marts',
  cluster_transitions: 'marts',
  cluster_moves: 'marts',
  quarantine: 'base',
} as const satisfies Record<string, 'marts' | 'base'>;

export type SnapshotTable = keyof typeof SNAPSHOT_TABLES;

export interface PublishInput {
  runDate: string;
  outDir: string;
  stagingDir: string;
  /** The cleaned base the run was cut from: a run's own, or its backfill's. */
  baseDir: string;
  businessTimeZone: string;
  workflowId: string;
  runId: string;
  configFile: string | null;
  sources: SourceCounts[];
  stages: StageTiming[];
  statistics: Record<string, unknown>;
  /**
   * The stored model versions the run scored with, by model, and whether it trained them (lib/modelStore.ts); null
   * for a model the run did without (lifetime value's heuristic, churn's fallbacks).
   */
  models: Record<ModelName, ModelUse | null>;
  /** guards.maxScoredDrop, or null when the run was told to publish whatever the drop (--allow-drop). */
  maxScoredDrop: number | null;
}

export interface PublishResult {
  snapshotRoot: string;
  manifestPath: string;
  tables: Record<string, number>;
}

interface TableEntry {
  path: string;
  rows: number;
  columns: { name: string; type: string }[];
}

/**
 * Refuses a snapshot whose customers scored fell by more than `maxScoredDrop` against the previous published
 * date: a half-empty export would otherwise replace a good snapshot that BI tools read.
 */
async function checkScoredDrop(warehouse: Warehouse, input: PublishInput): Promise<void> {
  const previousRunDate = await previousPublishedRunDate(input.outDir, input.runDate);
  if (input.maxScoredDrop === null || previousRunDate === null) return;
  const previous = (await readManifest(input.outDir, previousRunDate)).tables.rfm?.rows ?? 0;
  const scored = Number(await warehouse.scalar(`SELECT count(*) FROM ${parquetFile(stagingFile(input.stagingDir, 'marts', 'rfm'))}`));
  if (previous > 0 && scored < previous * (1 - input.maxScoredDrop)) {
    const drop = Math.round((1 - scored / previous) * 100);
    throw ApplicationFailure.nonRetryable(
      `customers scored fell from ${previous} on ${previousRunDate} to ${scored} on ${input.runDate} (-${drop}%), more than ` +
        `guards.maxScoredDrop allows (${Math.round(input.maxScoredDrop * 100)}%); nothing was published. Check the inputs; ` +
        'if the drop is real, run the date again with --allow-drop.',
      'SuspiciousDrop',
    );
  }
}

/**
 * Stage 11: publish the snapshot of the run date. Every table and the manifest go into a fresh version folder
 * that no reader can reach; one rename then switches the date to it (lib/snapshotVersions.ts), so readers see
 * the previous snapshot or this one, whole, and an attempt that fails half-way leaves the previous one as it
 * was. Re-publishing a date replaces its snapshot whole.
 */
export async function publishSnapshot(input: PublishInput): Promise<PublishResult> {
  const startedAt = Date.now();
  await assertOutputWritable(input.outDir);
  return heartbeatWhile(() =>
    Warehouse.using({ timeZone: input.businessTimeZone }, async (warehouse) => {
      await checkScoredDrop(warehouse, input);
      const { version, dir } = await createVersion(input.outDir, input.runDate);
      const tables: Record<string, TableEntry> = {};
      for (const [table, stage] of Object.entries(SNAPSHOT_TABLES)) {
        const source = stagingFile(stage === 'base' ? input.baseDir : input.stagingDir, stage, table);
        const file = versionTableFile(dir, table);
        await fs.copyFile(source, file);
        const columns = await warehouse.rows<{ column_name: string; column_type: string }>(
          `DESCRIBE SELECT * FROM ${parquetFile(file)}`,
        );
        tables[table] = {
          path: path.relative(input.outDir, path.join(partitionDir(input.outDir, table, input.runDate), PART_FILE)),
          rows: Number(await warehouse.scalar(`SELECT count(*) FROM ${parquetFile(file)}`)),
          columns: columns.map((c) => ({ name: c.column_name, type: c.column_type })),
        };
      }

      const manifest = {
        runDate: input.runDate,
        version,
        businessTimeZone: input.businessTimeZone,
        workflowId: input.workflowId,
        runId: input.runId,
        publishedAt: new Date().toISOString(),
        code: codeVersion(),
        configFile: input.configFile,
        inputs: input.sources,
        tables,
        models: input.models,
        statistics: input.statistics,
        stages: [
          ...input.stages,
          { stage: 'publish', startedAt: new Date(startedAt).toISOString(), seconds: (Date.now() - startedAt) / 1000 },
        ],
      };
      await fs.writeFile(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
      await switchToVersion(input.outDir, input.runDate, version, Object.keys(tables));
      return {
        snapshotRoot: input.outDir,
        manifestPath: manifestPath(input.outDir, input.runDate),
        tables: Object.fromEntries(Object.entries(tables).map(([table, entry]) => [table, entry.rows])),
      };
    }),
  );
}

import { z } from 'zod';
import { campaignSchema, FILE_FORMATS, segmentRuleSchema } from './config';
import { SOURCE_NAMES, type SourceName } from './sources';

/**
 * What crosses Temporal: workflow inputs and results, activity inputs and results. Only paths, settings,
 * counts and small statistics: never a customer row (see the test that reads a run's history).
 */

export const resolvedSourceSchema = z.object({
  file: z.string().describe('Absolute path of the input file'),
  format: z.enum(FILE_FORMATS),
  columns: z.record(z.string(), z.string()),
  timestampFormat: z.string().optional(),
  cancelledOrderPrefix: z.string().optional(),
  delimiter: z.string().optional(),
});
export type ResolvedSource = z.infer<typeof resolvedSourceSchema>;

export const runSettingsSchema = z.object({
  configFile: z.string().nullable().describe('The configuration file the settings came from, if any'),
  businessTimeZone: z.string(),
  sources: z.partialRecord(z.enum(SOURCE_NAMES as [SourceName, ...SourceName[]]), resolvedSourceSchema),
  rfm: z.object({ frequency: z.enum(['orders', 'lines']), segments: z.array(segmentRuleSchema) }),
  clustering: z.object({
    k: z.union([z.literal('auto'), z.number().int()]),
    seed: z.number().int(),
    restarts: z.number().int(),
    fitSampleSize: z.number().int(),
    silhouetteSampleSize: z.number().int(),
  }),
  churn: z.object({ inactiveDays: z.number().int() }),
  campaigns: z.array(campaignSchema),
});
export type RunSettings = z.infer<typeof runSettingsSchema>;

export const segmentationRunInputSchema = z.object({
  runDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  outDir: z.string().describe('Absolute path of the snapshot root'),
  settings: runSettingsSchema,
});
export type SegmentationRunInput = z.infer<typeof segmentationRunInputSchema>;

export const STAGES = [
  'ingest',
  'clean',
  'customer features',
  'rfm',
  'cluster',
  'churn features',
  'campaigns',
  'publish',
] as const;
export type Stage = (typeof STAGES)[number];

export interface SourceCounts {
  source: SourceName;
  status: 'loaded' | 'missing';
  file: string | null;
  sha256: string | null;
  rowsIn: number;
  rowsKept: number;
  rowsQuarantined: number;
  /** Valid rows dated after the run date: not yet known on that date (point in time). */
  rowsAfterRunDate: number;
}

export interface StageTiming {
  stage: Stage;
  startedAt: string;
  seconds: number;
}

export interface RunProgress {
  runDate: string;
  currentStage: Stage | 'done' | 'failed';
  completed: StageTiming[];
}

export interface SegmentationRunResult {
  runDate: string;
  workflowId: string;
  runId: string;
  snapshotRoot: string;
  manifestPath: string;
  sources: SourceCounts[];
  tables: Record<string, number>;
  segments: { segment: string; customers: number }[];
  /** Customers scored, buyers left out for net revenue <= 0, and the top 20%'s share of revenue. */
  scoring: { customers: number; notScoredNonPositive: number; paretoTop20RevenueShare: number | null };
  clusters: { cluster: number; clusterName: string; customers: number }[];
  /** How k was reached: searched by silhouette or configured, with the chosen k's silhouette. */
  clusterSelection: { k: number; method: 'silhouette' | 'configured'; silhouette: number | null; candidates: number[] };
  stages: StageTiming[];
}

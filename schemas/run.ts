import { z } from 'zod';
import {
  basketsSchema,
  campaignPolicySchema,
  campaignSchema,
  channelsSchema,
  churnSchema,
  discountSensitivitySchema,
  clusteringSchema,
  clvSchema,
  duckdbSchema,
  FILE_FORMATS,
  genderValuesSchema,
  guardsSchema,
  retentionSchema,
  revenueSchema,
  salesTrendsSchema,
  segmentRuleSchema,
  TEXT_ENCODINGS,
  validationSchema,
} from './config';
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
  encoding: z.enum(TEXT_ENCODINGS).optional(),
});
export type ResolvedSource = z.infer<typeof resolvedSourceSchema>;

export const runSettingsSchema = z.object({
  configFile: z.string().nullable().describe('The configuration file the settings came from, if any'),
  businessTimeZone: z.string(),
  sources: z.partialRecord(z.enum(SOURCE_NAMES as [SourceName, ...SourceName[]]), resolvedSourceSchema),
  rfm: z.object({ frequency: z.enum(['orders', 'lines']), segments: z.array(segmentRuleSchema) }),
  clustering: clusteringSchema,
  revenue: revenueSchema,
  churn: churnSchema,
  discountSensitivity: discountSensitivitySchema,
  clv: clvSchema,
  campaigns: z.array(campaignSchema),
  campaignPolicy: campaignPolicySchema,
  retention: retentionSchema,
  duckdb: duckdbSchema,
  validation: validationSchema,
  guards: guardsSchema,
  baskets: basketsSchema,
  salesTrends: salesTrendsSchema,
  genderValues: genderValuesSchema,
  channels: channelsSchema,
});
export type RunSettings = z.infer<typeof runSettingsSchema>;

/** A run date: YYYY-MM-DD and a real calendar day (no 2024-02-30). */
export const runDateSchema = z.iso.date({ error: 'not a calendar date in the form YYYY-MM-DD' });

const cleanedSourceSchema = z.object({
  source: z.enum(SOURCE_NAMES as [SourceName, ...SourceName[]]),
  status: z.enum(['loaded', 'missing', 'empty']),
  file: z.string().nullable(),
  sha256: z.string().nullable(),
  rowsIn: z.number().int(),
  rowsValid: z.number().int(),
  rowsQuarantined: z.number().int(),
});
export type CleanedSource = z.infer<typeof cleanedSourceSchema>;

/** Ingested and cleaned inputs, valid for every run date up to lastRunDate: what a backfill shares with its dates. */
export const cleanedBaseSchema = z.object({
  dir: z.string().describe('Folder holding raw/ and base/ Parquet files'),
  lastRunDate: runDateSchema,
  sources: z.array(cleanedSourceSchema),
  quarantineReasons: z.array(
    z.object({ source: z.string(), reason: z.string(), severity: z.enum(['error', 'warning']), rows: z.number().int() }),
  ),
});
export type CleanedBase = z.infer<typeof cleanedBaseSchema>;

/** A run date's view of a cleaned base: its rows known before `knownBefore` (see activities/pointInTime.ts). */
export interface PointInTimeCut {
  baseDir: string;
  /** The first instant after the run date in the business time zone, UTC ISO 8601. */
  knownBefore: string;
}

export const segmentationRunInputSchema = z.object({
  runDate: runDateSchema,
  outDir: z.string().describe('Absolute path of the snapshot root'),
  settings: runSettingsSchema,
  /** Given by a backfill: skip ingest and clean and cut this date out of the shared base. */
  base: cleanedBaseSchema.optional(),
  /**
   * Given by a backfill while the previous date of the range is still running: each model stage waits for the
   * parent's word that the previous date finished its stage of that model, and the campaigns onwards for its
   * word that the previous date settled, so models, cooldowns and transitions never depend on which child
   * finished first.
   */
  awaitPredecessor: z.boolean().optional(),
  /** Given by a backfill: the run tells it (signal modelSettled) as each model stage ends, for the next date. */
  inBackfill: z.boolean().optional(),
  /** Publish even when the customers scored fell by more than guards.maxScoredDrop (segflow run --allow-drop). */
  allowDrop: z.boolean().optional(),
});
export type SegmentationRunInput = z.infer<typeof segmentationRunInputSchema>;

/** Every stage in the pipeline's order: how manifests list them (see workflows/segmentationRun.ts for which run side by side). */
export const STAGES = [
  'ingest',
  'clean',
  'point in time',
  'customer features',
  'rfm',
  'lifetime value',
  'churn',
  'discount sensitivity',
  'model metrics',
  'sales kpis',
  'cluster',
  'baskets',
  'campaigns',
  'demographics',
  'segment transitions',
  'publish',
  'report',
  'retention',
] as const;
export type Stage = (typeof STAGES)[number];

/** The models kept in the model store (lib/modelStore.ts): `<out>/_models/<model>/<version>/`. */
export const MODEL_NAMES = ['clustering', 'clv', 'churn'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** A stored model version a run scored with, and whether (and why) the run trained it. */
export interface ModelUse {
  version: string;
  trainedAsOf: string;
  refitted: boolean;
  reason: string | null;
}

export interface SourceCounts {
  source: SourceName;
  status: 'loaded' | 'missing' | 'empty';
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
  /** The stage started last of those under way (or the one the run waits to start). */
  currentStage: Stage | 'done' | 'failed';
  /** Every stage under way: the branches of a run that do not read each other's output run side by side. */
  running: Stage[];
  /** In the order they finished. */
  completed: StageTiming[];
  /** What the run waits for, if anything (in a backfill: the previous date's model stage, or its publish). */
  waiting: string | null;
}

/**
 * A campaign's latest result in campaign_results: conversion in the days after a target date, treatment against
 * control, and the uplift with its 95% interval (NULL where a group is empty or the interval cannot be estimated).
 */
export interface CampaignResultSummary {
  campaign: string;
  targetDate: string;
  /** Below windowDays while the window is still open (an interim reading). */
  daysObserved: number;
  windowDays: number;
  treatmentCustomers: number;
  controlCustomers: number;
  treatmentConversion: number | null;
  controlConversion: number | null;
  conversionUplift: number | null;
  conversionUpliftLow: number | null;
  conversionUpliftHigh: number | null;
}

export interface SegmentationRunResult {
  runDate: string;
  workflowId: string;
  runId: string;
  snapshotRoot: string;
  manifestPath: string;
  /** The date's HTML report, written after the snapshot was published. */
  reportPath: string;
  sources: SourceCounts[];
  tables: Record<string, number>;
  segments: { segment: string; customers: number }[];
  /** Customers scored, buyers left out for revenue <= 0, and the top 20%'s share of revenue. */
  scoring: { customers: number; notScoredNonPositive: number; paretoTop20RevenueShare: number | null };
  clusters: { cluster: number; clusterName: string; customers: number }[];
  /** How k was reached: searched by silhouette or configured, with the chosen k's silhouette. */
  clusterSelection: { k: number; method: 'silhouette' | 'configured'; silhouette: number | null; candidates: number[] };
  /** The stored model versions the run scored with and whether it trained them (null: the model's fallback). */
  models: Record<ModelName, ModelUse | null>;
  /** Against the previous published date: customers who changed segment, and the win-back trigger's count. */
  transitions: { previousRunDate: string | null; moved: number; championsOrLoyalToAtRisk: number; clusterMoves: number };
  /** Per campaign, its latest complete result window, or its latest interim one while none is complete. */
  campaignResults: CampaignResultSummary[];
  /** Snapshots removed by the retention policy after this publish, and stale staging folders of other runs. */
  retention: { removed: string[]; staleStaging: string[] };
  stages: StageTiming[];
}

export const backfillInputSchema = z.object({
  from: runDateSchema,
  to: runDateSchema,
  outDir: z.string(),
  settings: runSettingsSchema,
  /** At most this many dates run at once. */
  concurrency: z.number().int().min(1).max(32),
  /** Re-run dates that are already published. */
  force: z.boolean(),
  /** Dates started per workflow run before it continues as new, keeping the history short. */
  datesPerRun: z.number().int().min(1).default(50),
}).refine((input) => input.from <= input.to, { message: 'the range ends before it starts', path: ['to'] });
export type BackfillInput = z.input<typeof backfillInputSchema>;

export interface BackfillProgress {
  from: string;
  to: string;
  phase: 'leasing' | 'ingest and clean' | 'running dates' | 'done' | 'failed';
  total: number;
  /** Already published and not forced. */
  skipped: number;
  published: number;
  failed: { runDate: string; message: string }[];
  /** A run of the date was already in progress outside this backfill (the schedule, or `segflow run`). */
  alreadyRunning: string[];
  running: string[];
  /** How many times the backfill continued as new. */
  continuedAsNew: number;
}

/** What a backfill hands to the next workflow run when it continues as new. */
export interface BackfillCarry {
  pending: string[];
  base: CleanedBase | null;
  progress: BackfillProgress;
}

export type BackfillResult = BackfillProgress;

/** `segflow train`: the models to train as of a date, whatever their refit policy says. */
export const trainModelsInputSchema = z.object({
  asOf: runDateSchema,
  outDir: z.string().describe('Absolute path of the snapshot root, whose _models folder the versions go to'),
  settings: runSettingsSchema,
  models: z
    .array(z.enum(MODEL_NAMES))
    .min(1)
    .refine((models) => new Set(models).size === models.length, { message: 'a model is named twice' }),
});
export type TrainModelsInput = z.input<typeof trainModelsInputSchema>;

export interface TrainedModelOutcome {
  model: ModelName;
  /** The version stored (refitted) or found already stored for the date (not refitted); null when none could be trained. */
  use: ModelUse | null;
  /** Why none could be trained: too little history, a fit that did not converge. */
  fallbackReasons: string[];
}

export interface TrainModelsResult {
  asOf: string;
  models: TrainedModelOutcome[];
}

/** Where a scheduled run finds its configuration: a configuration file, or a data folder (absolute paths). */
export const settingsSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('config'), path: z.string() }),
  z.object({ kind: z.literal('data'), path: z.string() }),
]);
export type SettingsSource = z.infer<typeof settingsSourceSchema>;

export const scheduledRunInputSchema = z.object({
  outDir: z.string(),
  settingsSource: settingsSourceSchema,
});
export type ScheduledRunInput = z.infer<typeof scheduledRunInputSchema>;

export interface ScheduledRunResult {
  runDate: string;
  /** 'already running': a run of the date was in progress (a manual run or a backfill); none was started. */
  outcome: 'published' | 'already running';
  manifestPath: string | null;
}

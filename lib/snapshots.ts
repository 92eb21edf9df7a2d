import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { RUN_DATE_PATTERN } from './runDate';

/**
 * The snapshot root's layout: `<out>/<table>/run_date=<D>/part-00000.parquet` for every table (Hive
 * partitioning, so DuckDB, pyarrow and Spark read `<out>/<table>` as one table with a run_date column), and
 * `<out>/_runs/run_date=<D>/manifest.json`: a date is published once its manifest exists. These paths are links
 * into the date's current version folder (lib/snapshotVersions.ts), so a date switches snapshots in one step.
 */
export const PART_FILE = 'part-00000.parquet';
export const MANIFEST_FILE = 'manifest.json';
const RUNS_DIR = '_runs';
const REPORTS_DIR = '_reports';

export function partitionDir(outDir: string, table: string, runDate: string): string {
  return path.join(outDir, table, `run_date=${runDate}`);
}

/** The folder of a date's manifest and version folders. */
export function runDateDir(outDir: string, runDate: string): string {
  return partitionDir(outDir, RUNS_DIR, runDate);
}

export function manifestPath(outDir: string, runDate: string): string {
  return path.join(runDateDir(outDir, runDate), MANIFEST_FILE);
}

/** The date's HTML report, written after its snapshot is published (report/writeReport.ts). */
export function reportPath(outDir: string, runDate: string): string {
  return path.join(partitionDir(outDir, REPORTS_DIR, runDate), 'report.html');
}

/** What segflow itself reads back from a manifest; the file holds more (see publish). */
export const manifestSchema = z.object({
  runDate: z.string(),
  workflowId: z.string(),
  runId: z.string(),
  businessTimeZone: z.string(),
  publishedAt: z.string(),
  tables: z.record(z.string(), z.object({ rows: z.number() })),
  inputs: z.array(
    z.object({ source: z.string(), rowsIn: z.number(), rowsKept: z.number(), rowsQuarantined: z.number(), rowsAfterRunDate: z.number() }),
  ),
  statistics: z.object({ paretoTop20RevenueShare: z.number().nullable().optional() }).optional(),
  stages: z.array(z.object({ stage: z.string(), seconds: z.number() })),
  /** Absent in snapshots published before the model store; null for a model the run did without. */
  models: z.record(z.string(), z.object({ version: z.string(), refitted: z.boolean() }).nullable()).optional(),
});
export type Manifest = z.infer<typeof manifestSchema>;

export async function readManifest(outDir: string, runDate: string): Promise<Manifest> {
  const file = manifestPath(outDir, runDate);
  const parsed = manifestSchema.safeParse(JSON.parse(await fs.readFile(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not a segflow manifest: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

async function runDatesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir).catch(() => [] as string[]);
  return entries
    .map((entry) => entry.match(/^run_date=(.+)$/)?.[1])
    .filter((date): date is string => date !== undefined && RUN_DATE_PATTERN.test(date));
}

/** Published run dates, oldest first. */
export async function publishedRunDates(outDir: string): Promise<string[]> {
  const dates = await runDatesUnder(path.join(outDir, RUNS_DIR));
  const published = await Promise.all(
    dates.map((date) => fs.access(manifestPath(outDir, date)).then(() => date, () => null)),
  );
  return published.filter((date): date is string => date !== null).sort();
}

/**
 * Run dates with table files but no manifest (a publish that never finished, or a removal that was
 * interrupted), given the published dates.
 */
export async function incompleteRunDates(outDir: string, published: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const table of await snapshotTableDirs(outDir)) {
    for (const date of await runDatesUnder(path.join(outDir, table))) if (!published.includes(date)) found.add(date);
  }
  return [...found].sort();
}

/** The table folders of a snapshot root (its `_runs`, `_staging` and `_leases` are not tables). */
export async function snapshotTableDirs(outDir: string): Promise<string[]> {
  const entries = await fs.readdir(outDir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('_') && !e.name.startsWith('.')).map((e) => e.name);
}

/** The latest published run date before `runDate`, the one segment transitions compare with. */
export async function previousPublishedRunDate(outDir: string, runDate: string): Promise<string | null> {
  return (await publishedRunDates(outDir)).filter((date) => date < runDate).pop() ?? null;
}

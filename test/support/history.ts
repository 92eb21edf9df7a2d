import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { clean } from '../../activities/clean';
import { ingest } from '../../activities/ingest';
import { stagingFile } from '../../activities/staging';
import { parquetFile, quoteLiteral, Warehouse } from '../../lib/duckdb';
import { Random } from '../../lib/random';
import type { RunSettings } from '../../schemas/run';

/** What the tests of models that learn from the pipeline's history (churn, discount sensitivity) share. */

/** Ingests and cleans the settings' sources into `baseDir`, without Temporal. */
export async function cleanBase(settings: RunSettings, baseDir: string): Promise<void> {
  const environment = new MockActivityEnvironment();
  const ingested = (await environment.run(ingest, { settings, baseDir })) as Awaited<ReturnType<typeof ingest>>;
  await environment.run(clean, { settings, baseDir, ingested: ingested.sources });
}

/** The base tables' event dates: rows dated after an as-of date are deleted by their own date, not by _known_at. */
const EVENT_DATE: Record<string, string> = {
  order_lines: 'order_date',
  members: 'joined_at',
  reviews: 'reviewed_at',
  ga_sessions: 'session_start',
  promotions: 'starts_on',
  service_contacts: 'contacted_at',
};
const BASE_TABLES = ['order_lines', 'members', 'reviews', 'ga_sessions', 'products', 'platforms', 'promotions', 'service_contacts'];

/** A copy of the base in `baseDir` into `truncatedDir` without any row dated after `asOf`. */
export async function truncateBase(baseDir: string, truncatedDir: string, asOf: string, timeZone: string): Promise<void> {
  await fs.mkdir(path.join(truncatedDir, 'base'), { recursive: true });
  await Warehouse.using({ timeZone }, async (warehouse) => {
    for (const table of BASE_TABLES) {
      const column = EVENT_DATE[table];
      const keep = column ? `WHERE ${column} IS NULL OR CAST(${column} AS DATE) <= DATE '${asOf}'` : '';
      await warehouse.run(`COPY (SELECT * FROM ${parquetFile(stagingFile(baseDir, 'base', table))} ${keep})
                           TO ${quoteLiteral(stagingFile(truncatedDir, 'base', table))} (FORMAT parquet)`);
    }
  });
}

/** Shuffles the labels in place (Fisher-Yates, seeded), for a shuffled-label control. */
export function shuffleLabels(labels: Float64Array, seed: number): void {
  const random = new Random(seed);
  for (let k = labels.length - 1; k > 0; k--) {
    const j = Math.floor(random.next() * (k + 1));
    [labels[k], labels[j]] = [labels[j]!, labels[k]!];
  }
}

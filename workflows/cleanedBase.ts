import type { CleanedBase, RunSettings, Stage } from '../schemas/run';
import { clean, ingest } from './activityStubs';

type StageRunner = <T>(name: Stage, work: () => Promise<T>) => Promise<T>;

/**
 * Ingests and cleans every source once into `dir`: the base that a run, or every date of a backfill, cuts
 * its point-in-time view from. `lastRunDate` is the latest date it will serve.
 */
export async function prepareCleanedBase(
  settings: RunSettings,
  dir: string,
  lastRunDate: string,
  stage: StageRunner = (_name, work) => work(),
): Promise<CleanedBase> {
  const ingested = await stage('ingest', () => ingest({ settings, baseDir: dir }));
  const cleaned = await stage('clean', () => clean({ settings, baseDir: dir, ingested: ingested.sources }));
  return { dir, lastRunDate, sources: cleaned.sources, quarantineReasons: cleaned.quarantineReasons };
}

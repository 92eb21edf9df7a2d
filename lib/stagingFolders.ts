import { promises as fs } from 'node:fs';
import path from 'node:path';
import { RUN_DATE_PATTERN } from './runDate';

/**
 * The staging folders runs leave behind: a failed run keeps `_staging/run_date=D/<run id>` for inspection, a
 * backfill that died keeps its shared base `_staging/backfill/<workflow id>`. Each names the workflow that owns
 * it, so that a folder is removed only once that workflow is no longer running.
 */
export interface StagingFolder {
  dir: string;
  workflowId: string;
  /** null for a backfill's base: the backfill's latest run owns it. */
  runId: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function stagingRoot(outDir: string): string {
  return path.join(outDir, '_staging');
}

async function subfolders(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name);
}

async function stagingFolders(outDir: string, runWorkflowId: (runDate: string) => string): Promise<StagingFolder[]> {
  const root = stagingRoot(outDir);
  const folders: StagingFolder[] = [];
  for (const name of await subfolders(root)) {
    const runDate = name.match(/^run_date=(.+)$/)?.[1];
    if (name === 'backfill') {
      for (const workflowId of await subfolders(path.join(root, name))) {
        folders.push({ dir: path.join(root, name, workflowId), workflowId, runId: null });
      }
    } else if (runDate !== undefined && RUN_DATE_PATTERN.test(runDate)) {
      for (const runId of await subfolders(path.join(root, name))) {
        folders.push({ dir: path.join(root, name, runId), workflowId: runWorkflowId(runDate), runId });
      }
    }
  }
  return folders;
}

/** When anything in `dir` was last written: the newest modification time of the folder and all below it. */
async function lastWrite(dir: string): Promise<number> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  const times = await Promise.all(
    [dir, ...entries.map((e) => path.join(e.parentPath, e.name))].map((file) => fs.lstat(file).then((s) => s.mtimeMs, () => 0)),
  );
  return Math.max(...times);
}

/**
 * Removes a staging folder, and the folders above it up to `_staging` once they are empty (rmdir refuses a
 * folder that is not: another run's, or one created meanwhile).
 */
export async function removeStagingFolder(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
  for (let parent = path.dirname(dir), level = 0; level < 2; parent = path.dirname(parent), level++) {
    if (!(await fs.rmdir(parent).then(() => true, () => false))) return;
  }
}

/**
 * Removes the staging folders whose last write is more than `maxAgeDays` before `now` and whose workflow is not
 * running (a run waiting for hours writes nothing, and must find its folder). Returns the folders removed.
 */
export async function removeStaleStaging(
  outDir: string,
  maxAgeDays: number,
  now: number,
  options: { runWorkflowId: (runDate: string) => string; isRunning: (folder: StagingFolder) => Promise<boolean> },
): Promise<string[]> {
  const removed: string[] = [];
  for (const folder of await stagingFolders(outDir, options.runWorkflowId)) {
    if (now - (await lastWrite(folder.dir)) <= maxAgeDays * DAY_MS || (await options.isRunning(folder))) continue;
    await removeStagingFolder(folder.dir);
    removed.push(path.relative(outDir, folder.dir));
  }
  return removed;
}

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { replaceAtomically } from './replaceAtomically';
import { MANIFEST_FILE, manifestPath, PART_FILE, partitionDir, reportPath, runDateDir, snapshotTableDirs } from './snapshots';

/**
 * How a date's snapshot changes in one step. Each publish writes every table and the manifest into a fresh
 * version folder, `_runs/run_date=D/<version>/<table>.parquet`, that nothing points at yet. The documented
 * paths (`<table>/run_date=D/part-00000.parquet`, `_runs/run_date=D/manifest.json`) are symbolic links through
 * `_runs/run_date=D/current`, itself a link to one version folder. Renaming a new `current` over the old one is
 * the single atomic step that publishes: before it every link resolves into the previous version (or to
 * nothing, and readers' globs skip a link to nothing), after it into the new one, never into both.
 */
const CURRENT = 'current';

function currentLink(outDir: string, runDate: string): string {
  return path.join(runDateDir(outDir, runDate), CURRENT);
}

/** A new, empty version folder for the date, named so that attempts never share one (a retry writes afresh). */
export async function createVersion(outDir: string, runDate: string): Promise<{ version: string; dir: string }> {
  const version = `v${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
  const dir = path.join(runDateDir(outDir, runDate), version);
  await fs.mkdir(dir, { recursive: true });
  return { version, dir };
}

export function versionTableFile(versionDir: string, table: string): string {
  return path.join(versionDir, `${table}.parquet`);
}

/** The version a date's links resolve into now, or null when it has none (not published, or the old layout). */
export async function currentVersion(outDir: string, runDate: string): Promise<string | null> {
  return fs.readlink(currentLink(outDir, runDate)).catch(() => null);
}

/** Makes `link` a symbolic link to `target`, replacing whatever is there in one rename. */
async function pointAt(link: string, target: string): Promise<void> {
  if ((await fs.readlink(link).catch(() => null)) === target) return;
  await replaceAtomically(link, async (temporary) => {
    // A crashed attempt of a process with the same pid (pid 1 in a container) may have left this name behind.
    await fs.rm(temporary, { force: true });
    await fs.symlink(target, temporary);
  });
}

/**
 * Publishes a complete version folder: links the documented paths of `tables` and the manifest through
 * `current` (new links resolve to nothing until the switch), switches `current` to the version, then drops
 * what the new snapshot no longer has: other tables' partitions of the date, and versions other than this one
 * and the one it replaced (kept until the next publish, for readers that pinned it).
 */
export async function switchToVersion(outDir: string, runDate: string, version: string, tables: string[]): Promise<void> {
  const runDir = runDateDir(outDir, runDate);
  const throughCurrent = (from: string, file: string) => path.relative(path.dirname(from), path.join(runDir, CURRENT, file));
  for (const table of tables) {
    const link = path.join(partitionDir(outDir, table, runDate), PART_FILE);
    await pointAt(link, throughCurrent(link, `${table}.parquet`));
  }
  await pointAt(manifestPath(outDir, runDate), throughCurrent(manifestPath(outDir, runDate), MANIFEST_FILE));

  const previous = await currentVersion(outDir, runDate);
  await pointAt(currentLink(outDir, runDate), version);

  for (const table of await snapshotTableDirs(outDir)) {
    if (!tables.includes(table)) await fs.rm(partitionDir(outDir, table, runDate), { recursive: true, force: true });
  }
  const keep = new Set([CURRENT, MANIFEST_FILE, version, previous]);
  for (const entry of await fs.readdir(runDir)) {
    if (!keep.has(entry)) await fs.rm(path.join(runDir, entry), { recursive: true, force: true });
  }
}

/**
 * Removes a date's snapshot: `current` first, which takes every table and the manifest away at once (an older
 * layout without one loses its manifest first), then the links and the version folders.
 */
export async function removeSnapshot(outDir: string, runDate: string): Promise<void> {
  await fs.rm(currentLink(outDir, runDate), { force: true });
  await fs.rm(manifestPath(outDir, runDate), { force: true });
  for (const table of await snapshotTableDirs(outDir)) {
    await fs.rm(partitionDir(outDir, table, runDate), { recursive: true, force: true });
  }
  await fs.rm(runDateDir(outDir, runDate), { recursive: true, force: true });
  await fs.rm(path.dirname(reportPath(outDir, runDate)), { recursive: true, force: true });
}

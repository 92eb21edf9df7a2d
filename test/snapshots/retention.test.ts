import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyRetention } from '../../activities/retention';
import { writeLease } from '../../lib/leases';
import { datesToRemove } from '../../lib/retention';
import { manifestPath, PART_FILE, partitionDir, publishedRunDates } from '../../lib/snapshots';
import { runDatesBetween } from '../../lib/runDate';

const TEN_DAYS = runDatesBetween('2024-06-01', '2024-06-10');
const noLease: never[] = [];

test('no policy keeps everything', () => {
  expect(datesToRemove(TEN_DAYS, {}, noLease)).toEqual([]);
});

test('keepLast keeps the newest N dates', () => {
  expect(datesToRemove(TEN_DAYS, { keepLast: 3 }, noLease)).toEqual(runDatesBetween('2024-06-01', '2024-06-07'));
});

test('maxAgeDays counts back from the newest published date, not from the clock', () => {
  expect(datesToRemove(TEN_DAYS, { maxAgeDays: 2 }, noLease)).toEqual(runDatesBetween('2024-06-01', '2024-06-07'));
});

test('with both rules a date stays when either keeps it', () => {
  expect(datesToRemove(TEN_DAYS, { keepLast: 5, maxAgeDays: 2 }, noLease)).toEqual(runDatesBetween('2024-06-01', '2024-06-05'));
});

test('the newest date always stays, and so does every date a lease covers', () => {
  expect(datesToRemove(['2024-06-10'], { keepLast: 1, maxAgeDays: 0 }, noLease)).toEqual([]);
  const lease = { holder: 'segflow-backfill-x', from: '2024-06-02', to: '2024-06-04', createdAt: '2024-06-10T00:00:00Z' };
  expect(datesToRemove(TEN_DAYS, { keepLast: 1 }, [lease])).toEqual(['2024-06-01', ...runDatesBetween('2024-06-05', '2024-06-09')]);
});

test('the date a run has just published stays, however old, and the rules still apply to the others', () => {
  expect(datesToRemove(TEN_DAYS, { keepLast: 2 }, noLease, '2024-06-01')).toEqual(runDatesBetween('2024-06-02', '2024-06-08'));
  expect(datesToRemove(TEN_DAYS, { maxAgeDays: 1 }, noLease, '2024-06-03')).toEqual([
    ...runDatesBetween('2024-06-01', '2024-06-02'),
    ...runDatesBetween('2024-06-04', '2024-06-08'),
  ]);
});

/** Stand-in snapshots (two tables and a manifest) for each date. */
async function writeSnapshots(outDir: string, dates: string[]): Promise<void> {
  for (const date of dates) {
    for (const table of ['rfm', 'clusters']) {
      await fs.mkdir(partitionDir(outDir, table, date), { recursive: true });
      await fs.writeFile(path.join(partitionDir(outDir, table, date), PART_FILE), 'x');
    }
    await fs.mkdir(path.dirname(manifestPath(outDir, date)), { recursive: true });
    await fs.writeFile(manifestPath(outDir, date), '{}');
  }
}

test('applyRetention removes whole snapshots, manifest first, and leaves leased dates', async () => {
  const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-retention-'));
  try {
    await writeSnapshots(outDir, runDatesBetween('2024-06-01', '2024-06-05'));
    await writeLease(outDir, { holder: 'segflow-backfill-a', from: '2024-06-01', to: '2024-06-01', createdAt: '2024-06-05T00:00:00Z' });

    const result = await applyRetention({ outDir, policy: { keepLast: 2 }, justPublished: '2024-06-05' });
    expect(result).toEqual({ removed: ['2024-06-02', '2024-06-03'], staleStaging: [] });
    expect(await publishedRunDates(outDir)).toEqual(['2024-06-01', '2024-06-04', '2024-06-05']);
    await expect(fs.readdir(path.join(outDir, 'rfm'))).resolves.toEqual(['run_date=2024-06-01', 'run_date=2024-06-04', 'run_date=2024-06-05']);
    await expect(fs.readdir(path.join(outDir, 'clusters'))).resolves.toHaveLength(3);
  } finally {
    await fs.rm(outDir, { recursive: true, force: true });
  }
});

test('a rerun of an old date keeps the snapshot it has just published', async () => {
  const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-retention-'));
  try {
    await writeSnapshots(outDir, runDatesBetween('2024-06-01', '2024-06-05'));
    const result = await applyRetention({ outDir, policy: { keepLast: 2, maxAgeDays: 1 }, justPublished: '2024-06-01' });
    expect(result).toEqual({ removed: ['2024-06-02', '2024-06-03'], staleStaging: [] });
    expect(await publishedRunDates(outDir)).toEqual(['2024-06-01', '2024-06-04', '2024-06-05']);
  } finally {
    await fs.rm(outDir, { recursive: true, force: true });
  }
});

test('an unreadable lease stops retention instead of being ignored', async () => {
  const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-retention-'));
  try {
    await fs.mkdir(path.join(outDir, '_leases'));
    await fs.writeFile(path.join(outDir, '_leases', 'broken.json'), '{"holder": 1}');
    await expect(applyRetention({ outDir, policy: { keepLast: 1 }, justPublished: '2024-06-05' })).rejects.toThrow(/broken\.json is not a segflow lease .*fix or delete it/);
  } finally {
    await fs.rm(outDir, { recursive: true, force: true });
  }
});

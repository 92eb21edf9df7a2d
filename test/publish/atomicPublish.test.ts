import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { publishSnapshot, SNAPSHOT_TABLES, type PublishInput } from '../../activities/publish';
import { stagingFile } from '../../activities/staging';
import { quoteLiteral, Warehouse } from '../../lib/duckdb';
import { manifestPath, PART_FILE, partitionDir, publishedRunDates, runDateDir } from '../../lib/snapshots';
import { currentVersion, removeSnapshot } from '../../lib/snapshotVersions';
import { sha256 } from '../support/parquet';
import { publishInput } from '../support/publishInput';

/**
 * A publish that fails at any step, after k of the n tables, at the manifest or at the switch itself, leaves
 * readers of the documented layout the previous snapshot whole (or, on a first publish, no snapshot), and a
 * retry publishes files byte-identical to the staged ones.
 */
const RUN_DATE = '2024-06-30';
const TABLES = Object.keys(SNAPSHOT_TABLES);

let work: string;

beforeEach(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-atomic-publish-'));
});

afterEach(async () => {
  jest.restoreAllMocks();
  await fs.rm(work, { recursive: true, force: true });
});

/** A run's staged tables: every table holds `rows` rows that name the run, so a mix of runs would show. */
async function stageRun(run: string, rows: number): Promise<PublishInput> {
  const stagingDir = path.join(work, 'staging', run);
  const baseDir = path.join(stagingDir, 'base');
  await Warehouse.using({ timeZone: 'UTC' }, async (warehouse) => {
    for (const [table, stage] of Object.entries(SNAPSHOT_TABLES)) {
      const file = stagingFile(stage === 'base' ? baseDir : stagingDir, stage, table);
      await warehouse.writeParquet(`SELECT ${quoteLiteral(run)} AS run, i AS n FROM range(${rows}) t(i)`, file);
    }
  });
  return publishInput({ runDate: RUN_DATE, outDir: path.join(work, 'out'), stagingDir, baseDir, runId: run });
}

function documentedFile(outDir: string, table: string): string {
  return path.join(partitionDir(outDir, table, RUN_DATE), PART_FILE);
}

/** What a reader of the documented layout sees of the date: each table's runs and rows, read by glob. */
async function whatReadersSee(outDir: string): Promise<Record<string, string>> {
  return Warehouse.using({ timeZone: 'UTC' }, async (warehouse) => {
    const seen: Record<string, string> = {};
    for (const table of TABLES) {
      const glob = quoteLiteral(path.join(outDir, table, '*', '*.parquet'));
      const found = await warehouse.rows<{ run: string; rows: bigint }>(
        `SELECT run, count(*) AS rows FROM read_parquet(${glob}, hive_partitioning = true) WHERE run_date = ${quoteLiteral(RUN_DATE)} GROUP BY run`,
      ).catch((error: Error) => (error.message.includes('No files found') ? [] : Promise.reject(error)));
      seen[table] = found.map((f) => `${f.run}×${f.rows}`).join(', ');
    }
    return seen;
  });
}

/**
 * Every way a publish can stop short: before table k (k = 0 … n-1), at the manifest, at the switch. Each
 * injects its fault and returns what repairs it for the retry.
 */
const FAILURES: { step: string; inject(input: PublishInput): Promise<() => Promise<void>> }[] = [
  ...TABLES.map((table, k) => ({
    step: `after ${k} of ${TABLES.length} tables (${table}'s staged file is missing)`,
    async inject(input: PublishInput) {
      const stage = SNAPSHOT_TABLES[table as keyof typeof SNAPSHOT_TABLES];
      const file = stagingFile(stage === 'base' ? input.baseDir : input.stagingDir, stage, table);
      await fs.rename(file, `${file}.aside`);
      return () => fs.rename(`${file}.aside`, file);
    },
  })),
  {
    step: 'at the manifest',
    async inject() {
      jest.spyOn(fs, 'writeFile').mockRejectedValueOnce(new Error('ENOSPC: no space left on device'));
      return async () => void jest.restoreAllMocks();
    },
  },
  {
    step: 'at the switch',
    async inject() {
      const rename = fs.rename.bind(fs);
      jest.spyOn(fs, 'rename').mockImplementation(async (from, to) => {
        if (String(to).endsWith(`${path.sep}current`)) throw new Error('EIO: i/o error, rename');
        return rename(from, to);
      });
      return async () => void jest.restoreAllMocks();
    },
  },
];

const everyTable = (seen: string) => Object.fromEntries(TABLES.map((table) => [table, seen]));

test.each(FAILURES)('a publish that fails $step leaves the previous snapshot whole, and a retry publishes the new one', async ({ inject }) => {
  const first = await stageRun('first', 3);
  await publishSnapshot(first);
  const { outDir } = first;
  const before = {
    files: TABLES.map((table) => sha256(documentedFile(outDir, table))),
    manifest: await fs.readFile(manifestPath(outDir, RUN_DATE), 'utf8'),
    version: await currentVersion(outDir, RUN_DATE),
  };
  expect(await whatReadersSee(outDir)).toEqual(everyTable('first×3'));

  const second = await stageRun('second', 5);
  const repair = await inject(second);
  await expect(publishSnapshot(second)).rejects.toThrow(/ENOENT|ENOSPC|EIO/);
  await repair();

  expect(await whatReadersSee(outDir)).toEqual(everyTable('first×3'));
  expect(TABLES.map((table) => sha256(documentedFile(outDir, table)))).toEqual(before.files);
  expect(await fs.readFile(manifestPath(outDir, RUN_DATE), 'utf8')).toBe(before.manifest);
  expect(await currentVersion(outDir, RUN_DATE)).toBe(before.version);
  expect(await publishedRunDates(outDir)).toEqual([RUN_DATE]);

  await publishSnapshot(second);
  expect(await whatReadersSee(outDir)).toEqual(everyTable('second×5'));
  for (const [table, stage] of Object.entries(SNAPSHOT_TABLES)) {
    expect(sha256(documentedFile(outDir, table))).toBe(sha256(stagingFile(stage === 'base' ? second.baseDir : second.stagingDir, stage, table)));
  }
  const after = await currentVersion(outDir, RUN_DATE);
  expect(JSON.parse(await fs.readFile(manifestPath(outDir, RUN_DATE), 'utf8'))).toMatchObject({ runId: 'second', version: after });
  // The failed attempt's version folder is gone; the replaced one stays for readers that pinned it.
  expect((await fs.readdir(runDateDir(outDir, RUN_DATE))).sort()).toEqual(['current', 'manifest.json', before.version, after].sort());
});

test.each(FAILURES)('a first publish that fails $step shows readers no snapshot of the date', async ({ inject }) => {
  const input = await stageRun('only', 2);
  const repair = await inject(input);
  await expect(publishSnapshot(input)).rejects.toThrow(/ENOENT|ENOSPC|EIO/);
  await repair();
  expect(await whatReadersSee(input.outDir)).toEqual(everyTable(''));
  expect(await publishedRunDates(input.outDir)).toEqual([]);

  await publishSnapshot(input);
  expect(await whatReadersSee(input.outDir)).toEqual(everyTable('only×2'));
});

test('publishing a date again keeps one replaced version, not every one', async () => {
  const input = await stageRun('run', 1);
  const versions: (string | null)[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    await publishSnapshot(input);
    versions.push(await currentVersion(input.outDir, RUN_DATE));
  }
  expect(new Set(versions).size).toBe(3);
  expect((await fs.readdir(runDateDir(input.outDir, RUN_DATE))).sort()).toEqual(['current', 'manifest.json', versions[1], versions[2]].sort());
});

test('a date published in the layout before version folders (plain files) is replaced by the new snapshot whole', async () => {
  const old = await stageRun('old', 4);
  for (const [table, stage] of Object.entries(SNAPSHOT_TABLES)) {
    await fs.mkdir(partitionDir(old.outDir, table, RUN_DATE), { recursive: true });
    await fs.copyFile(stagingFile(stage === 'base' ? old.baseDir : old.stagingDir, stage, table), documentedFile(old.outDir, table));
  }
  await fs.mkdir(runDateDir(old.outDir, RUN_DATE), { recursive: true });
  await fs.writeFile(manifestPath(old.outDir, RUN_DATE), '{}');
  expect(await whatReadersSee(old.outDir)).toEqual(everyTable('old×4'));

  await publishSnapshot({ ...(await stageRun('new', 1)), outDir: old.outDir });
  expect(await whatReadersSee(old.outDir)).toEqual(everyTable('new×1'));
  expect(JSON.parse(await fs.readFile(manifestPath(old.outDir, RUN_DATE), 'utf8'))).toMatchObject({ runId: 'new' });
});

test('removing a published date takes its links, manifest and version folders away', async () => {
  const input = await stageRun('gone', 1);
  await publishSnapshot(input);
  await publishSnapshot(input);
  await removeSnapshot(input.outDir, RUN_DATE);
  expect(await publishedRunDates(input.outDir)).toEqual([]);
  for (const table of TABLES) await expect(fs.readdir(path.join(input.outDir, table))).resolves.toEqual([]);
  await expect(fs.readdir(path.join(input.outDir, '_runs'))).resolves.toEqual([]);
});

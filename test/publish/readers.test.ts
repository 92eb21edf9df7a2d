import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// parquetjs-lite has no type declarations; it is only the independent reader of these tests.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const parquet = require('parquetjs-lite');
import { SNAPSHOT_TABLES } from '../../activities/publish';
import { PART_FILE, partitionDir } from '../../lib/snapshots';
import { loadConfigFile, settingsForDataDir } from '../../lib/config';
import { generateSample } from '../../sample/generateSample';
import { readParquet } from '../support/parquet';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

const RUN_DATE = '2024-06-30';
const GENERATED_RUN_DATE = '2026-10-31';
let temporal: TestTemporal;
let outDir: string;

/**
 * Every table needs rows to compare: the hand-made fixture gives most of them, and 1,000 generated customers
 * those it is too small for (the churn model and the lifetime-value holdout).
 */
beforeAll(async () => {
  temporal = await startTestTemporal();
  outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-readers-'));
  const settings = loadConfigFile(path.join(__dirname, '..', 'fixtures', 'handmade', 'segflow.config.json'));
  // An earlier snapshot first, so that segment transitions and moves have rows to compare.
  await temporal.run({ runDate: '2024-05-31', outDir, settings });
  await temporal.run({ runDate: RUN_DATE, outDir, settings });
  await generateSample({ customers: 1000, outDir: path.join(outDir, 'generated') });
  await temporal.run({ runDate: GENERATED_RUN_DATE, outDir, settings: settingsForDataDir(path.join(outDir, 'generated')) });
}, 180_000);

afterAll(async () => {
  await temporal.stop();
  await fs.rm(outDir, { recursive: true, force: true });
});

async function readWithParquetjs(file: string): Promise<Record<string, unknown>[]> {
  const reader = await parquet.ParquetReader.openFile(file);
  const cursor = reader.getCursor();
  const rows: Record<string, unknown>[] = [];
  for (let row = await cursor.next(); row; row = await cursor.next()) rows.push(row);
  await reader.close();
  return rows;
}

/** The same value as both readers present it: timestamps as epoch milliseconds, big integers as numbers. */
function normalize(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'bigint') return Number(value);
  if (value === undefined) return null;
  return value;
}

/**
 * parquetjs-lite hands back the values of a dictionary-encoded column as strings (its decodeDictionaryPage
 * calls toString), and DuckDB dictionary-encodes columns with few distinct values. A number's shortest string
 * form reads back to the same number, so comparing Number(string) loses nothing.
 */
function parquetjsValue(value: unknown, expected: unknown): unknown {
  // A LIST column comes back in Parquet's three-level form, { list: [{ element }] }.
  if (Array.isArray(expected) && value && typeof value === 'object' && 'list' in value) {
    return (value as { list: { element: unknown }[] }).list.map(({ element }, i) => parquetjsValue(element, expected[i]));
  }
  const isNumber = typeof expected === 'number' || typeof expected === 'bigint';
  return isNumber && typeof value === 'string' ? Number(value) : normalize(value);
}

test.each(Object.keys(SNAPSHOT_TABLES))('%s reads the same through parquetjs-lite as through DuckDB', async (table) => {
  const handmade = path.join(partitionDir(outDir, table, RUN_DATE), PART_FILE);
  const file = (await readParquet(handmade)).length > 0 ? handmade : path.join(partitionDir(outDir, table, GENERATED_RUN_DATE), PART_FILE);
  const duckdbRows = await readParquet(file);
  const parquetjsRows = await readWithParquetjs(file);
  expect(parquetjsRows).toHaveLength(duckdbRows.length);
  expect(duckdbRows.length).toBeGreaterThan(0);
  duckdbRows.forEach((expected, index) => {
    const actual = parquetjsRows[index]!;
    for (const [column, value] of Object.entries(expected)) {
      const got = parquetjsValue(actual[column], value);
      if (typeof value === 'number' && !Number.isInteger(value)) expect(got).toBeCloseTo(value, 12);
      else expect([column, got]).toEqual([column, normalize(value)]);
    }
  });
});

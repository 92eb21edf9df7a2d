import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Warehouse } from '../../lib/duckdb';

/**
 * Stages side by side in one run open their sessions with the same spill folder (the run's staging
 * duckdb-spill). DuckDB names its spill files alike in every database, so two sessions spilling into one
 * folder overwrote each other's files: at a million customers, baskets and sales kpis failed reading them.
 */
let scratch: string;
beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-spill-'));
});
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

test('two sessions spilling into the same folder at once each read back their own rows', async () => {
  const tempDirectory = path.join(scratch, 'duckdb-spill');
  const rows = 6_000_000;
  // A sort far larger than 64 MB that carries every row's value through to a sum: a row read back from
  // another session's file, or not at all, changes it or fails the query.
  const sortedSum = (offset: number) =>
    Warehouse.using({ timeZone: 'UTC', memoryLimit: '64MB', threads: 1, tempDirectory }, (warehouse) =>
      warehouse.rows<{ total: bigint; rows: bigint }>(`
        SELECT sum(v) AS total, count(*) AS rows
        FROM (SELECT i + ${offset} AS v, row_number() OVER (ORDER BY hash(i + ${offset})) AS r FROM range(${rows}) t(i))
        WHERE r > 0`),
    );
  const [first, second] = await Promise.all([sortedSum(0), sortedSum(rows)]);
  const sumOf = (from: number) => (BigInt(rows) * BigInt(2 * from + rows - 1)) / 2n;
  expect(first).toEqual([{ total: sumOf(0), rows: BigInt(rows) }]);
  expect(second).toEqual([{ total: sumOf(rows), rows: BigInt(rows) }]);
  // Each session removes its spill folder, files and all, when it closes.
  expect(await fs.readdir(tempDirectory)).toEqual([]);
});

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { quoteLiteral, Warehouse } from '../../lib/duckdb';
import { parseConfigFile } from '../../lib/config';
import { generateSample } from '../../sample/generateSample';
import { sha256 } from '../support/parquet';

let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-sample-'));
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

const hashes = async (dir: string) =>
  Object.fromEntries(await Promise.all((await fs.readdir(dir)).sort().map(async (f) => [f, sha256(path.join(dir, f))])));

test('the same seed writes byte-identical files; another seed does not', async () => {
  await generateSample({ customers: 60, outDir: path.join(root, 'a'), seed: 3 });
  await generateSample({ customers: 60, outDir: path.join(root, 'b'), seed: 3 });
  await generateSample({ customers: 60, outDir: path.join(root, 'c'), seed: 4 });
  expect(await hashes(path.join(root, 'a'))).toEqual(await hashes(path.join(root, 'b')));
  expect((await hashes(path.join(root, 'a')))['orders.csv']).not.toBe((await hashes(path.join(root, 'c')))['orders.csv']);
});

test('all eight files and a valid configuration are written, scaling with customers', async () => {
  const small = await generateSample({ customers: 50, outDir: path.join(root, 'small') });
  const large = await generateSample({ customers: 500, outDir: path.join(root, 'large') });
  expect(small.files.map((f) => f.source).sort()).toEqual(
    ['ga_sessions', 'members', 'order_items', 'orders', 'platforms', 'products', 'promotions', 'reviews'],
  );
  const rows = (summary: typeof small, source: string) => summary.files.find((f) => f.source === source)!.rows;
  expect(rows(large, 'members')).toBe(500);
  expect(rows(large, 'orders')).toBeGreaterThan(5 * rows(small, 'orders'));
  const config = parseConfigFile(await fs.readFile(path.join(root, 'small', 'segflow.config.json'), 'utf8'), 'config');
  expect(Object.keys(config.sources)).toHaveLength(8);
});

test('every kind of dirt real exports have is planted, even in a sample of 50', async () => {
  const dir = path.join(root, 'small');
  const file = (name: string) => quoteLiteral(path.join(dir, name));
  const count = (warehouse: Warehouse, sql: string) => warehouse.scalar<bigint>(sql).then(Number);
  await Warehouse.using('Asia/Seoul', async (w) => {
    const orders = `read_csv(${file('orders.csv')}, all_varchar = true)`;
    const items = `read_csv(${file('order_items.csv')}, all_varchar = true)`;
    const reviews = `read_json(${file('reviews.jsonl')}, format = 'newline_delimited', columns = {rating: 'INTEGER', reviewed_at: 'VARCHAR'})`;
    expect(await count(w, `SELECT count(*) FROM (SELECT * FROM ${orders} GROUP BY ALL HAVING count(*) > 1)`)).toBeGreaterThan(0);
    expect(await count(w, `SELECT count(*) FROM (SELECT * FROM ${items} GROUP BY ALL HAVING count(*) > 1)`)).toBeGreaterThan(0);
    expect(await count(w, `SELECT count(*) FROM ${orders} WHERE member_id IS NULL`)).toBeGreaterThan(0);
    expect(await count(w, `SELECT count(*) FROM ${orders} WHERE TRY_CAST(ordered_at AS TIMESTAMPTZ) IS NULL`)).toBeGreaterThan(0);
    expect(await count(w, `SELECT count(*) FROM ${orders} WHERE status = 'cancelled' OR status = 'returned'`)).toBeGreaterThan(0);
    expect(await count(w, `SELECT count(*) FROM ${items} WHERE CAST(quantity AS INTEGER) < 0`)).toBeGreaterThan(0);
    expect(await count(w, `SELECT count(*) FROM ${items} WHERE CAST(quantity AS INTEGER) = 0`)).toBeGreaterThan(0);
    expect(await count(w, `SELECT count(*) FROM ${items} WHERE CAST(unit_price AS DOUBLE) <= 0`)).toBeGreaterThan(0);
    expect(await count(w, `SELECT count(*) FROM ${items} WHERE product_id NOT IN (SELECT product_id FROM read_csv(${file('products.csv')}))`)).toBeGreaterThan(0);
    expect(await count(w, `SELECT count(*) FROM ${orders} WHERE member_id NOT IN (SELECT member_id FROM read_csv(${file('members.csv')}))`)).toBeGreaterThan(0);
    expect(await count(w, `SELECT count(*) FROM ${reviews} WHERE rating NOT BETWEEN 1 AND 5`)).toBeGreaterThan(0);
    expect(await count(w, `SELECT count(*) FROM ${reviews} WHERE TRY_CAST(reviewed_at AS TIMESTAMPTZ) IS NULL`)).toBeGreaterThan(0);
    // Mixed UTC offsets: +09:00, Z, +00:00, -05:00 and naive business time.
    expect(await count(w, `SELECT count(DISTINCT regexp_extract(ordered_at, '(Z|[+-]\\d\\d:\\d\\d|:\\d\\d)$')) FROM ${orders}`)).toBeGreaterThanOrEqual(4);
  });
});

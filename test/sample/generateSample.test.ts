import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfigFile } from '../../lib/config';
import { quoteLiteral, Warehouse } from '../../lib/duckdb';
import { generateSample, SAMPLE_FILES, type SampleOptions, type SampleSummary } from '../../sample/generateSample';
import { columnsOf, SOURCE_NAMES, type SourceName } from '../../schemas/sources';
import { sha256 } from '../support/parquet';

let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-sample-'));
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

const generate = (name: string, options: Omit<SampleOptions, 'outDir'>) => generateSample({ outDir: path.join(root, name), ...options });

async function hashes(dir: string): Promise<Record<string, string>> {
  const files = (await fs.readdir(dir)).sort();
  return Object.fromEntries(files.map((file) => [file, sha256(path.join(dir, file))]));
}

const rowsOf = (summary: SampleSummary, source: SourceName) => summary.files.find((file) => file.source === source)!.rows;

/** Runs checks over a sample's files, each source a view of text columns, in the business time zone. */
async function withSample<T>(dir: string, work: (count: (sql: string) => Promise<number>) => Promise<T>): Promise<T> {
  return Warehouse.using({ timeZone: 'Asia/Seoul' }, async (warehouse) => {
    const file = (source: SourceName) => quoteLiteral(path.join(dir, SAMPLE_FILES[source]));
    for (const source of ['orders', 'order_items', 'members', 'products', 'promotions', 'platforms', 'marketing_spend', 'service_contacts'] as const) {
      await warehouse.run(`CREATE VIEW ${source} AS SELECT * FROM read_csv(${file(source)}, header = true, all_varchar = true)`);
    }
    await warehouse.run(
      `CREATE VIEW reviews AS SELECT * FROM read_json(${file('reviews')}, format = 'newline_delimited',
         columns = {review_id: 'VARCHAR', member_id: 'VARCHAR', product_id: 'VARCHAR', rating: 'VARCHAR', reviewed_at: 'VARCHAR'})`,
    );
    await warehouse.run(`CREATE VIEW ga_sessions AS SELECT * FROM read_parquet(${file('ga_sessions')})`);
    return work(async (sql) => Number(await warehouse.scalar<bigint>(sql)));
  });
}

test('the same options give byte-identical files; another seed gives other data', async () => {
  await generate('a', { customers: 60, seed: 3 });
  await generate('b', { customers: 60, seed: 3 });
  await generate('c', { customers: 60, seed: 4 });
  const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((name) => hashes(path.join(root, name))));
  expect(Object.keys(a!)).toHaveLength(11);
  expect(b).toEqual(a);
  // The platforms are fixed and the configuration names the files; everything else is drawn.
  for (const file of Object.keys(a!).filter((f) => f !== 'platforms.csv' && f !== 'segflow.config.json')) {
    expect([file, c![file]]).not.toEqual([file, a![file]]);
  }
});

test('every source is written with its canonical columns, and the configuration reads them all', async () => {
  const summary = await generate('columns', { customers: 50 });
  const dir = summary.outDir;
  expect(summary.files.map((f) => f.source)).toEqual(SOURCE_NAMES);

  const config = parseConfigFile(await fs.readFile(path.join(dir, 'segflow.config.json'), 'utf8'), 'segflow.config.json');
  expect(config.businessTimeZone).toBe('Asia/Seoul');
  expect(Object.fromEntries(Object.entries(config.sources).map(([source, entry]) => [source, entry!.path]))).toEqual(SAMPLE_FILES);

  await Warehouse.using({ timeZone: 'Asia/Seoul' }, async (warehouse) => {
    for (const { source, file, rows } of summary.files) {
      const reader = file.endsWith('.parquet')
        ? `read_parquet(${quoteLiteral(file)})`
        : file.endsWith('.jsonl')
          ? `read_json(${quoteLiteral(file)}, format = 'newline_delimited')`
          : `read_csv(${quoteLiteral(file)}, header = true, all_varchar = true)`;
      const columns = (await warehouse.rows<{ column_name: string }>(`DESCRIBE SELECT * FROM ${reader}`)).map((c) => c.column_name);
      const canonical = columnsOf(source as SourceName);
      expect([source, columns.filter((c) => !canonical.some((spec) => spec.name === c))]).toEqual([source, []]);
      for (const spec of canonical.filter((c) => c.required)) expect([source, columns]).toEqual([source, expect.arrayContaining([spec.name])]);
      expect([source, Number(await warehouse.scalar(`SELECT count(*) FROM ${reader}`))]).toEqual([source, rows]);
    }
  });
});

test('row counts grow with the number of customers; the catalogue does not', async () => {
  const small = await generate('small', { customers: 50 });
  const large = await generate('large', { customers: 500 });
  // A few members are missing on purpose: they withdrew, but their orders remain.
  expect(rowsOf(large, 'members')).toBeGreaterThan(480);
  expect(rowsOf(large, 'members')).toBeLessThanOrEqual(500);
  for (const source of ['orders', 'order_items', 'reviews', 'ga_sessions', 'service_contacts'] as const) {
    const ratio = rowsOf(large, source) / rowsOf(small, source);
    expect([source, ratio > 6 && ratio < 15]).toEqual([source, true]);
  }
  // Spend has a row per paid channel and period whatever the customers: 730 days of search ads and 24 monthly
  // invoices of two other channels, and a few re-exported rows.
  for (const summary of [small, large]) {
    expect(rowsOf(summary, 'marketing_spend')).toBeGreaterThanOrEqual(730 + 2 * 24);
    expect(rowsOf(summary, 'marketing_spend')).toBeLessThan(730 + 2 * 24 + 10);
  }
  for (const source of ['products', 'promotions', 'platforms'] as const) expect(rowsOf(large, source)).toBe(rowsOf(small, source));
  expect(rowsOf(large, 'products')).toBe(96);
  expect(rowsOf(large, 'promotions')).toBe(11); // ten seasonal events and the member coupon
  expect(rowsOf(large, 'platforms')).toBe(4);
});

test.each([7, 1, 2024])('with seed %i, 50 customers already hold every kind of planted dirt', async (seed) => {
  const { outDir } = await generate(`dirt-${seed}`, { customers: 50, seed });
  await withSample(outDir, async (count) => {
    const found = {
      duplicateOrders: await count('SELECT count(*) FROM (SELECT * FROM orders GROUP BY ALL HAVING count(*) > 1)'),
      duplicateItems: await count('SELECT count(*) FROM (SELECT * FROM order_items GROUP BY ALL HAVING count(*) > 1)'),
      guestOrders: await count('SELECT count(*) FROM orders WHERE member_id IS NULL'),
      unparseableOrderDates: await count('SELECT count(*) FROM orders WHERE TRY_CAST(ordered_at AS TIMESTAMPTZ) IS NULL'),
      unknownMembers: await count('SELECT count(*) FROM orders WHERE member_id NOT IN (SELECT member_id FROM members)'),
      nonPositivePrices: await count('SELECT count(*) FROM order_items WHERE CAST(unit_price AS DOUBLE) <= 0'),
      zeroQuantities: await count('SELECT count(*) FROM order_items WHERE CAST(quantity AS INTEGER) = 0'),
      unknownProducts: await count('SELECT count(*) FROM order_items WHERE product_id NOT IN (SELECT product_id FROM products)'),
      invalidRatings: await count('SELECT count(*) FROM reviews WHERE CAST(rating AS INTEGER) NOT BETWEEN 1 AND 5'),
      unparseableReviewDates: await count('SELECT count(*) FROM reviews WHERE TRY_CAST(reviewed_at AS TIMESTAMPTZ) IS NULL'),
      anonymousSessions: await count('SELECT count(*) FROM ga_sessions WHERE member_id IS NULL'),
      cancelledOrders: await count(`SELECT count(*) FROM orders WHERE status = 'cancelled'`),
      returnedOrders: await count(`SELECT count(*) FROM orders WHERE status = 'returned'`),
      negativeSpend: await count('SELECT count(*) FROM marketing_spend WHERE CAST(spend AS DOUBLE) < 0'),
      duplicateSpend: await count('SELECT count(*) FROM (SELECT date, channel FROM marketing_spend GROUP BY ALL HAVING count(*) > 1)'),
      missingChannels: await count('SELECT count(*) FROM marketing_spend WHERE channel IS NULL'),
      unparseableSpendDates: await count(`SELECT count(*) FROM marketing_spend WHERE coalesce(TRY_CAST(date AS DATE), TRY_CAST(date || '-01' AS DATE)) IS NULL`),
      invalidSatisfaction: await count('SELECT count(*) FROM service_contacts WHERE CAST(satisfaction AS DOUBLE) NOT BETWEEN 1 AND 5'),
      unparseableContactTimes: await count('SELECT count(*) FROM service_contacts WHERE TRY_CAST(contacted_at AS TIMESTAMPTZ) IS NULL'),
      duplicateContacts: await count('SELECT count(*) FROM (SELECT * FROM service_contacts GROUP BY ALL HAVING count(*) > 1)'),
      // Not dirt, but what the pipeline must handle: members without a recorded channel, and channels spelled
      // other than lower-case.
      membersWithoutChannel: await count('SELECT count(*) FROM members WHERE acquisition_channel IS NULL'),
      channelsNotLowerCase: await count('SELECT count(*) FROM members WHERE acquisition_channel <> lower(trim(acquisition_channel))'),
    };
    for (const [kind, rows] of Object.entries(found)) expect([kind, rows > 0]).toEqual([kind, true]);

    // Mixed UTC offsets: Seoul, two spellings of UTC, a US offset, and naive business time.
    const styles = await count(`
      SELECT count(DISTINCT CASE WHEN regexp_full_match(ordered_at, '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d') THEN 'naive'
                                 ELSE regexp_extract(ordered_at, '(Z|[+-]\\d\\d:\\d\\d)$') END)
      FROM orders WHERE TRY_CAST(ordered_at AS TIMESTAMPTZ) IS NOT NULL`);
    expect(styles).toBe(5);
  });
});

test('the history behaves like a shop: dates in range, cancellations, returns of earlier purchases, customer kinds', async () => {
  const { outDir } = await generate('shop', { customers: 500, endDate: '2025-12-31', days: 365 });
  await withSample(outDir, async (count) => {
    const orderedAt = 'TRY_CAST(ordered_at AS TIMESTAMPTZ)';
    expect(await count(`SELECT count(*) FROM orders WHERE CAST(${orderedAt} AS DATE) NOT BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'`)).toBe(0);
    expect(await count(`SELECT count(*) FROM orders WHERE CAST(${orderedAt} AS DATE) = DATE '2025-12-31'`)).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) FROM ga_sessions WHERE CAST(session_start AS DATE) > DATE '2025-12-31'`)).toBe(0);
    expect(await count(`SELECT count(*) FROM reviews WHERE CAST(TRY_CAST(reviewed_at AS TIMESTAMPTZ) AS DATE) > DATE '2025-12-31'`)).toBe(0);

    // A cancelled order keeps its lines as they were bought (zero quantities are planted dirt, not returns).
    expect(await count(`SELECT count(*) FROM orders JOIN order_items USING (order_id) WHERE status = 'cancelled' AND CAST(quantity AS INTEGER) < 0`)).toBe(0);
    // Every return line gives back a product the member bought earlier, at the price paid.
    const returnLines = await count(`SELECT count(*) FROM orders JOIN order_items USING (order_id) WHERE status = 'returned'`);
    expect(returnLines).toBeGreaterThan(0);
    expect(
      await count(`
        SELECT count(*) FROM orders AS r JOIN order_items AS ri USING (order_id)
        WHERE r.status = 'returned' AND CAST(ri.quantity AS INTEGER) < 0 AND EXISTS (
          SELECT 1 FROM orders AS b JOIN order_items AS bi USING (order_id)
          WHERE b.status = 'completed' AND b.member_id = r.member_id AND bi.product_id = ri.product_id
            AND bi.unit_price = ri.unit_price AND CAST(bi.quantity AS INTEGER) >= -CAST(ri.quantity AS INTEGER)
            -- a purchase planted with an unparseable date still counts
            AND coalesce(TRY_CAST(b.ordered_at AS TIMESTAMPTZ) < TRY_CAST(r.ordered_at AS TIMESTAMPTZ), true))`),
    ).toBe(returnLines);

    // Customer service hears from members after their orders, within the history.
    const contactedAt = 'TRY_CAST(contacted_at AS TIMESTAMPTZ)';
    expect(await count('SELECT count(*) FROM service_contacts')).toBeGreaterThan(50);
    expect(await count(`SELECT count(*) FROM service_contacts WHERE CAST(${contactedAt} AS DATE) > DATE '2025-12-31'`)).toBe(0);
    expect(
      await count(`
        SELECT count(*) FROM service_contacts AS c
        WHERE NOT EXISTS (SELECT 1 FROM orders AS o WHERE o.member_id = c.member_id
                            AND coalesce(TRY_CAST(o.ordered_at AS TIMESTAMPTZ) <= ${contactedAt}, true))`),
    ).toBe(0);

    // Members sign up before (or while) placing their first order.
    expect(
      await count(`
        SELECT count(*) FROM members JOIN (SELECT member_id, min(${orderedAt}) AS first_order FROM orders GROUP BY member_id) USING (member_id)
        WHERE TRY_CAST(joined_at AS TIMESTAMPTZ) > first_order`),
    ).toBe(0);

    // Frequent buyers, one-time buyers, and members who stopped buying long ago all exist in numbers.
    const perMember = `(SELECT member_id, count(*) AS orders, max(${orderedAt}) AS last_order FROM orders WHERE status = 'completed' GROUP BY member_id)`;
    expect(await count(`SELECT count(*) FROM ${perMember} WHERE orders >= 10`)).toBeGreaterThan(15);
    expect(await count(`SELECT count(*) FROM ${perMember} WHERE orders = 1`)).toBeGreaterThan(100);
    expect(await count(`SELECT count(*) FROM ${perMember} WHERE last_order < TIMESTAMPTZ '2025-07-01 00:00:00+09'`)).toBeGreaterThan(50);
  });
});

test('options out of range are refused', async () => {
  const outDir = path.join(root, 'refused');
  await expect(generateSample({ customers: 0, outDir })).rejects.toThrow(RangeError);
  await expect(generateSample({ customers: 10, outDir, endDate: '2026-02-30' })).rejects.toThrow(/endDate/);
  await expect(generateSample({ customers: 10, outDir, days: 0 })).rejects.toThrow(/days/);
});

test('data/sample is what the generator writes for 300 customers with the defaults', async () => {
  const committed = path.join(__dirname, '..', '..', 'data', 'sample');
  const { outDir } = await generate('committed', { customers: 300 });
  const [expected, actual] = await Promise.all([hashes(committed), hashes(outDir)]);
  // Parquet bytes carry the DuckDB version that wrote them, so that file is compared by its rows.
  const withoutParquet = (files: Record<string, string>) =>
    Object.fromEntries(Object.entries(files).filter(([file]) => file !== SAMPLE_FILES.ga_sessions));
  expect(withoutParquet(actual!)).toEqual(withoutParquet(expected!));
  const sessions = (dir: string) => `read_parquet(${quoteLiteral(path.join(dir, SAMPLE_FILES.ga_sessions))})`;
  const differing = await Warehouse.using({ timeZone: 'UTC' }, (warehouse) =>
    warehouse.scalar<bigint>(`SELECT count(*) FROM ((FROM ${sessions(committed)} EXCEPT ALL FROM ${sessions(outDir)})
                                UNION ALL (FROM ${sessions(outDir)} EXCEPT ALL FROM ${sessions(committed)}))`),
  );
  expect(Number(differing)).toBe(0);
});

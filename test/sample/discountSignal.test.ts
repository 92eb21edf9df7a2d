import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { quoteLiteral, Warehouse } from '../../lib/duckdb';
import { generateSample, SAMPLE_FILES } from '../../sample/generateSample';

/**
 * Price sensitivity in the generated data is a trait (sample/priceSensitivity.ts), so a discount-sensitivity model
 * has something to learn. Shown here on the generated files alone, with SQL: as of a date 90 days before the
 * history ends, the customers whose orders of the next 90 days were mostly on promotion had already bought on
 * promotion more often, spent less per order and visited more, from data up to that date only.
 */
const END_DATE = '2026-10-31';
const AS_OF = `DATE '2026-08-02'`;
const HORIZON_DAYS = 90;

type Customer = { sensitive: boolean; promo_share: number; order_value: number; sessions_last_90_days: number };

let scratch: string;
let customers: Customer[];

beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-discount-signal-'));
  const { outDir } = await generateSample({ customers: 4000, outDir: scratch, endDate: END_DATE });
  const file = (source: keyof typeof SAMPLE_FILES) => quoteLiteral(path.join(outDir, SAMPLE_FILES[source]));
  customers = await Warehouse.using({ timeZone: 'Asia/Seoul' }, async (warehouse) => {
    // Completed member orders by Seoul day with their value; rows with planted dirt mostly drop out.
    await warehouse.run(`
      CREATE TABLE orders AS
      SELECT order_id, member_id, CAST(TRY_CAST(ordered_at AS TIMESTAMPTZ) AS DATE) AS day, promotion_id,
             (SELECT sum(TRY_CAST(quantity AS INTEGER) * TRY_CAST(unit_price AS DOUBLE))
              FROM read_csv(${file('order_items')}, header = true, all_varchar = true) AS items
              WHERE items.order_id = orders.order_id) AS order_value
      FROM read_csv(${file('orders')}, header = true, all_varchar = true) AS orders
      WHERE status = 'completed' AND member_id IS NOT NULL AND TRY_CAST(ordered_at AS TIMESTAMPTZ) IS NOT NULL`);
    return warehouse.rows<Customer>(`
      WITH before AS (
        SELECT member_id, count(promotion_id) / count(*) AS promo_share, avg(order_value) AS order_value
        FROM orders WHERE day <= ${AS_OF} GROUP BY member_id),
      after AS (
        SELECT member_id, count(promotion_id) / count(*) >= 0.5 AS sensitive
        FROM orders WHERE day > ${AS_OF} AND day <= ${AS_OF} + ${HORIZON_DAYS} GROUP BY member_id),
      sessions AS (
        SELECT member_id, count(*) AS sessions_last_90_days FROM read_parquet(${file('ga_sessions')})
        WHERE CAST(session_start AS DATE) BETWEEN ${AS_OF} - 89 AND ${AS_OF} GROUP BY member_id)
      SELECT sensitive, promo_share, order_value, CAST(coalesce(sessions_last_90_days, 0) AS INTEGER) AS sessions_last_90_days
      FROM before JOIN after USING (member_id) LEFT JOIN sessions USING (member_id)
      ORDER BY member_id`);
  });
}, 30_000);

afterAll(() => fs.rm(scratch, { recursive: true, force: true }));

function meansOf(measure: (customer: Customer) => number): { sensitive: number; others: number } {
  const mean = (group: Customer[]) => group.reduce((sum, c) => sum + measure(c), 0) / group.length;
  return { sensitive: mean(customers.filter((c) => c.sensitive)), others: mean(customers.filter((c) => !c.sensitive)) };
}

test('buying mostly on promotion is common among returning customers, but far from universal', () => {
  expect(customers.length).toBeGreaterThan(1000);
  const rate = customers.filter((c) => c.sensitive).length / customers.length;
  expect(rate).toBeGreaterThan(0.1);
  expect(rate).toBeLessThan(0.4);
});

describe('customers who went on to buy mostly on promotion had already', () => {
  test('bought on promotion far more often', () => {
    const { sensitive, others } = meansOf((c) => c.promo_share);
    expect(sensitive - others).toBeGreaterThan(0.3);
  });

  test('spent less per order', () => {
    const { sensitive, others } = meansOf((c) => c.order_value);
    expect(sensitive).toBeLessThan(others * 0.95);
  });

  test('visited the shop more often in the last 90 days', () => {
    const { sensitive, others } = meansOf((c) => c.sessions_last_90_days);
    expect(sensitive).toBeGreaterThan(others * 1.1);
  });
});

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { quoteLiteral, Warehouse } from '../../lib/duckdb';
import { generateSample, SAMPLE_FILES } from '../../sample/generateSample';

/**
 * Churn in the generated data is a process with warning signs (sample/drift.ts), so a churn model has something
 * to learn. Shown here on the generated files alone, with SQL: as of a date 120 days before the history ends,
 * the customers who went on to churn (no purchase in the next 90 days) had already shown the signs, from data up
 * to that date only; and churn is common, but neither universal nor given away by recency alone.
 */
const END_DATE = '2026-10-31';
const AS_OF = `DATE '2026-07-03'`;
const HORIZON_DAYS = 90;

type Customer = {
  churned: boolean;
  days_since_last: number;
  purchase_days: number;
  /** The last gap between purchase days over the mean of the earlier ones; null below three purchase days. */
  last_gap_ratio: number | null;
  sessions_last_30_days: number;
  /** Null without a review. */
  last_rating: number | null;
};

let scratch: string;
let customers: Customer[];

beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-churn-signal-'));
  const { outDir } = await generateSample({ customers: 4000, outDir: scratch, endDate: END_DATE });
  const file = (source: keyof typeof SAMPLE_FILES) => quoteLiteral(path.join(outDir, SAMPLE_FILES[source]));
  customers = await Warehouse.using({ timeZone: 'Asia/Seoul' }, async (warehouse) => {
    // Member orders that were not cancelled or returned, by Seoul day; rows with planted unparseable dates drop out.
    await warehouse.run(`
      CREATE TABLE purchase_days AS
      SELECT DISTINCT member_id, CAST(TRY_CAST(ordered_at AS TIMESTAMPTZ) AS DATE) AS day
      FROM read_csv(${file('orders')}, header = true, all_varchar = true)
      WHERE status = 'completed' AND member_id IS NOT NULL AND TRY_CAST(ordered_at AS TIMESTAMPTZ) IS NOT NULL`);
    return warehouse.rows<Customer>(`
      WITH history AS (
        SELECT member_id, day, day - lag(day) OVER (PARTITION BY member_id ORDER BY day) AS gap,
               row_number() OVER (PARTITION BY member_id ORDER BY day DESC) AS from_last
        FROM purchase_days WHERE day <= ${AS_OF}),
      purchases AS (
        SELECT member_id, ${AS_OF} - max(day) AS days_since_last, count(*) AS purchase_days,
               max(gap) FILTER (WHERE from_last = 1) / avg(gap) FILTER (WHERE from_last > 1) AS last_gap_ratio
        FROM history GROUP BY member_id),
      sessions AS (
        SELECT member_id, count(*) AS sessions_last_30_days
        FROM read_parquet(${file('ga_sessions')})
        WHERE CAST(session_start AS DATE) BETWEEN ${AS_OF} - 29 AND ${AS_OF} GROUP BY member_id),
      ratings AS (
        SELECT member_id, arg_max(rating, reviewed_at) AS last_rating
        FROM (SELECT member_id, TRY_CAST(rating AS INTEGER) AS rating, TRY_CAST(reviewed_at AS TIMESTAMPTZ) AS reviewed_at
              FROM read_json(${file('reviews')}, format = 'newline_delimited', columns = {member_id: 'VARCHAR', rating: 'VARCHAR', reviewed_at: 'VARCHAR'}))
        WHERE rating BETWEEN 1 AND 5 AND CAST(reviewed_at AS DATE) <= ${AS_OF} GROUP BY member_id),
      stayed AS (
        SELECT DISTINCT member_id FROM purchase_days WHERE day > ${AS_OF} AND day <= ${AS_OF} + ${HORIZON_DAYS})
      SELECT stayed.member_id IS NULL AS churned, CAST(days_since_last AS INTEGER) AS days_since_last,
             CAST(purchase_days AS INTEGER) AS purchase_days, last_gap_ratio,
             CAST(coalesce(sessions_last_30_days, 0) AS INTEGER) AS sessions_last_30_days, last_rating
      FROM purchases LEFT JOIN sessions USING (member_id) LEFT JOIN ratings USING (member_id) LEFT JOIN stayed USING (member_id)
      ORDER BY member_id`);
  });
}, 30_000);

afterAll(() => fs.rm(scratch, { recursive: true, force: true }));

/** The mean of a measure over the churners and over the stayers among `who`, leaving out customers without it. */
function meansOf(who: Customer[], measure: (customer: Customer) => number | null): { churned: number; stayed: number } {
  const mean = (group: Customer[]) => {
    const values = group.map(measure).filter((value): value is number => value !== null);
    expect(values.length).toBeGreaterThan(100);
    return values.reduce((sum, value) => sum + value, 0) / values.length;
  };
  return { churned: mean(who.filter((c) => c.churned)), stayed: mean(who.filter((c) => !c.churned)) };
}

/** The probability that a churner scores above a stayer (ties count half): the ROC AUC of one score. */
function aucOf(score: (customer: Customer) => number): number {
  const churned = customers.filter((c) => c.churned).map(score);
  const stayed = customers.filter((c) => !c.churned).map(score);
  let wins = 0;
  for (const a of churned) for (const b of stayed) wins += a > b ? 1 : a === b ? 0.5 : 0;
  return wins / (churned.length * stayed.length);
}

test('churn is common among customers who bought before the as-of date, but far from universal', () => {
  expect(customers.length).toBeGreaterThan(2500);
  const rate = customers.filter((c) => c.churned).length / customers.length;
  expect(rate).toBeGreaterThan(0.3);
  expect(rate).toBeLessThan(0.6);
});

describe('among customers still active (a purchase in the 90 days before the as-of date), churners had already', () => {
  const active = () => customers.filter((c) => c.days_since_last < 90);

  test('let the gaps between their purchases lengthen', () => {
    const { churned, stayed } = meansOf(active(), (c) => c.last_gap_ratio);
    expect(churned - stayed).toBeGreaterThan(0.25);
  });

  test('visited the shop less often in the last 30 days', () => {
    const { churned, stayed } = meansOf(active(), (c) => c.sessions_last_30_days);
    expect(churned).toBeLessThan(stayed * 0.75);
  });

  test('given lower ratings in their last review', () => {
    const { churned, stayed } = meansOf(active(), (c) => c.last_rating);
    expect(stayed - churned).toBeGreaterThan(0.3);
  });

  test('bought on fewer days', () => {
    const { churned, stayed } = meansOf(active(), (c) => c.purchase_days);
    expect(churned).toBeLessThan(stayed * 0.75);
  });
});

test('recency predicts churn, but far from perfectly: the other signs have something to add', () => {
  const auc = aucOf((c) => c.days_since_last);
  expect(auc).toBeGreaterThan(0.65);
  expect(auc).toBeLessThan(0.85);
});

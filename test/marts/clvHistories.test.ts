import { Warehouse } from '../../lib/duckdb';
import { sqlFile } from '../../lib/sqlFile';

/**
 * sql/marts/clv_histories.sql on a hand-made order_lines table, run date 2024-03-01. Purchase days, not orders,
 * are what BG/NBD counts: two orders on one day are one purchase.
 */
const ORDER_LINES = `
  SELECT member_id, CAST(order_date AS DATE) AS order_date, revenue, is_purchase FROM (VALUES
    ('A', '2024-01-10', 30.0, true),  -- two orders on A's first day: one purchase day
    ('A', '2024-01-10', 20.0, true),
    ('A', '2024-01-20', 40.0, true),
    ('A', '2024-02-19', 60.0, true),  -- a purchase and a return on one day: the day is worth 50
    ('A', '2024-02-19', -10.0, false),
    ('B', '2024-03-01', 15.0, true),  -- two orders on the run date
    ('B', '2024-03-01', 25.0, true),
    ('C', '2024-02-01', 0.0, false),  -- a cancelled order is no purchase day
    ('C', '2024-02-10', 35.0, true),
    ('D', '2024-02-10', 35.0, true)   -- not scored: not in rfm
  ) AS t(member_id, order_date, revenue, is_purchase)`;

const CUSTOMERS = `
  SELECT * FROM (VALUES ('A', 140.0, 4, 35.0), ('B', 40.0, 2, 20.0), ('C', 35.0, 1, 35.0), ('D', 35.0, 1, 35.0))
  AS t(member_id, revenue, orders_count, avg_order_value)`;

test('frequency, recency, T and monetary count distinct purchase days, from the first day to the end of D', async () => {
  const rows = await Warehouse.using({ timeZone: 'UTC' }, async (warehouse) => {
    await warehouse.run(sqlFile('aggregates.sql'));
    await warehouse.run(`CREATE VIEW order_lines AS ${ORDER_LINES}`);
    await warehouse.run(`CREATE VIEW customers AS ${CUSTOMERS}`);
    await warehouse.run(`CREATE VIEW rfm AS SELECT * FROM (VALUES ('A'), ('B'), ('C')) AS t(member_id)`);
    await warehouse.setVariable('run_date', '2024-03-01', 'DATE');
    return warehouse.rows(`
      SELECT member_id, orders, CAST(first_purchase_date AS VARCHAR) AS first_day, CAST(last_purchase_date AS VARCHAR) AS last_day,
             CAST(lifespan_days AS INTEGER) AS lifespan_days, avg_days_between_purchases,
             model_frequency, model_recency_days, model_t_days, model_monetary
      FROM (${sqlFile('marts/clv_histories.sql')})`);
  });
  expect(rows).toEqual([
    // A: days 01-10, 01-20, 02-19: x = 2, tx = 40; T = 51 days to the start of 03-01, + 1 for the run date itself.
    // Repeat days are worth 40 and 60 - 10 = 50.
    { member_id: 'A', orders: 4, first_day: '2024-01-10', last_day: '2024-02-19', lifespan_days: 41,
      avg_days_between_purchases: 20, model_frequency: 2, model_recency_days: 40, model_t_days: 52, model_monetary: 45 },
    // B: both orders on the run date: no repeat purchase, observed for that one day.
    { member_id: 'B', orders: 2, first_day: '2024-03-01', last_day: '2024-03-01', lifespan_days: 1,
      avg_days_between_purchases: null, model_frequency: 0, model_recency_days: 0, model_t_days: 1, model_monetary: null },
    // C: the cancelled order of 02-01 does not start the history; 02-10 to the end of 03-01 is 21 days.
    { member_id: 'C', orders: 1, first_day: '2024-02-10', last_day: '2024-02-10', lifespan_days: 1,
      avg_days_between_purchases: null, model_frequency: 0, model_recency_days: 0, model_t_days: 21, model_monetary: null },
  ]);
});

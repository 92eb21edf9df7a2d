import { Warehouse } from '../../lib/duckdb';
import { sqlFile } from '../../lib/sqlFile';

/** sql/marts/cohort_retention.sql on hand-made order lines, run date 2024-03-15. */
const ORDER_LINES = `
  SELECT member_id, order_id, CAST(order_date AS DATE) AS order_date, is_purchase, revenue FROM (VALUES
    ('A', 'O1', '2024-01-05', true, 100.0),
    ('A', 'O2', '2024-03-02', true, 50.0),
    ('A', 'O3', '2024-03-10', false, -20.0), -- a return: revenue, but no purchase
    ('B', 'O4', '2024-01-20', true, 40.0),
    ('B', 'O5', '2024-01-25', true, 10.0),   -- two orders in B's first month
    ('C', 'O6', '2024-01-03', false, 0.0),   -- cancelled: C's cohort is February, not January
    ('C', 'O7', '2024-02-10', true, 30.0),
    ('D', 'O8', '2024-02-11', false, 0.0)    -- never bought: in no cohort
  ) AS t(member_id, order_id, order_date, is_purchase, revenue)`;

test('each cohort has a row per month up to the run date, with retention and cumulative revenue per customer', async () => {
  const rows = await Warehouse.using({ timeZone: 'UTC' }, async (warehouse) => {
    await warehouse.run(`CREATE VIEW order_lines AS ${ORDER_LINES}`);
    await warehouse.setVariable('run_date', '2024-03-15', 'DATE');
    return warehouse.rows(`
      SELECT CAST(cohort_month AS VARCHAR) AS cohort, cohort_month_number AS n, CAST(order_month AS VARCHAR) AS month,
             CAST(cohort_size AS INTEGER) AS size, CAST(active_customers AS INTEGER) AS active, retention_rate AS rate,
             CAST(orders AS INTEGER) AS orders, revenue,
             cumulative_revenue_per_customer AS cumulative
      FROM (${sqlFile('marts/cohort_retention.sql')})`);
  });
  expect(rows).toEqual([
    // January: A and B. Month 0: O1, O4, O5 worth 150, 75 per customer.
    { cohort: '2024-01-01', n: 0, month: '2024-01-01', size: 2, active: 2, rate: 1, orders: 3, revenue: 150, cumulative: 75 },
    // February: nobody of January bought; the cumulative revenue stays.
    { cohort: '2024-01-01', n: 1, month: '2024-02-01', size: 2, active: 0, rate: 0, orders: 0, revenue: 0, cumulative: 75 },
    // March: A bought again (50) and returned 20: 1 of 2 active, (150 + 30) / 2 per customer.
    { cohort: '2024-01-01', n: 2, month: '2024-03-01', size: 2, active: 1, rate: 0.5, orders: 1, revenue: 30, cumulative: 90 },
    { cohort: '2024-02-01', n: 0, month: '2024-02-01', size: 1, active: 1, rate: 1, orders: 1, revenue: 30, cumulative: 30 },
    { cohort: '2024-02-01', n: 1, month: '2024-03-01', size: 1, active: 0, rate: 0, orders: 0, revenue: 0, cumulative: 30 },
  ]);
});

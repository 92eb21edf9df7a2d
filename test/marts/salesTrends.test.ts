import { Warehouse } from '../../lib/duckdb';
import { sqlFile } from '../../lib/sqlFile';

/** sql/marts/sales_trends.sql on hand-made order lines, in the business time zone Asia/Seoul (UTC+9). */
const ORDER_LINES = `
  SELECT order_id, member_id, product_id, CAST(ordered_at AS TIMESTAMPTZ) AS ordered_at,
         CAST(CAST(ordered_at AS TIMESTAMPTZ) AS DATE) AS order_date, quantity, is_purchase, revenue FROM (VALUES
    ('O1', 'M1', 'P1', '2024-01-01 10:30:00+09', 2, true, 20.0),  -- Monday 10h in Seoul
    ('O1', 'M1', 'P2', '2024-01-01 10:30:00+09', 1, true, 5.0),
    ('O2', 'M2', 'P1', '2024-01-08 01:05:00+00', 1, true, 10.0),  -- Monday 10h in Seoul (01h UTC)
    ('O3', 'M2', 'P2', '2024-01-08 23:30:00+00', 3, true, 15.0),  -- Monday in UTC, Tuesday 08h in Seoul
    ('O4', 'M3', 'P1', '2024-02-02 12:00:00+09', -1, false, -10.0) -- a return by a member without a customer row
  ) AS t(order_id, member_id, product_id, ordered_at, quantity, is_purchase, revenue)`;

const CUSTOMERS = `SELECT * FROM (VALUES ('M1', 'north'), ('M2', 'south')) AS t(member_id, region)`;

test('months, weekday × hour in the business time zone, regions and top products, in one table', async () => {
  const rows = await Warehouse.using({ timeZone: 'Asia/Seoul' }, async (warehouse) => {
    await warehouse.run(`CREATE VIEW order_lines AS ${ORDER_LINES}`);
    await warehouse.run(`CREATE VIEW customers AS ${CUSTOMERS}`);
    await warehouse.setVariable('top_products', 1, 'INTEGER');
    return warehouse.rows(`
      SELECT breakdown, CAST(month AS VARCHAR) AS month, weekday, hour, region, product_id, product_rank,
             CAST(orders AS INTEGER) AS orders, CAST(customers AS INTEGER) AS customers, CAST(quantity AS INTEGER) AS quantity,
             revenue, revenue_share
      FROM (${sqlFile('marts/sales_trends.sql')})`);
  });
  const none = { month: null, weekday: null, hour: null, region: null, product_id: null, product_rank: null };
  // All revenue: 20 + 5 + 10 + 15 − 10 = 40.
  expect(rows).toEqual([
    { ...none, breakdown: 'month', month: '2024-01-01', orders: 3, customers: 2, quantity: 7, revenue: 50, revenue_share: 1.25 },
    { ...none, breakdown: 'month', month: '2024-02-01', orders: 0, customers: 0, quantity: 0, revenue: -10, revenue_share: -0.25 },
    // Monday 10h: O1 (2 + 1 units, 25) and O2 (1 unit, 10): 2 orders by 2 customers, 35 of 40.
    { ...none, breakdown: 'weekday_hour', weekday: 1, hour: 10, orders: 2, customers: 2, quantity: 4, revenue: 35, revenue_share: 0.875 },
    { ...none, breakdown: 'weekday_hour', weekday: 2, hour: 8, orders: 1, customers: 1, quantity: 3, revenue: 15, revenue_share: 0.375 },
    { ...none, breakdown: 'weekday_hour', weekday: 5, hour: 12, orders: 0, customers: 0, quantity: 0, revenue: -10, revenue_share: -0.25 },
    { ...none, breakdown: 'region', region: 'north', orders: 1, customers: 1, quantity: 3, revenue: 25, revenue_share: 0.625 },
    { ...none, breakdown: 'region', region: 'south', orders: 2, customers: 1, quantity: 4, revenue: 25, revenue_share: 0.625 },
    { ...none, breakdown: 'region', orders: 0, customers: 0, quantity: 0, revenue: -10, revenue_share: -0.25 },
    // P1 and P2 both earned 20 (P1: 20 + 10 − 10): the tie goes to P1. By quantity P2 leads, 4 units to 3.
    { ...none, breakdown: 'product_by_revenue', product_id: 'P1', product_rank: 1, orders: 2, customers: 2, quantity: 3, revenue: 20, revenue_share: 0.5 },
    { ...none, breakdown: 'product_by_quantity', product_id: 'P2', product_rank: 1, orders: 2, customers: 2, quantity: 4, revenue: 20, revenue_share: 0.5 },
  ]);
});

-- sales_trends: seed 002's sales exploration in one table, one breakdown per value of `breakdown`:
--   month                 per business month (`month`)
--   weekday_hour          per ISO weekday (1 = Monday) × hour of the order time in the business time zone
--   region                per members.region of the buyer (NULL: no members file, unknown member or no region)
--   product_by_revenue    the top_products products by revenue (`product_rank` 1 = most)
--   product_by_quantity   the top_products products by quantity bought
-- Columns that do not belong to a row's breakdown are NULL. Reads: order_lines (the run date's cut), customers.
-- Variables: top_products.
-- revenue is the lines' revenue (revenue.definition: returns subtract under 'net'); orders and customers count
-- purchases (distinct orders and buyers with a purchase line), quantity the units of purchase lines;
-- revenue_share is the row's share of all revenue. Only cells with lines are listed.
-- Not materialized: a CTE read three times is otherwise written out whole first, and at a million customers
-- reading order_lines three times is faster (README, What made it faster).
WITH lines AS NOT MATERIALIZED (
  SELECT order_id, member_id, product_id, is_purchase, ordered_at, order_date,
         CASE WHEN is_purchase THEN quantity ELSE 0 END AS purchased_quantity,
         CAST(revenue AS DECIMAL(38, 6)) AS revenue
  FROM order_lines
),
-- Month, weekday, hour and region belong to the order, so those breakdowns count orders, not their lines: half
-- the rows to group, and a date and hour computed once an order.
orders AS (
  SELECT order_id, member_id,
         bool_or(is_purchase) AS is_purchase,
         sum(purchased_quantity) AS purchased_quantity,
         sum(revenue) AS revenue,
         CAST(date_trunc('month', any_value(order_date)) AS DATE) AS month,
         CAST(isodow(any_value(ordered_at)) AS INTEGER) AS weekday,
         CAST(hour(any_value(ordered_at)) AS INTEGER) AS hour
  FROM lines GROUP BY order_id, member_id
),
grouped AS (
  SELECT
    CASE WHEN GROUPING(month) = 0 THEN 'month' WHEN GROUPING(weekday) = 0 THEN 'weekday_hour' ELSE 'region' END AS breakdown,
    month, weekday, hour, region, NULL AS product_id,
    count(*) FILTER (WHERE is_purchase) AS orders,
    count(DISTINCT member_id) FILTER (WHERE is_purchase) AS customers,
    sum(purchased_quantity) AS quantity,
    sum(revenue) AS revenue
  FROM orders LEFT JOIN (SELECT member_id, region FROM customers) USING (member_id)
  GROUP BY GROUPING SETS ((month), (weekday, hour), (region))
  UNION ALL
  SELECT 'product', NULL, NULL, NULL, NULL, product_id,
         count(DISTINCT order_id) FILTER (WHERE is_purchase),
         count(DISTINCT member_id) FILTER (WHERE is_purchase),
         sum(purchased_quantity),
         sum(revenue)
  FROM lines GROUP BY product_id
),
ranked_products AS (
  SELECT *,
         row_number() OVER (ORDER BY revenue DESC, product_id) AS revenue_rank,
         row_number() OVER (ORDER BY quantity DESC, product_id) AS quantity_rank
  FROM grouped WHERE breakdown = 'product'
),
listed AS (
  SELECT * EXCLUDE (product_id), NULL AS product_id, NULL AS product_rank FROM grouped WHERE breakdown <> 'product'
  UNION ALL
  SELECT 'product_by_revenue', month, weekday, hour, region, orders, customers, quantity, revenue, product_id, revenue_rank
  FROM ranked_products WHERE revenue_rank <= getvariable('top_products')
  UNION ALL
  SELECT 'product_by_quantity', month, weekday, hour, region, orders, customers, quantity, revenue, product_id, quantity_rank
  FROM ranked_products WHERE quantity_rank <= getvariable('top_products')
)
SELECT
  listed.breakdown,
  listed.month,
  CAST(listed.weekday AS INTEGER) AS weekday,
  CAST(listed.hour AS INTEGER) AS hour,
  CAST(listed.region AS VARCHAR) AS region,
  CAST(listed.product_id AS VARCHAR) AS product_id,
  CAST(listed.product_rank AS INTEGER) AS product_rank,
  CAST(listed.orders AS BIGINT) AS orders,
  CAST(listed.customers AS BIGINT) AS customers,
  CAST(listed.quantity AS BIGINT) AS quantity,
  CAST(listed.revenue AS DOUBLE) AS revenue,
  CAST(listed.revenue AS DOUBLE) / NULLIF(CAST((SELECT sum(revenue) FROM lines) AS DOUBLE), 0)
    AS revenue_share
FROM listed
ORDER BY list_position(['month', 'weekday_hour', 'region', 'product_by_revenue', 'product_by_quantity'], listed.breakdown),
         listed.month, listed.weekday, listed.hour, listed.region NULLS LAST, listed.product_rank

-- cohort_retention: monthly acquisition cohorts × months since acquisition, as the dbt e-commerce packages name
-- them. Reads: order_lines (the run date's cut). Variables: run_date.
--
-- A customer's cohort_month is the business month of their first purchase; month number 0 is that month. Every
-- cohort has a row for each month up to the run date's, months without activity included, so that the
-- cumulative revenue runs on. A cohort's revenue in a month is all its customers' lines of that month
-- (returns subtract under the net revenue definition); active customers and orders count purchases.
-- Not materialized: order_lines is read twice rather than written out whole first, faster at a million customers.
WITH lines AS NOT MATERIALIZED (
  SELECT member_id, order_id, is_purchase, revenue, CAST(date_trunc('month', order_date) AS DATE) AS order_month
  FROM order_lines
),
cohorts AS (
  SELECT member_id, min(order_month) AS cohort_month FROM lines WHERE is_purchase GROUP BY member_id
),
cohort_sizes AS (
  SELECT cohort_month, count(*) AS cohort_size FROM cohorts GROUP BY cohort_month
),
cells AS (
  SELECT cohort_month, cohort_size,
         unnest(range(0, date_diff('month', cohort_month, getvariable('run_date')) + 1)) AS cohort_month_number
  FROM cohort_sizes
),
activity AS (
  SELECT cohorts.cohort_month, date_diff('month', cohorts.cohort_month, lines.order_month) AS cohort_month_number,
         count(DISTINCT lines.member_id) FILTER (WHERE lines.is_purchase) AS active_customers,
         count(DISTINCT lines.order_id) FILTER (WHERE lines.is_purchase) AS orders,
         sum(CAST(lines.revenue AS DECIMAL(38, 6))) AS revenue
  FROM lines JOIN cohorts USING (member_id)
  WHERE lines.order_month >= cohorts.cohort_month
  GROUP BY ALL
)
SELECT
  cells.cohort_month,
  CAST(cells.cohort_month_number AS INTEGER) AS cohort_month_number,
  CAST(cells.cohort_month + to_months(CAST(cells.cohort_month_number AS INTEGER)) AS DATE) AS order_month,
  CAST(cells.cohort_size AS BIGINT) AS cohort_size,
  CAST(coalesce(activity.active_customers, 0) AS BIGINT) AS active_customers,
  coalesce(activity.active_customers, 0) / cells.cohort_size AS retention_rate,
  CAST(coalesce(activity.orders, 0) AS BIGINT) AS orders,
  CAST(coalesce(activity.revenue, 0) AS DOUBLE) AS revenue,
  -- Summed as DECIMAL, so that the running total is exact whatever the order of the terms.
  CAST(sum(coalesce(activity.revenue, 0)) OVER (PARTITION BY cells.cohort_month ORDER BY cells.cohort_month_number)
       AS DOUBLE) / cells.cohort_size AS cumulative_revenue_per_customer
FROM cells
LEFT JOIN activity USING (cohort_month, cohort_month_number)
ORDER BY cells.cohort_month, cells.cohort_month_number

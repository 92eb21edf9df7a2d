-- clv_histories: per scored customer (a row of rfm), the history that lifetime value is computed from, in days.
-- Reads: rfm, customers, order_lines. Variables: run_date.
--
-- A purchase day is a business date with at least one purchase: two orders on one day are one purchase, as
-- BG/NBD counts them. A purchase day counts from its start and the observation ends at the end of the run date:
--   model_frequency    = distinct purchase days - 1 (repeat purchases)
--   model_recency_days = days from the first to the last purchase day (0 without a repeat purchase)
--   model_t_days       = days from the first purchase day to the end of the run date (1 for a first purchase on D)
--   model_monetary     = mean revenue of the repeat purchase days (all of a day's lines; returns subtracting under
--                        the net revenue definition); NULL without a repeat purchase
-- Historic figures follow seed 000: lifespan_days counts both ends; avg_days_between_purchases is between
-- distinct purchase days (NULL for a single purchase day), where seed 000 divides the lifespan by orders.
WITH day_revenue AS (
  SELECT member_id, order_date, money_sum(revenue) AS revenue,
         row_number() OVER (PARTITION BY member_id ORDER BY order_date) AS day_number
  FROM order_lines
  GROUP BY member_id, order_date
  HAVING bool_or(is_purchase)
),
histories AS (
  SELECT member_id,
         min(order_date) AS first_purchase_date,
         max(order_date) AS last_purchase_date,
         count(*) - 1 AS model_frequency,
         money_avg(CASE WHEN day_number > 1 THEN revenue END) AS model_monetary
  FROM day_revenue
  GROUP BY member_id
)
SELECT
  rfm.member_id,
  customers.revenue,
  customers.orders_count AS orders,
  customers.avg_order_value,
  histories.first_purchase_date,
  histories.last_purchase_date,
  date_diff('day', first_purchase_date, last_purchase_date) + 1 AS lifespan_days,
  CASE WHEN model_frequency > 0 THEN date_diff('day', first_purchase_date, last_purchase_date) / model_frequency END
    AS avg_days_between_purchases,
  CAST(model_frequency AS INTEGER) AS model_frequency,
  CAST(date_diff('day', first_purchase_date, last_purchase_date) AS INTEGER) AS model_recency_days,
  CAST(date_diff('day', first_purchase_date, getvariable('run_date')) + 1 AS INTEGER) AS model_t_days,
  histories.model_monetary
FROM rfm
JOIN customers USING (member_id)
JOIN histories USING (member_id)
ORDER BY rfm.member_id

-- clv_holdout: the histories lifetime value's holdout check predicts from and the purchases it is compared with.
-- Every customer with a purchase by holdout_start (the run date minus the window): the BG/NBD history as of
-- holdout_start, from the base cut at its end (history_order_lines), and the purchase days after it up to the
-- run date, from the run date's cut (order_lines). Variables: holdout_start.
WITH history AS (
  SELECT member_id, count(*) - 1 AS model_frequency,
         date_diff('day', min(order_date), max(order_date)) AS model_recency_days,
         date_diff('day', min(order_date), getvariable('holdout_start')) + 1 AS model_t_days
  FROM (SELECT DISTINCT member_id, order_date FROM history_order_lines WHERE is_purchase)
  GROUP BY member_id
),
window_purchases AS (
  SELECT member_id, count(DISTINCT order_date) AS holdout_purchases
  FROM order_lines WHERE is_purchase AND order_date > getvariable('holdout_start')
  GROUP BY member_id
)
SELECT member_id,
       CAST(model_frequency AS DOUBLE) AS model_frequency,
       CAST(model_recency_days AS DOUBLE) AS model_recency_days,
       CAST(model_t_days AS DOUBLE) AS model_t_days,
       CAST(coalesce(holdout_purchases, 0) AS DOUBLE) AS holdout_purchases
FROM history LEFT JOIN window_purchases USING (member_id)
ORDER BY member_id

-- churn_features: behaviour that signals churn, for every customer with at least one purchase, and a risk.
-- Reads: customers, order_lines. Variables: run_date, inactive_days.
--
-- churn_risk = 1 - exp(-recency_days / expected_gap_days): the chance, if purchases came at the customer's own
-- average pace, of having seen one by now. expected_gap_days is the customer's mean gap between purchases, or for
-- one-time buyers the median gap of repeat buyers (inactive_days when nobody has bought twice).
WITH purchase_days AS (
  SELECT DISTINCT member_id, order_date FROM order_lines WHERE is_purchase
),
windows AS (
  SELECT member_id,
         count(*) FILTER (WHERE order_date > getvariable('run_date') - 90) AS purchase_days_last_90d,
         count(*) FILTER (WHERE order_date <= getvariable('run_date') - 90
                            AND order_date > getvariable('run_date') - 180) AS purchase_days_prev_90d
  FROM purchase_days GROUP BY member_id
),
revenue_windows AS (
  SELECT member_id,
         coalesce(money_sum(CASE WHEN order_date > getvariable('run_date') - 90 THEN revenue END), 0) AS revenue_last_90d,
         coalesce(money_sum(CASE WHEN order_date <= getvariable('run_date') - 90
                                       AND order_date > getvariable('run_date') - 180 THEN revenue END), 0) AS revenue_prev_90d
  FROM order_lines GROUP BY member_id
),
gaps AS (
  SELECT member_id,
         CASE WHEN orders_count > 1
              THEN date_diff('day', CAST(first_order_at AS DATE), CAST(last_order_at AS DATE)) / (orders_count - 1) END
           AS avg_days_between_orders
  FROM customers WHERE orders_count > 0
),
population AS (
  SELECT coalesce(median(avg_days_between_orders), getvariable('inactive_days')) AS typical_gap_days FROM gaps
)
SELECT
  customers.member_id,
  customers.recency_days,
  customers.orders_count,
  customers.days_since_first_order,
  gaps.avg_days_between_orders,
  coalesce(windows.purchase_days_last_90d, 0) AS purchase_days_last_90d,
  coalesce(windows.purchase_days_prev_90d, 0) AS purchase_days_prev_90d,
  revenue_windows.revenue_last_90d,
  revenue_windows.revenue_prev_90d,
  customers.returned_amount / nullif(customers.gross_revenue, 0) AS return_rate,
  customers.avg_rating,
  customers.ga_sessions_30d,
  greatest(coalesce(gaps.avg_days_between_orders, population.typical_gap_days), 1) AS expected_gap_days,
  customers.recency_days > getvariable('inactive_days') AS is_inactive,
  round(1 - exp(-customers.recency_days / greatest(coalesce(gaps.avg_days_between_orders, population.typical_gap_days), 1)), 6)
    AS churn_risk
FROM customers
JOIN gaps USING (member_id)
LEFT JOIN windows USING (member_id)
LEFT JOIN revenue_windows USING (member_id)
CROSS JOIN population
ORDER BY customers.member_id

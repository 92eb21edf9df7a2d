-- churn_inputs: the churn model's features of every customer with a purchase, as of the date run_date. The
-- stage reads the base cut at the end of that date, so a training row of a past as-of date sees nothing after it.
-- Reads: order_lines, members, reviews, ga_sessions, service_contacts.
-- Variables: run_date, inactive_days, has_members, has_reviews, has_ga_sessions, has_service_contacts.
--
-- A feature whose source is missing is NULL for everyone; one that does not exist for a customer (the gaps of a
-- single purchase day, the rating of a customer without reviews) is NULL for that customer. Gaps are between
-- distinct purchase days: two orders on one day are one purchase.
-- churn_risk, the heuristic baseline: 1 - exp(-days_since_last_purchase / expected gap), the chance, if purchases
-- came at the customer's own mean gap (for single-day buyers the median of the others', inactive_days when nobody
-- bought twice), of having seen one by now.
-- model_frequency, model_recency_days and model_t_days are the BG/NBD history as of the date (see clv_histories).
WITH purchase_days AS (
  SELECT member_id, order_date,
         date_diff('day', lag(order_date) OVER (PARTITION BY member_id ORDER BY order_date), order_date) AS gap_days
  FROM (SELECT DISTINCT member_id, order_date FROM order_lines WHERE is_purchase)
),
purchase_history AS (
  SELECT member_id,
         count(*) AS purchase_days,
         min(order_date) AS first_purchase_date,
         max(order_date) AS last_purchase_date,
         avg(gap_days) AS mean_gap_days,
         -- stddev_samp from exact integer sums: DuckDB's running variance depends on how threads split a group.
         CASE WHEN count(gap_days) > 1
              THEN sqrt(CAST(count(gap_days) * sum(gap_days * gap_days) - sum(gap_days) * sum(gap_days) AS DOUBLE)
                        / (count(gap_days) * (count(gap_days) - 1))) END AS gap_std_days
  FROM purchase_days GROUP BY member_id
),
orders AS (
  SELECT order_id, member_id, any_value(order_date) AS order_date, any_value(promotion_id) AS promotion_id
  FROM order_lines WHERE is_purchase GROUP BY order_id, member_id
),
order_windows AS (
  SELECT member_id,
         count(*) FILTER (WHERE order_date > getvariable('run_date') - 30) AS orders_last_30d,
         count(*) FILTER (WHERE order_date > getvariable('run_date') - 90) AS orders_last_90d,
         count(*) FILTER (WHERE order_date <= getvariable('run_date') - 90
                            AND order_date > getvariable('run_date') - 180) AS orders_prev_90d,
         count(promotion_id) / count(*) AS promo_order_share
  FROM orders GROUP BY member_id
),
revenue_windows AS (
  SELECT member_id,
         coalesce(money_sum(CASE WHEN order_date > getvariable('run_date') - 30 THEN revenue END), 0) AS revenue_last_30d,
         coalesce(money_sum(CASE WHEN order_date > getvariable('run_date') - 90 THEN revenue END), 0) AS revenue_last_90d,
         coalesce(money_sum(CASE WHEN order_date <= getvariable('run_date') - 90
                                  AND order_date > getvariable('run_date') - 180 THEN revenue END), 0) AS revenue_prev_90d,
         -money_sum(CASE WHEN net_amount < 0 THEN net_amount END) / nullif(money_sum(CASE WHEN net_amount > 0 THEN net_amount END), 0)
           AS return_ratio
  FROM order_lines GROUP BY member_id
),
review_history AS (
  SELECT member_id, count(*) AS review_count, avg(rating) AS mean_rating,
         arg_max(rating, (reviewed_at, review_id)) AS last_rating
  FROM reviews GROUP BY member_id
),
session_windows AS (
  SELECT member_id,
         -- Windows of business dates, compared as instants: a DATE cast to TIMESTAMPTZ is the start of that day.
         count(*) FILTER (WHERE session_start >= CAST(getvariable('run_date') - 29 AS TIMESTAMPTZ)) AS sessions_last_30d,
         count(*) FILTER (WHERE session_start < CAST(getvariable('run_date') - 29 AS TIMESTAMPTZ)
                            AND session_start >= CAST(getvariable('run_date') - 59 AS TIMESTAMPTZ)) AS sessions_prev_30d
  FROM ga_sessions WHERE member_id IS NOT NULL GROUP BY member_id
),
-- Service contacts of the last 90 days (as orders_last_90d): how many, their mean satisfaction (of those with a
-- score), and how many repeated an earlier contact.
service_windows AS (
  SELECT member_id,
         count(*) AS service_contacts_90d,
         exact_avg(satisfaction) AS mean_satisfaction_90d,
         count(*) FILTER (WHERE repeat_contact) AS repeat_contacts_90d
  FROM service_contacts WHERE contacted_at >= CAST(getvariable('run_date') - 89 AS TIMESTAMPTZ) GROUP BY member_id
),
typical AS (
  SELECT coalesce(median(mean_gap_days), getvariable('inactive_days')) AS typical_gap_days FROM purchase_history
),
features AS (
  SELECT
    purchase_history.member_id,
    date_diff('day', last_purchase_date, getvariable('run_date')) AS days_since_last_purchase,
    purchase_history.purchase_days,
    mean_gap_days,
    gap_std_days,
    date_diff('day', last_purchase_date, getvariable('run_date')) / mean_gap_days AS recency_gap_ratio,
    coalesce(orders_last_30d, 0) AS orders_last_30d,
    coalesce(orders_last_90d, 0) AS orders_last_90d,
    coalesce(orders_prev_90d, 0) AS orders_prev_90d,
    coalesce(orders_last_90d, 0) - coalesce(orders_prev_90d, 0) AS orders_trend_90d,
    CAST(revenue_last_30d AS DOUBLE) AS revenue_last_30d,
    CAST(revenue_last_90d AS DOUBLE) AS revenue_last_90d,
    CAST(revenue_prev_90d AS DOUBLE) AS revenue_prev_90d,
    CAST(revenue_last_90d - revenue_prev_90d AS DOUBLE) AS revenue_trend_90d,
    CAST(coalesce(return_ratio, 0) AS DOUBLE) AS return_ratio,
    CASE WHEN getvariable('has_members') THEN date_diff('day', CAST(members.joined_at AS DATE), getvariable('run_date')) END
      AS tenure_days,
    CASE WHEN getvariable('has_reviews') THEN coalesce(review_count, 0) END AS review_count,
    mean_rating,
    last_rating,
    coalesce(promo_order_share, 0) AS promo_order_share,
    CASE WHEN getvariable('has_ga_sessions') THEN coalesce(sessions_last_30d, 0) END AS sessions_last_30d,
    CASE WHEN getvariable('has_ga_sessions') THEN coalesce(sessions_prev_30d, 0) END AS sessions_prev_30d,
    CASE WHEN getvariable('has_service_contacts') THEN coalesce(service_contacts_90d, 0) END AS service_contacts_90d,
    mean_satisfaction_90d,
    CASE WHEN getvariable('has_service_contacts') THEN coalesce(repeat_contacts_90d, 0) END AS repeat_contacts_90d,
    round(1 - exp(-date_diff('day', last_purchase_date, getvariable('run_date'))
                  / greatest(coalesce(mean_gap_days, typical_gap_days), 1)), 6) AS churn_risk,
    CAST(purchase_days - 1 AS INTEGER) AS model_frequency,
    CAST(date_diff('day', first_purchase_date, last_purchase_date) AS INTEGER) AS model_recency_days,
    CAST(date_diff('day', first_purchase_date, getvariable('run_date')) + 1 AS INTEGER) AS model_t_days
  FROM purchase_history
  LEFT JOIN order_windows USING (member_id)
  LEFT JOIN revenue_windows USING (member_id)
  LEFT JOIN review_history USING (member_id)
  LEFT JOIN session_windows USING (member_id)
  LEFT JOIN service_windows USING (member_id)
  LEFT JOIN members ON getvariable('has_members') AND members.member_id = purchase_history.member_id
  CROSS JOIN typical
)
SELECT * FROM features ORDER BY member_id

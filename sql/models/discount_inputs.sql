-- discount_inputs: the discount-sensitivity model's features of every customer with a purchase, as of the date
-- run_date. The stage reads the base cut at the end of that date, so a training row of a past as-of date sees
-- nothing after it. Reads: order_lines, members, ga_sessions, promotions.
-- Variables: run_date, has_members, has_ga_sessions, has_promotions.
--
-- A feature whose source is missing is NULL for everyone; mean_promo_discount_pct is also NULL for a customer who
-- never bought on a promotion of known discount. promo_order_share is the customer's own history up to the as-of
-- date: the label (discount_training_rows.sql) looks only at orders after it.
WITH orders AS (
  SELECT order_id, member_id, any_value(order_date) AS order_date, any_value(promotion_id) AS promotion_id
  FROM order_lines WHERE is_purchase GROUP BY order_id, member_id
),
purchase_history AS (
  SELECT orders.member_id,
         count(*) AS purchase_orders,
         max(order_date) AS last_purchase_date,
         count(orders.promotion_id) / count(*) AS promo_order_share,
         exact_avg(promotions.discount_pct) AS mean_promo_discount_pct
  FROM orders
  LEFT JOIN promotions ON getvariable('has_promotions') AND promotions.promotion_id = orders.promotion_id
  GROUP BY orders.member_id
),
-- Revenue as every table counts it (revenue.definition): returns subtract under net.
spend AS (
  SELECT member_id, money_sum(revenue) AS monetary FROM order_lines GROUP BY member_id
),
sessions AS (
  SELECT member_id, count(*) AS sessions_last_90d
  FROM ga_sessions
  -- Business dates after run_date - 90, compared as instants (a DATE cast to TIMESTAMPTZ is the day's start).
  WHERE member_id IS NOT NULL AND session_start >= CAST(getvariable('run_date') - 89 AS TIMESTAMPTZ)
  GROUP BY member_id
)
SELECT
  purchase_history.member_id,
  date_diff('day', last_purchase_date, getvariable('run_date')) AS recency_days,
  purchase_orders,
  spend.monetary,
  spend.monetary / purchase_orders AS avg_order_value,
  promo_order_share,
  CASE WHEN getvariable('has_promotions') THEN mean_promo_discount_pct END AS mean_promo_discount_pct,
  CASE WHEN getvariable('has_members') THEN date_diff('day', CAST(members.joined_at AS DATE), getvariable('run_date')) END
    AS tenure_days,
  CASE WHEN getvariable('has_ga_sessions') THEN coalesce(sessions.sessions_last_90d, 0) END AS sessions_last_90d
FROM purchase_history
JOIN spend USING (member_id)
LEFT JOIN sessions USING (member_id)
LEFT JOIN members ON getvariable('has_members') AND members.member_id = purchase_history.member_id
ORDER BY member_id

-- discount_levels: one row per RFM segment: how much its customers buy on promotion, how many of those who had a
-- promotion to use redeemed one, and the discount level to offer the segment (seed 004's segment strategy), which
-- campaign_targets applies. All history up to the end of the run date.
-- Reads: rfm, discount_sensitivity, order_lines, promotions, discount_level_rules (level, min_probability,
-- discount_pct: the configured thresholds, 'none' at 0). Variables: has_promotions.
--
-- promo_order_share   promotion orders / purchase orders of the segment's customers
-- eligible_customers  customers with a purchase order on a day a promotion ran (starts_on to ends_on, open-ended
--                     without ends_on), or with a promotion; NULL without the promotions source, which alone says
--                     when promotions ran
-- redemption_rate     redeeming_customers (a purchase order with a promotion) / eligible_customers
-- discount_level      the level of the highest min_probability at or below mean_discount_probability; NULL when no
--                     customer of the segment has a probability (discount_method unavailable)
WITH orders AS (
  SELECT order_id, member_id, any_value(order_date) AS order_date, any_value(promotion_id) AS promotion_id
  FROM order_lines WHERE is_purchase GROUP BY order_id, member_id
),
orders_while_promoted AS (
  SELECT DISTINCT orders.order_id
  FROM orders
  JOIN promotions ON promotions.starts_on <= orders.order_date AND orders.order_date <= coalesce(promotions.ends_on, orders.order_date)
  WHERE getvariable('has_promotions')
),
customer_promotions AS (
  SELECT member_id, count(*) AS orders, count(promotion_id) AS promo_orders,
         bool_or(promotion_id IS NOT NULL OR promoted.order_id IS NOT NULL) AS had_promotion
  FROM orders LEFT JOIN orders_while_promoted AS promoted USING (order_id)
  GROUP BY member_id
),
segments AS (
  SELECT
    rfm.segment,
    count(*) AS customers,
    sum(orders) AS orders,
    sum(promo_orders) AS promo_orders,
    count(*) FILTER (WHERE had_promotion) AS eligible_customers,
    count(*) FILTER (WHERE promo_orders > 0) AS redeeming_customers,
    avg(discount_probability ORDER BY discount_probability) AS mean_discount_probability,
    count(*) FILTER (WHERE is_discount_sensitive) AS sensitive_customers,
    any_value(discount_method) AS discount_method
  FROM rfm
  JOIN customer_promotions USING (member_id)
  JOIN discount_sensitivity USING (member_id)
  GROUP BY rfm.segment
),
levels AS (
  SELECT segment,
         arg_max(level, min_probability) AS discount_level,
         CAST(arg_max(discount_pct, min_probability) AS DOUBLE) AS recommended_discount_pct
  FROM segments
  JOIN discount_level_rules ON CAST(min_probability AS DOUBLE) <= mean_discount_probability
  GROUP BY segment
)
SELECT
  segment,
  CAST(customers AS INTEGER) AS customers,
  CAST(orders AS BIGINT) AS orders,
  CAST(promo_orders AS BIGINT) AS promo_orders,
  promo_orders / orders AS promo_order_share,
  CASE WHEN getvariable('has_promotions') THEN CAST(eligible_customers AS INTEGER) END AS eligible_customers,
  CAST(redeeming_customers AS INTEGER) AS redeeming_customers,
  CASE WHEN getvariable('has_promotions') THEN redeeming_customers / nullif(eligible_customers, 0) END AS redemption_rate,
  round(mean_discount_probability, 6) AS mean_discount_probability,
  CAST(sensitive_customers AS INTEGER) AS sensitive_customers,
  discount_level,
  recommended_discount_pct,
  discount_method
FROM segments
LEFT JOIN levels USING (segment)
ORDER BY segment

-- discount_training_rows: one as-of date's discount inputs with their label. A customer is discount_sensitive
-- when at least promo_share_threshold of their purchase orders in the horizon_days after the as-of date used a
-- promotion; only customers with at least min_label_orders such orders are labelled (the others bought nothing
-- to judge by). The windows do not overlap: the features end at the as-of date, the label starts the day after.
-- Reads: discount_inputs (as of as_of), later_order_lines (the run date's cut).
-- Variables: as_of, horizon_days, promo_share_threshold, min_label_orders.
WITH later_orders AS (
  SELECT order_id, member_id, any_value(promotion_id) AS promotion_id
  FROM later_order_lines
  WHERE is_purchase AND order_date > getvariable('as_of') AND order_date <= getvariable('as_of') + getvariable('horizon_days')
  GROUP BY order_id, member_id
),
labels AS (
  SELECT member_id, count(*) AS label_orders, count(promotion_id) / count(*) AS label_promo_share
  FROM later_orders GROUP BY member_id
  HAVING count(*) >= getvariable('min_label_orders')
)
SELECT discount_inputs.*, label_orders, label_promo_share,
       label_promo_share >= getvariable('promo_share_threshold') AS discount_sensitive
FROM discount_inputs JOIN labels USING (member_id)
ORDER BY member_id

-- cluster_features: the raw value of every clustering feature for each scored customer, in member_id order.
-- Reads: rfm, customers. Variables: has_reviews, has_promotions, has_ga_sessions.
-- A feature whose source is missing is NULL for everyone (and left out of the fit); otherwise a customer
-- without reviews, promotions or sessions has 0, and a customer without ratings has the mean rating of those
-- with one, so the missing rating neither pulls nor pushes (it standardizes to about 0).
SELECT
  row_number() OVER (ORDER BY rfm.member_id) AS position,
  rfm.member_id,
  rfm.recency_days,
  rfm.frequency,
  rfm.monetary,
  rfm.monetary / rfm.frequency AS avg_order_value,
  rfm.frequency / (rfm.recency_days / 30 + 1) AS purchase_consistency,
  CASE WHEN getvariable('has_reviews') THEN coalesce(customers.review_count, 0) END AS review_count,
  CASE WHEN getvariable('has_reviews')
       THEN coalesce(customers.avg_rating, (SELECT avg(avg_rating ORDER BY avg_rating) FROM customers JOIN rfm USING (member_id)), 0) END AS avg_rating,
  CASE WHEN getvariable('has_promotions') THEN coalesce(customers.promo_order_share, 0) END AS promo_order_share,
  CASE WHEN getvariable('has_ga_sessions') THEN coalesce(customers.ga_sessions_30d, 0) END AS ga_sessions_30d
FROM rfm
LEFT JOIN customers USING (member_id)
ORDER BY rfm.member_id

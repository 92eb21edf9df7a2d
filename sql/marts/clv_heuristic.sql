-- clv_heuristic: seed 000's predict_future_ltv, for when the models cannot be fitted (thin data or no
-- convergence). Reads: clv_histories. Variables: horizon_days.
--
-- A one-time buyer is worth a tenth of their average order (expected_purchases 0.1 at avg_order_value); a
-- repeat buyer makes horizon / avg_days_between_purchases purchases, decayed by exp(-horizon / 365). The gap is
-- between distinct purchase days (seed 000 divides the lifespan by orders, so two orders on one day would
-- predict a purchase every half day). No model, so no P(alive).
SELECT
  member_id,
  CAST(NULL AS DOUBLE) AS p_alive,
  CASE WHEN model_frequency = 0 THEN 0.1
       ELSE getvariable('horizon_days') / avg_days_between_purchases * exp(-getvariable('horizon_days') / 365) END
    AS expected_purchases,
  avg_order_value AS expected_spend,
  avg_days_between_purchases AS expected_gap_days
FROM clv_histories

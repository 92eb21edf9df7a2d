-- clv: lifetime value of every scored customer: seed 000's historic figures, the purchase history the models
-- read, and the predictions over the horizon. Reads: clv_histories, clv_predictions (BG/NBD + Gamma-Gamma from
-- the worker thread, or sql/marts/clv_heuristic.sql). Variables: run_date, clv_method, discount_factor,
-- next_order_min_p_alive.
--
-- predicted_clv = expected_purchases * expected_spend * discount_factor (1 without a discount rate)
-- total_clv     = revenue (historic CLV, by revenue.definition) + predicted_clv
-- expected_next_order_date = run date + ceil(expected_gap_days); NULL below the P(alive) threshold or without a gap
-- clv_tier: seed 000's qcut(total_clv, 4, labels=['Low Value', 'Medium Value', 'High Value', 'Top Value']).
WITH valued AS (
  SELECT clv_histories.*, p_alive, expected_purchases, expected_spend, expected_gap_days,
         expected_purchases * expected_spend * getvariable('discount_factor') AS predicted_clv,
         revenue + expected_purchases * expected_spend * getvariable('discount_factor') AS total_clv
  FROM clv_histories JOIN clv_predictions USING (member_id)
),
tier_edges AS (
  SELECT quartile_edge_x4(sorted, 1) AS edge1_x4, quartile_edge_x4(sorted, 2) AS edge2_x4,
         quartile_edge_x4(sorted, 3) AS edge3_x4
  FROM (SELECT list(total_clv ORDER BY total_clv) AS sorted FROM valued)
)
SELECT
  member_id, revenue, orders, avg_order_value, first_purchase_date, last_purchase_date, lifespan_days,
  avg_days_between_purchases, model_frequency, model_recency_days, model_t_days, model_monetary,
  expected_purchases, p_alive, expected_spend, predicted_clv, total_clv,
  CASE WHEN p_alive < getvariable('next_order_min_p_alive') THEN NULL
       ELSE getvariable('run_date') + CAST(ceil(expected_gap_days) AS INTEGER) END AS expected_next_order_date,
  quartile_label(total_clv, edge1_x4, edge2_x4, edge3_x4, ['Low Value', 'Medium Value', 'High Value', 'Top Value'])
    AS clv_tier,
  getvariable('clv_method') AS clv_method
FROM valued CROSS JOIN tier_edges
ORDER BY member_id

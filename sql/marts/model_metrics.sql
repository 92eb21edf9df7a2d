-- model_metrics: how the predictive models did on the pipeline's own history, next to their baselines: lifetime
-- value's purchases over the holdout window (clv_purchases), the churn model on its evaluation date (churn) and
-- the discount-sensitivity model on its validation date (discount_sensitivity).
-- One row per model or baseline and metric; beats_baselines is set on the model's rows.
-- Reads: clv_metrics, churn_metrics, discount_sensitivity_metrics (each stage's rows, see activities/modelMetrics.ts).
SELECT * FROM (
  SELECT * FROM clv_metrics
  UNION ALL SELECT * FROM churn_metrics
  UNION ALL SELECT * FROM discount_sensitivity_metrics
)
ORDER BY model, is_baseline, method, metric

-- churn_features: every customer with a purchase: the churn model's features as of the run date
-- (sql/models/churn_inputs.sql), P(alive) from lifetime value, and the probability of churning, i.e. of no
-- purchase in the inactive_days after the run date.
-- Reads: churn_inputs, clv, churn_scores. Variables: inactive_days, churn_method.
--
-- churn_probability, by churn_method:
--   logistic_regression  1 / (1 + exp(-churn_logit)), churn_logit from the coefficients in churn_model
--   one_minus_p_alive    1 - P(alive), when history is too short to train and validate the model (NULL for a
--                        customer lifetime value does not score: non-positive net revenue)
--   heuristic            churn_risk, when lifetime value fell back to its heuristic and has no P(alive) either
SELECT
  churn_inputs.* EXCLUDE (model_frequency, model_recency_days, model_t_days),
  clv.p_alive,
  churn_inputs.days_since_last_purchase > getvariable('inactive_days') AS is_inactive,
  round(CASE getvariable('churn_method')
          WHEN 'logistic_regression' THEN 1 / (1 + exp(-churn_scores.churn_logit))
          WHEN 'one_minus_p_alive' THEN 1 - clv.p_alive
          ELSE churn_inputs.churn_risk END, 6) AS churn_probability,
  getvariable('churn_method') AS churn_method
FROM churn_inputs
LEFT JOIN clv USING (member_id)
LEFT JOIN churn_scores USING (member_id)
ORDER BY member_id

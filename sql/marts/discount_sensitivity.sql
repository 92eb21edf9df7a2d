-- discount_sensitivity: every customer with a purchase: the discount-sensitivity model's features as of the run
-- date (sql/models/discount_inputs.sql) and the probability that they buy only with a promotion, i.e. that at least
-- promo_share_threshold of their purchase orders in the horizon_days after the run date use one.
-- Reads: discount_inputs, discount_scores. Variables: discount_method, sensitivity_cutoff.
--
-- discount_probability, by discount_method:
--   logistic_regression  1 / (1 + exp(-discount_logit)), the logit from the model's coefficients (manifest)
--   unavailable          NULL: history too short to train and validate the model (the manifest says why)
SELECT
  discount_inputs.*,
  round(CASE WHEN getvariable('discount_method') = 'logistic_regression'
             THEN 1 / (1 + exp(-discount_scores.discount_logit)) END, 6) AS discount_probability,
  discount_probability >= getvariable('sensitivity_cutoff') AS is_discount_sensitive,
  getvariable('discount_method') AS discount_method
FROM discount_inputs
LEFT JOIN discount_scores USING (member_id)
ORDER BY member_id

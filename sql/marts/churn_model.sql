-- churn_model: the churn model, so people can see why a customer scores as they do. One row per feature the model
-- uses and one '(intercept)' row. standardized_effect is the change in the log-odds of churning per training
-- standard deviation of the feature; coefficient the change per unit. The log-odds of a customer are
--   sum(standardized_effect * (x - training_mean) / training_std) + the intercept's standardized_effect
--   = sum(coefficient * x) + the intercept's coefficient,
-- a feature that is NULL for the customer taking its training_mean. Empty when churn_method is not
-- logistic_regression. Reads: churn_coefficients.
SELECT feature, standardized_effect, coefficient, training_mean, training_std
FROM churn_coefficients
ORDER BY feature = '(intercept)' DESC, abs(standardized_effect) DESC, feature

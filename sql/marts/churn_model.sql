-- churn_model: the churn model's features, why customers score as they do. One row per feature the model uses:
-- the training mean and standard deviation it is standardized with, its coefficient per standardized unit
-- (standardized_effect: the change in log-odds of churning per standard deviation) and per unit of the feature.
-- Empty when churn_method is not logistic_regression. Reads: churn_coefficients.
SELECT feature, standardized_effect, coefficient, training_mean, training_std
FROM churn_coefficients
ORDER BY abs(standardized_effect) DESC, feature

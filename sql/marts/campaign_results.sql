-- campaign_results: one row per campaign and target date: how the customers that an earlier snapshot's
-- campaign_targets listed (the plan of record) bought in the window_days after that date, treatment against control.
-- Reads: previous_targets (campaign_targets of the earlier published dates), order_lines (the run date's cut).
-- Variables: run_date, window_days. Functions: student_t_quantile(probability, degrees of freedom).
--
-- The window is the business days target_date + 1 .. target_date + window_days; until the run date reaches its
-- end it is observed up to the run date only (window_complete false), and nothing after the run date is read.
-- Every customer listed counts, bought or not (intention to treat). Intervals are 95%, two-sided: conversion by
-- the unpooled Wald interval, relative conversion uplift by the log of the ratio (Katz), revenue per customer by
-- Welch's t interval. A bound is NULL when its standard error is 0 or cannot be estimated.
WITH cohorts AS (
  SELECT run_date AS target_date, campaign, assignment, member_id,
         least(run_date + getvariable('window_days'), getvariable('run_date')) AS observed_until
  FROM previous_targets
  -- Snapshots from before control groups have no control to compare with.
  WHERE assignment IS NOT NULL
),
window_lines AS (
  SELECT member_id, order_date, is_purchase, revenue FROM order_lines
  WHERE order_date > (SELECT min(target_date) FROM cohorts) AND order_date <= getvariable('run_date')
),
customer_outcomes AS (
  SELECT cohorts.target_date, cohorts.campaign, cohorts.assignment, cohorts.member_id,
         coalesce(bool_or(lines.is_purchase), false) AS bought,
         -- Exact sums (DECIMAL), so that the same orders give the same bits whatever order DuckDB adds them in.
         coalesce(sum(CAST(lines.revenue AS DECIMAL(38, 6))), 0) AS revenue
  FROM cohorts
  LEFT JOIN window_lines AS lines
    ON lines.member_id = cohorts.member_id
   AND lines.order_date > cohorts.target_date AND lines.order_date <= cohorts.observed_until
  GROUP BY ALL
),
arms AS (
  SELECT target_date, campaign, assignment,
         count(*) AS customers,
         count(*) FILTER (WHERE bought) AS buyers,
         CAST(sum(revenue) AS DOUBLE) AS revenue,
         CAST(sum(revenue * revenue) AS DOUBLE) AS revenue_squares
  FROM customer_outcomes
  GROUP BY ALL
),
arm_statistics AS (
  SELECT target_date, campaign, assignment, customers, buyers,
         buyers / customers AS conversion,
         revenue / customers AS revenue_per_customer,
         -- The sample variance of revenue per customer, from the exact sums.
         CASE WHEN customers >= 2
              THEN greatest((revenue_squares - revenue * revenue / customers) / (customers - 1), 0) END AS revenue_variance
  FROM arms
),
paired AS (
  SELECT plans.target_date, plans.campaign,
         coalesce(t.customers, 0) AS n_t, coalesce(c.customers, 0) AS n_c,
         coalesce(t.buyers, 0) AS x_t, coalesce(c.buyers, 0) AS x_c,
         t.conversion AS p_t, c.conversion AS p_c,
         t.revenue_per_customer AS mean_t, c.revenue_per_customer AS mean_c,
         t.revenue_variance / t.customers AS squared_error_t, c.revenue_variance / c.customers AS squared_error_c
  FROM (SELECT DISTINCT target_date, campaign FROM cohorts) AS plans
  LEFT JOIN arm_statistics AS t ON t.target_date = plans.target_date AND t.campaign = plans.campaign AND t.assignment = 'treatment'
  LEFT JOIN arm_statistics AS c ON c.target_date = plans.target_date AND c.campaign = plans.campaign AND c.assignment = 'control'
),
errors AS (
  SELECT *,
         p_t - p_c AS conversion_uplift,
         nullif(sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c), 0) AS conversion_standard_error,
         -- ln(0) is an error in DuckDB: the log ratio exists only with buyers on both sides.
         CASE WHEN x_t > 0 AND x_c > 0 THEN ln(p_t / p_c) END AS log_ratio,
         CASE WHEN x_t > 0 AND x_c > 0 THEN nullif(sqrt((1 - p_t) / x_t + (1 - p_c) / x_c), 0) END AS log_ratio_standard_error,
         mean_t - mean_c AS revenue_uplift,
         nullif(sqrt(squared_error_t + squared_error_c), 0) AS revenue_standard_error,
         -- Welch–Satterthwaite degrees of freedom.
         (squared_error_t + squared_error_c) ** 2
           / nullif(squared_error_t ** 2 / (n_t - 1) + squared_error_c ** 2 / (n_c - 1), 0) AS revenue_welch_df
  FROM paired
),
-- Φ⁻¹(0.975): the normal quantile of a two-sided 95% interval.
normal_quantile AS (SELECT CAST(1.959963984540054 AS DOUBLE) AS z)
SELECT
  campaign,
  target_date,
  CAST(getvariable('window_days') AS INTEGER) AS window_days,
  CAST(target_date + getvariable('window_days') AS DATE) AS window_end,
  CAST(least(getvariable('window_days'), getvariable('run_date') - target_date) AS INTEGER) AS days_observed,
  getvariable('run_date') >= target_date + getvariable('window_days') AS window_complete,
  CAST(n_t AS BIGINT) AS treatment_customers,
  CAST(n_c AS BIGINT) AS control_customers,
  CAST(x_t AS BIGINT) AS treatment_buyers,
  CAST(x_c AS BIGINT) AS control_buyers,
  p_t AS treatment_conversion,
  p_c AS control_conversion,
  conversion_uplift,
  conversion_uplift - z * conversion_standard_error AS conversion_uplift_low,
  conversion_uplift + z * conversion_standard_error AS conversion_uplift_high,
  p_t / nullif(p_c, 0) - 1 AS conversion_relative_uplift,
  exp(log_ratio - z * log_ratio_standard_error) - 1 AS conversion_relative_uplift_low,
  exp(log_ratio + z * log_ratio_standard_error) - 1 AS conversion_relative_uplift_high,
  mean_t AS treatment_revenue_per_customer,
  mean_c AS control_revenue_per_customer,
  revenue_uplift,
  revenue_uplift - t_975 * revenue_standard_error AS revenue_uplift_low,
  revenue_uplift + t_975 * revenue_standard_error AS revenue_uplift_high,
  revenue_welch_df
-- The t quantile is a JavaScript function (analytics/studentT.ts): called once a row.
FROM (SELECT *, student_t_quantile(0.975, revenue_welch_df) AS t_975 FROM errors) AS errors, normal_quantile
ORDER BY target_date, campaign

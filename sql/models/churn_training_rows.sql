-- churn_training_rows: a sample of one as-of date's churn inputs with their label, churned when the customer made
-- no purchase in the inactive_days after the as-of date.
-- Reads: churn_inputs (as of as_of), later_order_lines (the run date's cut: the label looks past as_of, the
-- features never do). Variables: as_of, inactive_days, sample_size.
-- The sample takes member ids in hash order, so reruns draw the same customers.
WITH sampled AS (
  SELECT * FROM churn_inputs ORDER BY hash(member_id), member_id LIMIT getvariable('sample_size')
),
returned AS (
  SELECT DISTINCT member_id FROM later_order_lines
  WHERE is_purchase AND order_date > getvariable('as_of') AND order_date <= getvariable('as_of') + getvariable('inactive_days')
)
SELECT sampled.*, returned.member_id IS NULL AS churned
FROM sampled LEFT JOIN returned USING (member_id)
ORDER BY member_id

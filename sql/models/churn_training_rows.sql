-- churn_training_rows: one as-of date's churn inputs with their label, churned when the customer made no purchase
-- in the inactive_days after the as-of date.
-- Reads: churn_inputs (as of as_of), later_order_lines (the run date's cut: the label looks past as_of, the
-- features never do). Variables: as_of, inactive_days.
WITH returned AS (
  SELECT DISTINCT member_id FROM later_order_lines
  WHERE is_purchase AND order_date > getvariable('as_of') AND order_date <= getvariable('as_of') + getvariable('inactive_days')
)
SELECT churn_inputs.*, returned.member_id IS NULL AS churned
FROM churn_inputs LEFT JOIN returned USING (member_id)
ORDER BY member_id

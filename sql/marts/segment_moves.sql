-- segment_moves: one row per customer whose named segment changed since the previous published run date,
-- with both segments and RFM cells. Customers scored on only one of the two dates are counted in
-- segment_transitions, not listed here. Reads: rfm, previous_rfm.
-- Variables: run_date, previous_run_date (NULL when nothing was published before: the table is empty).
SELECT
  current.member_id,
  previous.segment AS previous_segment,
  current.segment,
  previous.rfm_cell AS previous_rfm_cell,
  current.rfm_cell,
  getvariable('previous_run_date') AS previous_run_date,
  date_diff('day', getvariable('previous_run_date'), getvariable('run_date')) AS days_since_previous_run
FROM rfm AS current
JOIN previous_rfm AS previous ON previous.member_id = current.member_id
WHERE getvariable('previous_run_date') IS NOT NULL
  AND previous.segment <> current.segment
ORDER BY current.member_id

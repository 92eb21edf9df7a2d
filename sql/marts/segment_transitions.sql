-- segment_transitions: how many customers went from each segment on the previous published run date to each
-- segment now, staying put included. from_segment is NULL for customers scored for the first time,
-- to_segment NULL for customers no longer scored (their revenue fell to zero or below).
-- Reads: rfm, previous_rfm. Variables: run_date, previous_run_date (NULL: the table is empty).
WITH pairs AS (
  SELECT previous.segment AS from_segment, current.segment AS to_segment
  FROM rfm AS current
  FULL OUTER JOIN previous_rfm AS previous ON previous.member_id = current.member_id
  WHERE getvariable('previous_run_date') IS NOT NULL
)
SELECT
  from_segment,
  to_segment,
  count(*) AS customers,
  -- Of the customers in from_segment last time, the share now in to_segment (NULL for first-time customers).
  CASE WHEN from_segment IS NOT NULL THEN count(*) / sum(count(*)) OVER (PARTITION BY from_segment) END AS share_of_from_segment,
  getvariable('previous_run_date') AS previous_run_date,
  date_diff('day', getvariable('previous_run_date'), getvariable('run_date')) AS days_since_previous_run
FROM pairs
GROUP BY from_segment, to_segment
ORDER BY from_segment NULLS FIRST, to_segment NULLS FIRST

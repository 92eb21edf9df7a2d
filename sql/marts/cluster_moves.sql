-- cluster_moves: one row per customer whose cluster changed since the previous published run date. Customers
-- clustered on only one of the two dates are counted in cluster_transitions, not listed here.
-- Reads: clusters, previous_clusters. Variables: run_date, previous_run_date (NULL: the table is empty).
SELECT
  current.member_id,
  previous.cluster AS previous_cluster,
  previous.cluster_name AS previous_cluster_name,
  current.cluster,
  current.cluster_name,
  getvariable('previous_run_date') AS previous_run_date,
  date_diff('day', getvariable('previous_run_date'), getvariable('run_date')) AS days_since_previous_run
FROM clusters AS current
JOIN previous_clusters AS previous ON previous.member_id = current.member_id
WHERE getvariable('previous_run_date') IS NOT NULL
  AND previous.cluster <> current.cluster
ORDER BY current.member_id

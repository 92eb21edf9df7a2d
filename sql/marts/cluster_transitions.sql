-- cluster_transitions: how many customers went from each cluster on the previous published run date to each
-- cluster now, staying put included. Within a model version ids and names are fixed, and a refit carries them
-- over where clusters persist, so a move is a change in the customer, not a renumbering.
-- from_cluster is NULL for customers clustered for the first time, to_cluster NULL for those no longer scored.
-- Reads: clusters, previous_clusters. Variables: run_date, previous_run_date (NULL: the table is empty).
WITH pairs AS (
  SELECT previous.cluster AS from_cluster, previous.cluster_name AS from_cluster_name,
         current.cluster AS to_cluster, current.cluster_name AS to_cluster_name
  FROM clusters AS current
  FULL OUTER JOIN previous_clusters AS previous ON previous.member_id = current.member_id
  WHERE getvariable('previous_run_date') IS NOT NULL
)
SELECT
  from_cluster,
  from_cluster_name,
  to_cluster,
  to_cluster_name,
  count(*) AS customers,
  CASE WHEN from_cluster IS NOT NULL THEN count(*) / sum(count(*)) OVER (PARTITION BY from_cluster) END AS share_of_from_cluster,
  getvariable('previous_run_date') AS previous_run_date,
  date_diff('day', getvariable('previous_run_date'), getvariable('run_date')) AS days_since_previous_run
FROM pairs
GROUP BY from_cluster, from_cluster_name, to_cluster, to_cluster_name
ORDER BY from_cluster NULLS FIRST, to_cluster NULLS FIRST

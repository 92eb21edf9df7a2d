-- cluster_feature_stats: one row per cluster and profiled feature (raw, unscaled values, as seed 000's
-- analyze_clusters and create_cluster_profiles read them): size, share, mean, median, sample standard deviation
-- (pandas' std), the overall mean, and seed 000's level of the cluster mean against the overall mean:
-- ratio > 1.5 Very High, > 1.2 High, > 0.8 Average, > 0.5 Low, else Very Low (NULL when the overall mean is 0).
-- Means and deviations are taken in sorted order, so that they do not depend on how DuckDB split the rows.
-- Reads: clustered (cluster_features with each customer's cluster). The cluster stage names new clusters from
-- these levels; sql/marts/cluster_profiles.sql publishes them with the names.
WITH long AS (
  UNPIVOT (SELECT cluster, recency_days, frequency, monetary, avg_order_value, purchase_consistency,
                  review_count, avg_rating, promo_order_share, ga_sessions_30d FROM clustered)
  ON COLUMNS(* EXCLUDE (cluster)) INTO NAME feature VALUE value
),
overall AS (
  SELECT feature, avg(value ORDER BY value) AS overall_mean FROM long GROUP BY feature
),
sizes AS (
  SELECT cluster, count(*) AS customers, count(*) / sum(count(*)) OVER () AS customer_share
  FROM clustered GROUP BY cluster
),
per_cluster AS (
  SELECT cluster, feature, avg(value ORDER BY value) AS mean, median(value) AS median,
         stddev_samp(value ORDER BY value) AS std
  FROM long GROUP BY cluster, feature
)
SELECT
  per_cluster.cluster,
  sizes.customers,
  sizes.customer_share,
  per_cluster.feature,
  per_cluster.mean,
  per_cluster.median,
  per_cluster.std,
  overall.overall_mean,
  CASE WHEN overall.overall_mean = 0 THEN NULL
       WHEN per_cluster.mean / overall.overall_mean > 1.5 THEN 'Very High'
       WHEN per_cluster.mean / overall.overall_mean > 1.2 THEN 'High'
       WHEN per_cluster.mean / overall.overall_mean > 0.8 THEN 'Average'
       WHEN per_cluster.mean / overall.overall_mean > 0.5 THEN 'Low'
       ELSE 'Very Low' END AS level
FROM per_cluster
JOIN overall USING (feature)
JOIN sizes USING (cluster)
ORDER BY per_cluster.cluster, per_cluster.feature

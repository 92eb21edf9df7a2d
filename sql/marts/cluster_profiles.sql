-- cluster_profiles: one row per cluster and profiled feature, with the cluster's name: its size and share, and
-- the feature's mean, median, standard deviation, overall mean and level (sql/models/cluster_feature_stats.sql).
-- Reads: cluster_feature_stats, cluster_names (the model's id and name of each cluster).
SELECT
  cluster_feature_stats.cluster,
  cluster_names.cluster_name,
  cluster_feature_stats.customers,
  cluster_feature_stats.customer_share,
  cluster_feature_stats.feature,
  cluster_feature_stats.mean,
  cluster_feature_stats.median,
  cluster_feature_stats.std,
  cluster_feature_stats.overall_mean,
  cluster_feature_stats.level
FROM cluster_feature_stats
JOIN cluster_names USING (cluster)
ORDER BY cluster_feature_stats.cluster, cluster_feature_stats.feature

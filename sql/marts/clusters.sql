-- clusters: every scored customer's cluster, its name, and the customer's features standardized as the cluster
-- model saw them: <feature>_scaled = (value - mean) / std with the model's training mean and population standard
-- deviation (std 1 for a feature that was constant), one column per feature of the model, in its order.
-- Reads: clustered (cluster_features with each customer's cluster), cluster_inputs (the raw value of each of the
-- model's features by position, as k-means read them, in the model's order), cluster_names (the model's id and
-- name of each cluster), cluster_scaling (the model's feature, mean and std).
WITH scaling AS (
  SELECT map_from_entries(list((feature, {'mean': mean, 'std': CASE WHEN std = 0 THEN 1 ELSE std END}))) AS of_feature
  FROM cluster_scaling
)
SELECT
  clustered.member_id,
  clustered.cluster,
  cluster_names.cluster_name,
  -- alias() is the name of the feature column that COLUMNS() stands for, so each takes its own mean and std.
  (COLUMNS(cluster_inputs.* EXCLUDE (position)) - of_feature[alias(COLUMNS(cluster_inputs.* EXCLUDE (position)))].mean)
    / of_feature[alias(COLUMNS(cluster_inputs.* EXCLUDE (position)))].std AS '\0_scaled'
FROM clustered
JOIN cluster_inputs USING (position)
JOIN cluster_names USING (cluster)
CROSS JOIN scaling
ORDER BY clustered.member_id

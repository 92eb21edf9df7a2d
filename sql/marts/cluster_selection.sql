-- cluster_selection: one row per k the cluster model tried, with its inertia (within-cluster sum of squares on
-- the fit sample: the elbow curve), its silhouette, whether it was chosen, and the sizes of the fit and
-- silhouette samples. The figures come from the k-means fits (lib/clusterThreads.ts) stored with the model.
-- Reads: cluster_candidates (k, inertia, silhouette). Variables: chosen_k, fit_rows, silhouette_rows.
SELECT
  k,
  inertia,
  silhouette,
  k = getvariable('chosen_k') AS chosen,
  getvariable('fit_rows') AS fit_rows,
  getvariable('silhouette_rows') AS silhouette_rows
FROM cluster_candidates
ORDER BY k

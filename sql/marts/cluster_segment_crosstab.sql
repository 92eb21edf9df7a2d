-- cluster_segment_crosstab: customers of each cluster in each RFM segment, with the share of the cluster and
-- the share of the segment, as seed 002 reads its clusters against the RFM segments. Reads: clusters, rfm.
SELECT
  clusters.cluster,
  clusters.cluster_name,
  rfm.segment,
  count(*) AS customers,
  count(*) / sum(count(*)) OVER (PARTITION BY clusters.cluster) AS share_of_cluster,
  count(*) / sum(count(*)) OVER (PARTITION BY rfm.segment) AS share_of_segment
FROM clusters
JOIN rfm USING (member_id)
GROUP BY clusters.cluster, clusters.cluster_name, rfm.segment
ORDER BY clusters.cluster, customers DESC, rfm.segment

-- recommendations: per clustered customer, the top products they have not bought, as seed 002's cluster-based
-- recommender, boosted by association rules (ranked in sql/models/recommendation_ranks.sql, which says how).
-- Reads: recommendation_ranks, clusters.
-- reason names the rule's antecedents (bought_with:<product>[+<product>]) or popular_in_cluster.
SELECT ranks.member_id, clusters.cluster, clusters.cluster_name, ranks.recommendation_rank, ranks.product_id,
       ranks.score, ranks.cluster_buyer_share, ranks.rule_confidence,
       CASE WHEN ranks.rule_antecedents IS NULL THEN 'popular_in_cluster'
            ELSE 'bought_with:' || array_to_string(ranks.rule_antecedents, '+') END AS reason
FROM recommendation_ranks AS ranks
JOIN clusters USING (member_id)
ORDER BY ranks.member_id, ranks.recommendation_rank

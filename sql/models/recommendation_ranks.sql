-- recommendation_ranks: per clustered customer, the top recommendations_per_customer products they have not
-- bought, ranked (sql/marts/recommendations.sql names and publishes them). A step of its own so that the ranking
-- window is written out before the published table's sort: together, at a million customers, they outgrew a
-- 1.5 GB memory limit. Reads: order_lines, clusters, association_rules. Variables: recommendations_per_customer.
--
-- A product's cluster_buyer_share is the share of the customer's cluster that has bought it. A rule whose
-- antecedents the customer has all bought and whose single consequent they have not, from the customer's
-- cluster or from all customers, adds its confidence (the most confident such rule, ties to the shorter then
-- smaller antecedents): rule_confidence and rule_antecedents, NULL without one. score = cluster_buyer_share +
-- rule_confidence (0 without a rule). Ties go to the smaller product id.
WITH bought AS (
  SELECT DISTINCT member_id, product_id FROM order_lines WHERE is_purchase
),
cluster_sizes AS (
  SELECT cluster, count(*) AS customers FROM clusters GROUP BY cluster
),
popularity AS (
  SELECT clusters.cluster, bought.product_id, count(*) / any_value(cluster_sizes.customers) AS cluster_buyer_share,
         row_number() OVER (PARTITION BY clusters.cluster ORDER BY count(*) DESC, bought.product_id) AS popularity_rank
  FROM bought JOIN clusters USING (member_id) JOIN cluster_sizes USING (cluster)
  GROUP BY clusters.cluster, bought.product_id
),
products_bought AS (
  SELECT member_id, count(*) AS products FROM bought GROUP BY member_id
),
-- Of the cluster's most popular products, a customer who bought k products needs at most the top N + k: an
-- equi-join on the ranks 1 .. N + k costs N + k rows per customer, not the whole catalogue.
popular_candidates AS (
  SELECT ranks.member_id, popularity.product_id
  FROM (SELECT clusters.member_id, clusters.cluster,
               unnest(range(1, getvariable('recommendations_per_customer') + coalesce(products_bought.products, 0) + 1))
                 AS popularity_rank
        FROM clusters LEFT JOIN products_bought USING (member_id)) AS ranks
  JOIN popularity USING (cluster, popularity_rank)
),
rules AS (
  SELECT row_number() OVER (ORDER BY scope, cluster, antecedent_1, antecedent_2, consequent_1) AS rule_id,
         cluster, list_filter([antecedent_1, antecedent_2], item -> item IS NOT NULL) AS antecedents,
         consequent_1 AS product_id, confidence
  FROM association_rules
  WHERE consequent_2 IS NULL
),
-- A rule applies where every antecedent was bought: count the customer's antecedents of each rule.
applicable_rules AS (
  SELECT bought.member_id, rules.rule_id
  FROM (SELECT rule_id, unnest(antecedents) AS antecedent FROM rules) AS rule_items
  JOIN bought ON bought.product_id = rule_items.antecedent
  JOIN rules USING (rule_id)
  GROUP BY bought.member_id, rules.rule_id, len(rules.antecedents)
  HAVING count(*) = len(rules.antecedents)
),
rule_candidates AS (
  SELECT clusters.member_id, rules.product_id, rules.rule_id, rules.confidence,
         row_number() OVER (PARTITION BY clusters.member_id, rules.product_id
                            ORDER BY rules.confidence DESC, len(rules.antecedents), rules.antecedents) AS strength_rank
  FROM applicable_rules
  JOIN rules USING (rule_id)
  JOIN clusters USING (member_id)
  WHERE rules.cluster IS NULL OR rules.cluster = clusters.cluster
),
candidates AS (
  SELECT member_id, product_id FROM popular_candidates
  UNION
  SELECT member_id, product_id FROM rule_candidates
),
-- Ranked on narrow rows (ids and scores); names, the rule's confidence and the reason join the top N only.
scored AS (
  SELECT candidates.member_id, candidates.product_id,
         coalesce(popularity.cluster_buyer_share, 0) AS cluster_buyer_share,
         rule.rule_id,
         coalesce(popularity.cluster_buyer_share, 0) + coalesce(rule.confidence, 0) AS score
  FROM candidates
  ANTI JOIN bought USING (member_id, product_id)
  JOIN clusters USING (member_id)
  LEFT JOIN popularity ON popularity.cluster = clusters.cluster AND popularity.product_id = candidates.product_id
  LEFT JOIN rule_candidates AS rule
    ON rule.member_id = candidates.member_id AND rule.product_id = candidates.product_id AND rule.strength_rank = 1
),
ranked AS (
  SELECT *, row_number() OVER (PARTITION BY member_id ORDER BY score DESC, product_id) AS recommendation_rank
  FROM scored
)
SELECT ranked.member_id, CAST(recommendation_rank AS INTEGER) AS recommendation_rank, ranked.product_id, score,
       cluster_buyer_share, rules.confidence AS rule_confidence, rules.antecedents AS rule_antecedents
FROM ranked
LEFT JOIN rules USING (rule_id)
WHERE recommendation_rank <= getvariable('recommendations_per_customer')

-- association_rules: product rules X → Y over baskets, for all customers and for each cluster.
-- Reads: order_lines, clusters. Variables: min_support, min_confidence.
--
-- A basket is an order's set of distinct products bought (purchase lines). Every basket counts for all customers
-- (scope 'all') and for its customer's cluster (scope 'cluster'); customers without a cluster count in 'all' only.
-- Item sets of 1 to 3 products are counted level by level, each level only from the frequent sets below it (the
-- Apriori property: a set is no more frequent than any of its subsets), so that a large catalogue costs a count
-- of lines per product and a self-join over the few products that pass min_support. Rules split every frequent
-- pair and triple into antecedents and consequents in every way, as mlxtend's association_rules does:
--   support = baskets with X ∪ Y / baskets; confidence = support(X ∪ Y) / support(X); lift = confidence / support(Y)
--   leverage = support(X ∪ Y) − support(X) × support(Y); conviction = (1 − support(Y)) / (1 − confidence),
--   NULL when the confidence is 1 (mlxtend: infinity).
-- A side of a rule has one or two products, in product id order: antecedent_1 and antecedent_2 (NULL for one),
-- consequent_1 and consequent_2; flat columns rather than lists, which not every Parquet reader agrees on.
-- Inside, scope_id is the cluster, and −1 for all customers (clusters are numbered from 0).
WITH order_clusters AS MATERIALIZED (
  SELECT orders.order_id, clusters.cluster
  FROM (SELECT order_id, any_value(member_id) AS member_id FROM order_lines WHERE is_purchase GROUP BY order_id) AS orders
  LEFT JOIN clusters USING (member_id)
),
basket_counts AS (
  SELECT CASE WHEN GROUPING(cluster) = 1 THEN -1 ELSE cluster END AS scope_id, count(*) AS baskets
  FROM order_clusters
  GROUP BY GROUPING SETS ((), (cluster))
  HAVING GROUPING(cluster) = 1 OR cluster IS NOT NULL
),
-- A product is in no more baskets of a scope than it has lines there: one whose lines in a scope fall short of
-- min_support of its baskets cannot be frequent in it. A cheap count of lines per scope and product leaves only
-- the candidates to gather into baskets (list aggregates do not spill, so this also bounds their memory).
scope_product_lines AS (
  SELECT CASE WHEN GROUPING(order_clusters.cluster) = 1 THEN -1 ELSE order_clusters.cluster END AS scope_id,
         order_lines.product_id, count(*) AS lines
  FROM order_lines JOIN order_clusters USING (order_id)
  WHERE order_lines.is_purchase
  GROUP BY GROUPING SETS ((order_lines.product_id), (order_clusters.cluster, order_lines.product_id))
  HAVING GROUPING(order_clusters.cluster) = 1 OR order_clusters.cluster IS NOT NULL
),
candidate_products AS (
  SELECT scope_id, product_id FROM scope_product_lines JOIN basket_counts USING (scope_id)
  WHERE lines >= getvariable('min_support') * baskets
),
-- An order's lines of products that are candidates for all customers or for the order's cluster.
candidate_lines AS (
  SELECT DISTINCT lines.order_id, lines.product_id
  FROM order_lines AS lines
  JOIN order_clusters USING (order_id)
  JOIN candidate_products AS candidates
    ON candidates.product_id = lines.product_id
   AND (candidates.scope_id = -1 OR candidates.scope_id = order_clusters.cluster)
  WHERE lines.is_purchase
),
-- Each order's candidate products, gathered once for every scope. Orders with the same products count alike:
-- item sets are counted within each distinct set of products, weighted by its orders, rather than order by order.
set_weights AS (
  SELECT order_clusters.cluster, orders.items, count(*) AS weight
  FROM (SELECT order_id, list(product_id ORDER BY product_id) AS items FROM candidate_lines GROUP BY order_id) AS orders
  JOIN order_clusters USING (order_id)
  GROUP BY order_clusters.cluster, orders.items
),
scoped_sets AS (
  SELECT CASE WHEN GROUPING(cluster) = 1 THEN -1 ELSE cluster END AS scope_id, items, sum(weight) AS weight
  FROM set_weights
  GROUP BY GROUPING SETS ((items), (cluster, items))
  HAVING GROUPING(cluster) = 1 OR cluster IS NOT NULL
),
set_items AS (
  SELECT scope_id, items, weight, unnest(items) AS product_id FROM scoped_sets
),
frequent_items AS (
  SELECT scope_id, product_id, sum(set_items.weight) AS n
  FROM set_items JOIN basket_counts USING (scope_id)
  GROUP BY scope_id, product_id, baskets
  HAVING sum(set_items.weight) / baskets >= getvariable('min_support')
),
frequent_set_items AS (
  SELECT * FROM set_items SEMI JOIN frequent_items USING (scope_id, product_id)
),
frequent_pairs AS (
  SELECT a.scope_id, a.product_id AS item_1, b.product_id AS item_2, sum(a.weight) AS n
  FROM frequent_set_items AS a
  JOIN frequent_set_items AS b ON b.scope_id = a.scope_id AND b.items = a.items AND b.product_id > a.product_id
  JOIN basket_counts AS counts ON counts.scope_id = a.scope_id
  GROUP BY a.scope_id, a.product_id, b.product_id, counts.baskets
  HAVING sum(a.weight) / counts.baskets >= getvariable('min_support')
),
-- A triple is counted only where all three of its pairs are frequent.
frequent_triples AS (
  SELECT ab.scope_id, ab.item_1, ab.item_2, ac.item_2 AS item_3, sum(sets.weight) AS n
  FROM frequent_pairs AS ab
  JOIN frequent_pairs AS ac ON ac.scope_id = ab.scope_id AND ac.item_1 = ab.item_1 AND ac.item_2 > ab.item_2
  JOIN frequent_pairs AS bc ON bc.scope_id = ab.scope_id AND bc.item_1 = ab.item_2 AND bc.item_2 = ac.item_2
  JOIN frequent_set_items AS sets ON sets.scope_id = ab.scope_id AND sets.product_id = ab.item_1
  JOIN basket_counts AS counts ON counts.scope_id = ab.scope_id
  WHERE list_contains(sets.items, ab.item_2) AND list_contains(sets.items, ac.item_2)
  GROUP BY ab.scope_id, ab.item_1, ab.item_2, ac.item_2, counts.baskets
  HAVING sum(sets.weight) / counts.baskets >= getvariable('min_support')
),
item_sets AS (
  SELECT scope_id, [product_id] AS items, n FROM frequent_items
  UNION ALL
  SELECT scope_id, [item_1, item_2], n FROM frequent_pairs
  UNION ALL
  SELECT scope_id, [item_1, item_2, item_3], n FROM frequent_triples
),
-- Bit i of a split puts the set's i-th item in the antecedents; 1 .. 2^k − 2 are the proper, non-empty splits.
splits AS (
  SELECT scope_id, n,
         list_filter(items, (item, i) -> (split >> (i - 1)) & 1 = 1) AS antecedents,
         list_filter(items, (item, i) -> (split >> (i - 1)) & 1 = 0) AS consequents
  FROM (SELECT *, unnest(range(1, (1 << len(items)) - 1)) AS split FROM item_sets WHERE len(items) > 1)
),
rules AS (
  SELECT splits.scope_id, splits.antecedents, splits.consequents, counts.baskets, splits.n AS basket_count,
         antecedent.n / counts.baskets AS antecedent_support,
         consequent.n / counts.baskets AS consequent_support,
         splits.n / counts.baskets AS support,
         splits.n / antecedent.n AS confidence
  FROM splits
  JOIN item_sets AS antecedent ON antecedent.scope_id = splits.scope_id AND antecedent.items = splits.antecedents
  JOIN item_sets AS consequent ON consequent.scope_id = splits.scope_id AND consequent.items = splits.consequents
  JOIN basket_counts AS counts ON counts.scope_id = splits.scope_id
  WHERE splits.n / antecedent.n >= getvariable('min_confidence')
),
cluster_names AS (
  SELECT DISTINCT cluster, cluster_name FROM clusters
)
SELECT
  CASE WHEN rules.scope_id = -1 THEN 'all' ELSE 'cluster' END AS scope,
  CAST(NULLIF(rules.scope_id, -1) AS INTEGER) AS cluster,
  cluster_names.cluster_name,
  rules.antecedents[1] AS antecedent_1,
  rules.antecedents[2] AS antecedent_2,
  rules.consequents[1] AS consequent_1,
  rules.consequents[2] AS consequent_2,
  CAST(rules.baskets AS BIGINT) AS baskets,
  CAST(rules.basket_count AS BIGINT) AS basket_count,
  rules.antecedent_support,
  rules.consequent_support,
  rules.support,
  rules.confidence,
  rules.confidence / rules.consequent_support AS lift,
  rules.support - rules.antecedent_support * rules.consequent_support AS leverage,
  CASE WHEN rules.confidence < 1 THEN (1 - rules.consequent_support) / (1 - rules.confidence) END AS conviction
FROM rules
LEFT JOIN cluster_names ON cluster_names.cluster = rules.scope_id
ORDER BY rules.scope_id, lift DESC, rules.antecedents, rules.consequents

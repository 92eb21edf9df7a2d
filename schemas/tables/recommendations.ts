import { column, NON_NEGATIVE, SHARE, type TableContract } from '../tableContract';

export const recommendations: TableContract = {
  table: 'recommendations',
  grain: 'clustered customer × recommended product',
  key: ['member_id', 'recommendation_rank'],
  columns: [
    column('member_id', 'VARCHAR', 'Member identifier.'),
    column('cluster', 'INTEGER', 'The customer\'s cluster.', NON_NEGATIVE),
    column('cluster_name', 'VARCHAR', 'Its name.'),
    column('recommendation_rank', 'INTEGER', '1 = best, up to baskets.recommendationsPerCustomer.', { min: 1 }),
    column('product_id', 'VARCHAR', 'A product the customer has not bought.'),
    column('score', 'DOUBLE', 'cluster_buyer_share + rule_confidence (0 without a rule).', NON_NEGATIVE),
    column('cluster_buyer_share', 'DOUBLE', 'Share of the customer\'s cluster that bought the product.', SHARE),
    column('rule_confidence', 'DOUBLE', 'Confidence of the most confident rule leading to the product; NULL without one.', { nullable: true, above: 0, max: 1 }),
    column('reason', 'VARCHAR', 'bought_with:<product>[+<product>] (the rule\'s antecedents) or popular_in_cluster.'),
  ],
  rowChecks: [
    {
      column: 'score',
      description: 'score = cluster_buyer_share + rule_confidence',
      holds: 'abs(score - (cluster_buyer_share + coalesce(rule_confidence, 0))) < 1e-9',
    },
    {
      column: 'reason',
      description: 'reason is popular_in_cluster exactly without a rule',
      holds: "(reason = 'popular_in_cluster') = (rule_confidence IS NULL) AND (reason = 'popular_in_cluster' OR reason LIKE 'bought_with:%')",
    },
  ],
  aggregateChecks: [
    { column: 'product_id', description: 'a product once per customer', holds: 'count(*) = 1', groupBy: ['member_id', 'product_id'] },
    { column: 'recommendation_rank', description: 'ranks run 1 to n per customer', holds: 'max(recommendation_rank) = count(*)', groupBy: ['member_id'] },
  ],
  relationships: [{ columns: ['member_id', 'cluster', 'cluster_name'], table: 'clusters' }],
};

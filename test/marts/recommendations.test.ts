import { Warehouse } from '../../lib/duckdb';
import { sqlFile } from '../../lib/sqlFile';

/**
 * sql/models/recommendation_ranks.sql and sql/marts/recommendations.sql on hand-made purchases, clusters and
 * rules. Cluster 0 is M1, M2 and M5; cluster 1 is M3; M4 bought but has no cluster (not scored) and gets nothing.
 */
const ORDER_LINES = `
  SELECT * FROM (VALUES
    ('M1', 'A', true), ('M1', 'B', true),
    ('M2', 'A', true), ('M2', 'B', true), ('M2', 'C', true),
    ('M3', 'A', true), ('M3', 'B', true), ('M3', 'C', true),
    ('M4', 'A', true),
    ('M5', 'C', true), ('M5', 'A', false)  -- a cancelled A is not bought: A can be recommended to M5
  ) AS t(member_id, product_id, is_purchase)`;

const CLUSTERS = `
  SELECT * FROM (VALUES ('M1', 0, 'big'), ('M2', 0, 'big'), ('M5', 0, 'big'), ('M3', 1, 'small'))
  AS t(member_id, cluster, cluster_name)`;

const RULES = `
  SELECT scope, CAST(cluster AS INTEGER) AS cluster, antecedent_1, antecedent_2, consequent_1, consequent_2, confidence
  FROM (VALUES
    ('cluster', 0, 'B', NULL, 'C', NULL, 0.9),
    ('all', NULL, 'A', NULL, 'C', NULL, 0.75), -- applies to M1 too, but B → C is more confident
    ('cluster', 1, 'A', NULL, 'D', NULL, 1.0), -- cluster 1's rule: for M3 only
    ('all', NULL, 'A', 'B', 'E', NULL, 0.7),   -- needs both A and B
    ('all', NULL, 'A', NULL, 'C', 'E', 0.8)    -- two consequents: recommends nothing
  ) AS t(scope, cluster, antecedent_1, antecedent_2, consequent_1, consequent_2, confidence)`;

/** The recommendations for N per customer: `columns` of sql/marts/recommendations.sql's rows, from their ranks. */
async function recommend(perCustomer: number, columns: string) {
  return Warehouse.using({ timeZone: 'UTC' }, async (warehouse) => {
    await warehouse.run(`CREATE VIEW order_lines AS ${ORDER_LINES}`);
    await warehouse.run(`CREATE VIEW clusters AS ${CLUSTERS}`);
    await warehouse.run(`CREATE VIEW association_rules AS ${RULES}`);
    await warehouse.setVariable('recommendations_per_customer', perCustomer, 'INTEGER');
    await warehouse.run(`CREATE TABLE recommendation_ranks AS ${sqlFile('models/recommendation_ranks.sql')}`);
    return warehouse.rows(`SELECT ${columns} FROM (${sqlFile('marts/recommendations.sql')})`);
  });
}

test('the cluster\'s popular products the customer lacks, boosted by the rules whose antecedents they bought', async () => {
  const rows = await recommend(5, 'member_id, recommendation_rank, product_id, round(score, 12) AS score, reason');
  expect(rows).toEqual([
    // Cluster 0 (3 customers) bought A 2/3 (M1, M2), B 2/3, C 2/3 (M2, M5). M1 lacks C: 2/3 + B → C's 0.9.
    // E is bought by nobody in the cluster: A + B → E's 0.7 alone.
    { member_id: 'M1', recommendation_rank: 1, product_id: 'C', score: Number((2 / 3 + 0.9).toFixed(12)), reason: 'bought_with:B' },
    { member_id: 'M1', recommendation_rank: 2, product_id: 'E', score: 0.7, reason: 'bought_with:A+B' },
    { member_id: 'M2', recommendation_rank: 1, product_id: 'E', score: 0.7, reason: 'bought_with:A+B' },
    // M3 bought all of cluster 1's products; cluster 1's A → D and the all-customer A + B → E remain.
    { member_id: 'M3', recommendation_rank: 1, product_id: 'D', score: 1, reason: 'bought_with:A' },
    { member_id: 'M3', recommendation_rank: 2, product_id: 'E', score: 0.7, reason: 'bought_with:A+B' },
    // M5 bought C only: A and B, 2/3 each, no rule applies; the tie goes to the smaller product id.
    { member_id: 'M5', recommendation_rank: 1, product_id: 'A', score: Number((2 / 3).toFixed(12)), reason: 'popular_in_cluster' },
    { member_id: 'M5', recommendation_rank: 2, product_id: 'B', score: Number((2 / 3).toFixed(12)), reason: 'popular_in_cluster' },
  ]);
});

test('at most N per customer, by score and then product id', async () => {
  const rows = await recommend(1, 'member_id, product_id');
  expect(rows).toEqual([
    { member_id: 'M1', product_id: 'C' },
    { member_id: 'M2', product_id: 'E' },
    { member_id: 'M3', product_id: 'D' },
    { member_id: 'M5', product_id: 'A' },
  ]);
});

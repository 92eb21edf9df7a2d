import { Warehouse } from '../../lib/duckdb';
import { sqlFile } from '../../lib/sqlFile';

/**
 * sql/marts/clusters.sql on a hand-made model of three features: one `<feature>_scaled` column per feature, in
 * the order of cluster_inputs, each (value - training mean) / training std computed in doubles, as
 * analytics/clusterModel.ts standardizes what k-means reads.
 */
test("each of the model's features standardized with its training mean and std, rows by member_id", async () => {
  const rows = await Warehouse.using({ timeZone: 'UTC' }, async (warehouse) => {
    await warehouse.createTable('clustered', { position: Int32Array.of(1, 2), member_id: ['M2', 'M1'], cluster: Int32Array.of(0, 1) });
    await warehouse.createTable('cluster_inputs', {
      position: Int32Array.of(1, 2),
      review_count: Float64Array.of(1, 4),
      avg_rating: Float64Array.of(4.5, 3),
      promo_order_share: Float64Array.of(0, 0),
    });
    await warehouse.createTable('cluster_names', { cluster: Int32Array.of(0, 1), cluster_name: ['VIP Customers', 'Inactive Customers'] });
    await warehouse.createTable('cluster_scaling', {
      feature: ['avg_rating', 'promo_order_share', 'review_count'],
      mean: Float64Array.of(3.75, 0, 1.275),
      std: Float64Array.of(0.75, 0, 1.3859305795849133),
    });
    return warehouse.rows(sqlFile('marts/clusters.sql'));
  });
  expect(rows.map((row) => Object.keys(row))).toEqual(
    Array(2).fill(['member_id', 'cluster', 'cluster_name', 'review_count_scaled', 'avg_rating_scaled', 'promo_order_share_scaled']),
  );
  expect(rows).toEqual([
    // (3 - 3.75) / 0.75 = -1; promo_order_share was constant in training (std 0), so it is divided by 1.
    { member_id: 'M1', cluster: 1, cluster_name: 'Inactive Customers', review_count_scaled: (4 - 1.275) / 1.3859305795849133, avg_rating_scaled: -1, promo_order_share_scaled: 0 },
    // 1 - 1.275 in doubles, to the last bit: the mean pasted as a SQL literal (a DECIMAL) would give the exact
    // -0.275 and another last digit than k-means saw.
    { member_id: 'M2', cluster: 0, cluster_name: 'VIP Customers', review_count_scaled: (1 - 1.275) / 1.3859305795849133, avg_rating_scaled: 1, promo_order_share_scaled: 0 },
  ]);
});

import { column, sumsToOne, type TableContract } from '../tableContract';

export const clusterProfiles: TableContract = {
  table: 'cluster_profiles',
  grain: 'cluster × feature (raw, unscaled values; a feature of a source not loaded has no rows)',
  key: ['cluster', 'feature'],
  columns: [
    column('cluster', 'INTEGER', 'Cluster id.', { min: 0 }),
    column('cluster_name', 'VARCHAR', 'Cluster name.'),
    column('customers', 'BIGINT', 'Customers in the cluster.', { min: 1 }),
    column('customer_share', 'DOUBLE', 'customers / all clustered customers.', { above: 0, max: 1 }),
    column('feature', 'VARCHAR', 'The profiled feature.', {
      values: [
        'recency_days',
        'frequency',
        'monetary',
        'avg_order_value',
        'purchase_consistency',
        'review_count',
        'avg_rating',
        'promo_order_share',
        'ga_sessions_30d',
      ],
    }),
    column('mean', 'DOUBLE', 'Mean of the feature in the cluster.'),
    column('median', 'DOUBLE', 'Median of the feature in the cluster.'),
    column('std', 'DOUBLE', 'Sample standard deviation in the cluster; NULL for a cluster of one customer.', { nullable: true, min: 0 }),
    column('overall_mean', 'DOUBLE', 'Mean of the feature over all clustered customers.'),
    column('level', 'VARCHAR', 'Seed 000\'s level of mean / overall_mean: > 1.5, > 1.2, > 0.8, > 0.5, else; NULL when overall_mean is 0.', {
      nullable: true,
      values: ['Very High', 'High', 'Average', 'Low', 'Very Low'],
    }),
  ],
  aggregateChecks: [
    { column: 'customer_share', description: 'customer_share sums to 1 for each feature', holds: sumsToOne('customer_share'), groupBy: ['feature'] },
  ],
  relationships: [{ columns: ['cluster', 'cluster_name'], table: 'clusters', complete: true }],
};

import { column, sumsToOne, type TableContract } from '../tableContract';

export const clusterSegmentCrosstab: TableContract = {
  table: 'cluster_segment_crosstab',
  grain: 'cluster × RFM segment with customers',
  key: ['cluster', 'segment'],
  columns: [
    column('cluster', 'INTEGER', 'Cluster id.', { min: 0 }),
    column('cluster_name', 'VARCHAR', 'Cluster name.'),
    column('segment', 'VARCHAR', 'RFM segment.'),
    column('customers', 'BIGINT', 'Customers of the cluster in the segment.', { min: 1 }),
    column('share_of_cluster', 'DOUBLE', 'customers / the cluster\'s customers.', { above: 0, max: 1 }),
    column('share_of_segment', 'DOUBLE', 'customers / the segment\'s customers.', { above: 0, max: 1 }),
  ],
  aggregateChecks: [
    { column: 'share_of_cluster', description: 'share_of_cluster sums to 1 in each cluster', holds: sumsToOne('share_of_cluster'), groupBy: ['cluster'] },
    { column: 'share_of_segment', description: 'share_of_segment sums to 1 in each segment', holds: sumsToOne('share_of_segment'), groupBy: ['segment'] },
  ],
  relationships: [
    { columns: ['cluster', 'cluster_name'], table: 'clusters', complete: true },
    { columns: ['segment'], table: 'rfm', complete: true },
  ],
};

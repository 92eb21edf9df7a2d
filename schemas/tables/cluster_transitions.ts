import { column, NON_NEGATIVE, sumsToOne, type TableContract } from '../tableContract';
import { PREVIOUS_RUN_CHECK, PREVIOUS_RUN_COLUMNS } from './transitions';

export const clusterTransitions: TableContract = {
  table: 'cluster_transitions',
  grain: 'cluster on the previous published date × cluster now, staying put included; empty on the first date',
  key: ['from_cluster', 'to_cluster'],
  columns: [
    column('from_cluster', 'INTEGER', 'Cluster on previous_run_date; NULL for customers clustered for the first time.', { nullable: true, ...NON_NEGATIVE }),
    column('from_cluster_name', 'VARCHAR', 'Its name then; NULL with from_cluster.', { nullable: true }),
    column('to_cluster', 'INTEGER', 'Cluster now; NULL for customers no longer scored.', { nullable: true, ...NON_NEGATIVE }),
    column('to_cluster_name', 'VARCHAR', 'Its name now; NULL with to_cluster.', { nullable: true }),
    column('customers', 'BIGINT', 'Customers who made this move.', { min: 1 }),
    column('share_of_from_cluster', 'DOUBLE', 'customers / the customers of from_cluster; NULL without one.', { nullable: true, above: 0, max: 1 }),
    ...PREVIOUS_RUN_COLUMNS,
  ],
  rowChecks: [
    { column: 'to_cluster', description: 'a move has a from or a to cluster', holds: 'from_cluster IS NOT NULL OR to_cluster IS NOT NULL' },
    {
      column: 'share_of_from_cluster',
      description: 'share_of_from_cluster is NULL exactly without from_cluster',
      holds: '(share_of_from_cluster IS NULL) = (from_cluster IS NULL)',
    },
    PREVIOUS_RUN_CHECK,
  ],
  aggregateChecks: [
    {
      column: 'share_of_from_cluster',
      description: 'share_of_from_cluster sums to 1 for each from_cluster',
      holds: `from_cluster IS NULL OR ${sumsToOne('share_of_from_cluster')}`,
      groupBy: ['from_cluster'],
    },
  ],
  relationships: [{ columns: ['to_cluster', 'to_cluster_name'], table: 'clusters', references: ['cluster', 'cluster_name'] }],
};

import { column, NON_NEGATIVE, type TableContract } from '../tableContract';
import { PREVIOUS_RUN_CHECK, PREVIOUS_RUN_COLUMNS } from './transitions';

export const clusterMoves: TableContract = {
  table: 'cluster_moves',
  grain: 'customer clustered on both dates whose cluster changed; empty on the first date',
  key: ['member_id'],
  columns: [
    column('member_id', 'VARCHAR', 'Member identifier.'),
    column('previous_cluster', 'INTEGER', 'Cluster on previous_run_date.', NON_NEGATIVE),
    column('previous_cluster_name', 'VARCHAR', 'Its name then.'),
    column('cluster', 'INTEGER', 'Cluster now.', NON_NEGATIVE),
    column('cluster_name', 'VARCHAR', 'Its name now.'),
    ...PREVIOUS_RUN_COLUMNS,
  ],
  rowChecks: [{ column: 'cluster', description: 'the cluster changed', holds: 'cluster <> previous_cluster' }, PREVIOUS_RUN_CHECK],
  relationships: [{ columns: ['member_id', 'cluster', 'cluster_name'], table: 'clusters' }],
};

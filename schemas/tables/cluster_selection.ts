import { column, NON_NEGATIVE, type TableContract } from '../tableContract';

export const clusterSelection: TableContract = {
  table: 'cluster_selection',
  grain: 'candidate k of the model the run assigned with',
  key: ['k'],
  columns: [
    column('k', 'INTEGER', 'Number of clusters fitted.', { min: 1, max: 10 }),
    column('inertia', 'DOUBLE', 'Within-cluster sum of squares of the fit on its sample (the elbow curve).', NON_NEGATIVE),
    column('silhouette', 'DOUBLE', 'Mean silhouette on the silhouette sample.', { min: -1, max: 1 }),
    column('chosen', 'BOOLEAN', 'Whether this k is the model\'s: the best silhouette, or clustering.k.'),
    column('fit_rows', 'INTEGER', 'Customers the fits ran on (a seeded sample of at most clustering.fitSampleSize).', { min: 1 }),
    column('silhouette_rows', 'INTEGER', 'Customers the silhouettes ran on (at most clustering.silhouetteSampleSize).', { min: 1 }),
  ],
  aggregateChecks: [
    { column: 'chosen', description: 'exactly one k is chosen', holds: 'count(*) = 0 OR count(*) FILTER (WHERE chosen) = 1' },
  ],
};

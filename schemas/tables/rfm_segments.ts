import { column, NON_NEGATIVE, sumsToOne, type TableContract } from '../tableContract';

export const rfmSegments: TableContract = {
  table: 'rfm_segments',
  grain: 'segment with customers',
  key: ['segment'],
  columns: [
    column('segment', 'VARCHAR', 'Named segment.'),
    column('customers', 'BIGINT', 'Scored customers in the segment.', { min: 1 }),
    column('customer_share', 'DOUBLE', 'customers / all scored customers.', { above: 0, max: 1 }),
    column('mean_recency_days', 'DOUBLE', 'Mean recency_days.', NON_NEGATIVE),
    column('mean_frequency', 'DOUBLE', 'Mean frequency.', { min: 1 }),
    column('mean_monetary', 'DOUBLE', 'Mean monetary.', { above: 0 }),
    column('revenue', 'DOUBLE', 'Sum of monetary.', { above: 0 }),
    column('revenue_share', 'DOUBLE', 'revenue / the revenue of all scored customers.', { above: 0, max: 1 }),
  ],
  aggregateChecks: [
    { column: 'customer_share', description: 'customer_share sums to 1', holds: sumsToOne('customer_share') },
    { column: 'revenue_share', description: 'revenue_share sums to 1', holds: sumsToOne('revenue_share') },
  ],
  relationships: [{ columns: ['segment'], table: 'rfm', complete: true }],
};

import { column, sumsToOne, type TableContract } from '../tableContract';
import { PREVIOUS_RUN_CHECK, PREVIOUS_RUN_COLUMNS } from './transitions';

export const segmentTransitions: TableContract = {
  table: 'segment_transitions',
  grain: 'segment on the previous published date × segment now, staying put included; empty on the first date',
  key: ['from_segment', 'to_segment'],
  columns: [
    column('from_segment', 'VARCHAR', 'Segment on previous_run_date; NULL for customers scored for the first time.', { nullable: true }),
    column('to_segment', 'VARCHAR', 'Segment now; NULL for customers no longer scored.', { nullable: true }),
    column('customers', 'BIGINT', 'Customers who made this move.', { min: 1 }),
    column('share_of_from_segment', 'DOUBLE', 'customers / the customers of from_segment; NULL without one.', { nullable: true, above: 0, max: 1 }),
    ...PREVIOUS_RUN_COLUMNS,
  ],
  rowChecks: [
    { column: 'to_segment', description: 'a move has a from or a to segment', holds: 'from_segment IS NOT NULL OR to_segment IS NOT NULL' },
    {
      column: 'share_of_from_segment',
      description: 'share_of_from_segment is NULL exactly without from_segment',
      holds: '(share_of_from_segment IS NULL) = (from_segment IS NULL)',
    },
    PREVIOUS_RUN_CHECK,
  ],
  aggregateChecks: [
    {
      column: 'share_of_from_segment',
      description: 'share_of_from_segment sums to 1 for each from_segment',
      holds: `from_segment IS NULL OR ${sumsToOne('share_of_from_segment')}`,
      groupBy: ['from_segment'],
    },
  ],
  relationships: [{ columns: ['to_segment'], table: 'rfm', references: ['segment'] }],
};

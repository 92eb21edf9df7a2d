import { column, RUN_DATE, type ColumnContract, type RowCheck } from '../tableContract';

/** The columns every comparison with the previous published snapshot ends with. */
export const PREVIOUS_RUN_COLUMNS: ColumnContract[] = [
  column('previous_run_date', 'DATE', 'The latest run date published before this one, compared with.', { below: 'run date' }),
  column('days_since_previous_run', 'BIGINT', 'Run date − previous_run_date.', { min: 1 }),
];

export const PREVIOUS_RUN_CHECK: RowCheck = {
  column: 'days_since_previous_run',
  description: 'days_since_previous_run = run date − previous_run_date',
  holds: `days_since_previous_run = ${RUN_DATE} - previous_run_date`,
};

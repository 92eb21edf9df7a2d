import { column, type TableContract } from '../tableContract';
import { PREVIOUS_RUN_CHECK, PREVIOUS_RUN_COLUMNS } from './transitions';

export const segmentMoves: TableContract = {
  table: 'segment_moves',
  grain: 'customer scored on both dates whose segment changed; empty on the first date',
  key: ['member_id'],
  columns: [
    column('member_id', 'VARCHAR', 'Member identifier.'),
    column('previous_segment', 'VARCHAR', 'Segment on previous_run_date.'),
    column('segment', 'VARCHAR', 'Segment now.'),
    column('previous_rfm_cell', 'VARCHAR', 'RFM cell on previous_run_date.'),
    column('rfm_cell', 'VARCHAR', 'RFM cell now.'),
    ...PREVIOUS_RUN_COLUMNS,
  ],
  rowChecks: [{ column: 'segment', description: 'the segment changed', holds: 'segment <> previous_segment' }, PREVIOUS_RUN_CHECK],
  relationships: [{ columns: ['member_id', 'segment', 'rfm_cell'], table: 'rfm' }],
};

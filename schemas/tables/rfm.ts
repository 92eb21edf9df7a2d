import { column, NON_NEGATIVE, type TableContract } from '../tableContract';

const SCORE = { min: 1, max: 5 };

export const rfm: TableContract = {
  table: 'rfm',
  grain: 'scored customer: a purchase and positive revenue',
  key: ['member_id'],
  columns: [
    column('member_id', 'VARCHAR', 'Member identifier.'),
    column('recency_days', 'BIGINT', 'Days from the business date of the last purchase to the run date (0 = bought on it).', NON_NEGATIVE),
    column('frequency', 'BIGINT', 'Purchase orders (rfm.frequency "lines": purchase lines).', { min: 1 }),
    column('monetary', 'DOUBLE', 'Revenue by revenue.definition.', { above: 0 }),
    column('r_score', 'INTEGER', 'Recency quintile score, 5 = most recent (ties ranked by member_id).', SCORE),
    column('f_score', 'INTEGER', 'Frequency quintile score, 5 = most frequent.', SCORE),
    column('m_score', 'INTEGER', 'Monetary quintile score, 5 = most revenue.', SCORE),
    column('rfm_cell', 'VARCHAR', 'The three scores as digits, R F M: 545.'),
    column('rfm_score', 'INTEGER', 'r_score + f_score + m_score.', { min: 3, max: 15 }),
    column('rfm_class', 'VARCHAR', 'Tercile of rfm_score (seed 001).', { values: ['silver', 'gold', 'platinum'] }),
    column('segment', 'VARCHAR', 'Named segment: the first rule of rfm.segments whose R, F and M ranges hold.'),
  ],
  rowChecks: [
    { column: 'rfm_score', description: 'rfm_score = r_score + f_score + m_score', holds: 'rfm_score = r_score + f_score + m_score' },
    { column: 'rfm_cell', description: 'rfm_cell is the three scores', holds: "rfm_cell = concat(r_score, f_score, m_score)" },
  ],
  relationships: [{ columns: ['member_id'], table: 'customers', where: 'orders_count > 0 AND revenue > 0', complete: true }],
};

import { column, NON_NEGATIVE, RUN_DATE, type TableContract } from '../tableContract';

export const clv: TableContract = {
  table: 'clv',
  grain: 'scored customer (a row of rfm)',
  key: ['member_id'],
  columns: [
    column('member_id', 'VARCHAR', 'Member identifier.'),
    column('revenue', 'DOUBLE', 'Revenue to date by revenue.definition: the historic lifetime value.', { above: 0 }),
    column('orders', 'BIGINT', 'Purchase orders.', { min: 1 }),
    column('avg_order_value', 'DOUBLE', 'revenue / orders.', { above: 0 }),
    column('first_purchase_date', 'DATE', 'Business date of the first purchase.', { max: 'run date' }),
    column('last_purchase_date', 'DATE', 'Business date of the last purchase.', { max: 'run date' }),
    column('lifespan_days', 'BIGINT', 'last_purchase_date − first_purchase_date + 1 (both ends counted).', { min: 1 }),
    column('avg_days_between_purchases', 'DOUBLE', '(last − first purchase date) / (purchase days − 1); NULL for one purchase day.', {
      nullable: true,
      above: 0,
    }),
    column('model_frequency', 'INTEGER', 'x: repeat purchase days (distinct purchase days − 1).', NON_NEGATIVE),
    column('model_recency_days', 'INTEGER', 'tₓ: days from the first to the last purchase day.', NON_NEGATIVE),
    column('model_t_days', 'INTEGER', 'T: days from the first purchase day to the end of the run date.', { min: 1 }),
    column('model_monetary', 'DOUBLE', 'm: mean revenue of the repeat purchase days; NULL without a repeat purchase.', { nullable: true }),
    column('expected_purchases', 'DOUBLE', 'Purchases expected over clv.horizonDays.', NON_NEGATIVE),
    column('p_alive', 'DOUBLE', 'P(alive) from BG/NBD; NULL with the heuristic.', { nullable: true, min: 0, max: 1 }),
    column('expected_spend', 'DOUBLE', 'Expected spend per purchase (Gamma-Gamma, or the average order with the heuristic).', { above: 0 }),
    column('predicted_clv', 'DOUBLE', 'expected_purchases × expected_spend × the discount factor.', NON_NEGATIVE),
    column('total_clv', 'DOUBLE', 'revenue + predicted_clv.', { above: 0 }),
    column('expected_next_order_date', 'DATE', 'Run date + the expected wait in days; NULL below clv.nextOrderMinPAlive or without a gap.', {
      nullable: true,
      above: 'run date',
    }),
    column('clv_tier', 'VARCHAR', 'Quartile of total_clv (seed 000).', { values: ['Low Value', 'Medium Value', 'High Value', 'Top Value'] }),
    column('clv_method', 'VARCHAR', 'How the predictions were made: the fitted models, or seed 000\'s heuristic.', {
      values: ['bg_nbd_gamma_gamma', 'heuristic'],
    }),
  ],
  rowChecks: [
    { column: 'last_purchase_date', description: 'first_purchase_date ≤ last_purchase_date', holds: 'first_purchase_date <= last_purchase_date' },
    { column: 'model_recency_days', description: 'model_recency_days < model_t_days', holds: 'model_recency_days < model_t_days' },
    {
      column: 'model_t_days',
      description: 'model_t_days = run date − first_purchase_date + 1',
      holds: `model_t_days = ${RUN_DATE} - first_purchase_date + 1`,
    },
    {
      column: 'total_clv',
      description: 'total_clv = revenue + predicted_clv',
      holds: 'abs(total_clv - (revenue + predicted_clv)) < 1e-6 * (1 + total_clv)',
    },
    { column: 'p_alive', description: 'p_alive is NULL exactly with the heuristic', holds: "(p_alive IS NULL) = (clv_method = 'heuristic')" },
  ],
  aggregateChecks: [{ column: 'clv_method', description: 'one clv_method for all', holds: 'count(DISTINCT clv_method) <= 1' }],
  relationships: [{ columns: ['member_id'], table: 'rfm', complete: true }],
};

import { column, NON_NEGATIVE, SHARE, type TableContract } from '../tableContract';

const intervalLow = (of: string, interval: string) =>
  column(`${of}_low`, 'DOUBLE', `Low end of its 95% ${interval}; NULL where it cannot be estimated.`, { nullable: true });
const intervalHigh = (of: string) => column(`${of}_high`, 'DOUBLE', 'High end of that interval; NULL with the low end.', { nullable: true });

export const campaignResults: TableContract = {
  table: 'campaign_results',
  grain: 'campaign × earlier target date within campaignPolicy.resultLookbackDays, treatment against control (_t, _c)',
  key: ['campaign', 'target_date'],
  columns: [
    column('campaign', 'VARCHAR', 'The campaign of the targets measured.'),
    column('target_date', 'DATE', 'The earlier run date whose campaign_targets listed them (the plan of record).', { below: 'run date' }),
    column('window_days', 'INTEGER', 'campaignPolicy.resultWindowDays.', { min: 1 }),
    column('window_end', 'DATE', 'target_date + window_days: the window\'s last day.'),
    column('days_observed', 'INTEGER', 'Window days up to the run date: window_days, or fewer while the window is open.', { min: 1 }),
    column('window_complete', 'BOOLEAN', 'The run date has reached window_end; false: an interim reading.'),
    column('treatment_customers', 'BIGINT', 'Customers listed in treatment (n_t); 0 when the group is empty.', NON_NEGATIVE),
    column('control_customers', 'BIGINT', 'Customers listed in control (n_c); 0 when the group is empty.', NON_NEGATIVE),
    column('treatment_buyers', 'BIGINT', 'Of the treatment, customers with a purchase in the window (x_t).', NON_NEGATIVE),
    column('control_buyers', 'BIGINT', 'Of the control, customers with a purchase in the window (x_c).', NON_NEGATIVE),
    column('treatment_conversion', 'DOUBLE', 'x_t / n_t (p_t); NULL for an empty group.', { nullable: true, ...SHARE }),
    column('control_conversion', 'DOUBLE', 'x_c / n_c (p_c); NULL for an empty group.', { nullable: true, ...SHARE }),
    column('conversion_uplift', 'DOUBLE', 'p_t − p_c, a difference of shares (0.02 = 2 points); NULL when a group is empty.', {
      nullable: true,
      min: -1,
      max: 1,
    }),
    intervalLow('conversion_uplift', 'Wald interval (unpooled)'),
    intervalHigh('conversion_uplift'),
    column('conversion_relative_uplift', 'DOUBLE', 'p_t / p_c − 1; NULL when p_c is 0 or NULL.', { nullable: true, min: -1 }),
    intervalLow('conversion_relative_uplift', 'log-ratio interval'),
    intervalHigh('conversion_relative_uplift'),
    column('treatment_revenue_per_customer', 'DOUBLE', 'The window\'s revenue over all treatment customers, non-buyers as 0; NULL for an empty group.', {
      nullable: true,
    }),
    column('control_revenue_per_customer', 'DOUBLE', 'The same for control; NULL for an empty group.', { nullable: true }),
    column('revenue_uplift', 'DOUBLE', 'Their difference, treatment − control; NULL when a group is empty.', { nullable: true }),
    intervalLow('revenue_uplift', 'Welch t interval'),
    intervalHigh('revenue_uplift'),
    column('revenue_welch_df', 'DOUBLE', 'The Welch–Satterthwaite degrees of freedom of that interval; NULL where it cannot be estimated.', {
      nullable: true,
      above: 0,
    }),
  ],
  rowChecks: [
    { column: 'window_end', description: 'window_end = target_date + window_days', holds: 'window_end = target_date + window_days' },
    {
      column: 'window_complete',
      description: 'a window is complete when every one of its days is observed',
      holds: 'days_observed <= window_days AND window_complete = (days_observed = window_days)',
    },
    {
      column: 'treatment_buyers',
      description: 'buyers ≤ customers in each group',
      holds: 'treatment_buyers <= treatment_customers AND control_buyers <= control_customers',
    },
    {
      column: 'conversion_uplift_low',
      description: 'each interval holds its estimate',
      holds: `conversion_uplift_low <= conversion_uplift AND conversion_uplift <= conversion_uplift_high
              AND conversion_relative_uplift_low <= conversion_relative_uplift AND conversion_relative_uplift <= conversion_relative_uplift_high
              AND revenue_uplift_low <= revenue_uplift AND revenue_uplift <= revenue_uplift_high`,
    },
  ],
};

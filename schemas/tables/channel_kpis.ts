import { column, NON_NEGATIVE, type TableContract } from '../tableContract';

export const channelKpis: TableContract = {
  table: 'channel_kpis',
  grain: 'acquisition channel × business month with new customers or spend, and channel in total (seed 003); customers of no known channel form the rows of channel NULL',
  key: ['channel', 'period', 'month'],
  columns: [
    column('channel', 'VARCHAR', 'The acquisition channel (customers.acquisition_channel, or a channel with spend only); NULL for the customers whose channel is unknown.', { nullable: true }),
    column('period', 'VARCHAR', 'month: one business month; total: everything to the run date.', { values: ['month', 'total'] }),
    column('month', 'DATE', 'First day of the month; NULL for the total.', { nullable: true, max: 'run date' }),
    column('is_paid', 'BOOLEAN', 'Whether channels.unpaid leaves the channel out; NULL for channel NULL.', { nullable: true }),
    column('new_customers', 'BIGINT', 'The channel\'s customers whose first purchase fell in the period.', NON_NEGATIVE),
    column('spend', 'DOUBLE', 'Spend in the period (a month row spread evenly over its days, up to the run date); NULL without a spend row.', {
      nullable: true,
      ...NON_NEGATIVE,
    }),
    column('impressions', 'DOUBLE', 'Ad impressions in the period, spread as spend; NULL without them.', { nullable: true, ...NON_NEGATIVE }),
    column('clicks', 'DOUBLE', 'Ad clicks in the period, spread as spend; NULL without them.', { nullable: true, ...NON_NEGATIVE }),
    column('conversions', 'DOUBLE', 'Conversions the ad platform reports, spread as spend; NULL without them.', { nullable: true, ...NON_NEGATIVE }),
    column('cac', 'DOUBLE', 'spend / new_customers; 0 for an unpaid channel; NULL without spend or new customers.', { nullable: true, ...NON_NEGATIVE }),
    column('revenue', 'DOUBLE', 'Revenue to date (revenue.definition) of the new customers; NULL without them.', { nullable: true }),
    column('historic_ltv', 'DOUBLE', 'Their mean revenue to date; NULL without them.', { nullable: true }),
    column('predicted_clv', 'DOUBLE', 'Mean clv.predicted_clv of those lifetime value scored; NULL without one.', { nullable: true, ...NON_NEGATIVE }),
    column('monthly_revenue_per_customer', 'DOUBLE', 'revenue × 30 / Σ max(days from the first purchase day to the run date + 1, 30); NULL without new customers.', {
      nullable: true,
    }),
    column('ltv_to_cac', 'DOUBLE', 'historic_ltv / cac; NULL for an unpaid channel or without a positive CAC.', { nullable: true }),
    column('payback_months', 'DOUBLE', 'cac / monthly_revenue_per_customer; NULL for an unpaid channel or without a positive monthly revenue.', {
      nullable: true,
      ...NON_NEGATIVE,
    }),
  ],
  rowChecks: [
    { column: 'month', description: 'month is NULL exactly for the total', holds: "(month IS NULL) = (period = 'total') AND day(month) = 1" },
    { column: 'is_paid', description: 'is_paid is NULL exactly for channel NULL', holds: '(is_paid IS NULL) = (channel IS NULL)' },
    {
      column: 'cac',
      description: 'an unpaid channel has CAC 0 and no LTV / CAC or payback',
      holds: 'coalesce(is_paid, true) OR (cac = 0 AND ltv_to_cac IS NULL AND payback_months IS NULL)',
    },
    { column: 'revenue', description: 'revenue exactly with new customers', holds: '(revenue IS NULL) = (new_customers = 0)' },
  ],
  aggregateChecks: [
    {
      column: 'new_customers',
      description: 'a channel\'s months add up to its total',
      holds: "sum(new_customers) FILTER (WHERE period = 'month') = sum(new_customers) FILTER (WHERE period = 'total')",
      groupBy: ['channel'],
    },
  ],
};

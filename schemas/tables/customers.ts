import { column, NON_NEGATIVE, SHARE, type TableContract } from '../tableContract';

/** Seed 001's age bands, as customers defines them and the demographic profiles count them. */
export const AGE_BANDS = ['10s', '20s', '30s', '40s', '50+', 'unknown'];
export const GENDERS = ['female', 'male', 'unknown'];

export const customers: TableContract = {
  table: 'customers',
  grain: 'member (without a members file: ordering customer)',
  key: ['member_id'],
  columns: [
    column('member_id', 'VARCHAR', 'Member (customer) identifier.'),
    column('joined_at', 'TIMESTAMP WITH TIME ZONE', 'When the member signed up; NULL without a members file or a readable value.', { nullable: true }),
    column('tenure_days', 'BIGINT', 'Days from the business date of joined_at to the run date; NULL without joined_at.', { nullable: true, ...NON_NEGATIVE }),
    column('birth_year', 'BIGINT', 'Year of birth; NULL when unknown or after the run date\'s year.', { nullable: true, min: 1900 }),
    column('age', 'BIGINT', 'The age reached in the run date\'s year: its year minus birth_year; NULL without a birth year.', {
      nullable: true,
      ...NON_NEGATIVE,
    }),
    column('age_band', 'VARCHAR', 'Seed 001\'s bands: 10s (every age under 20), 20s, 30s, 40s, 50+; unknown without an age.', {
      values: AGE_BANDS,
    }),
    column('gender', 'VARCHAR', 'By genderValues, from members.gender ignoring case; unknown for any other value or none.', {
      values: GENDERS,
    }),
    column('region', 'VARCHAR', 'Region or country; NULL when not given.', { nullable: true }),
    column('marketing_opt_in', 'BOOLEAN', 'Whether the member accepts marketing messages; NULL when unknown.', { nullable: true }),
    column('acquisition_channel', 'VARCHAR', 'members.acquisition_channel, else the channel of the first GA session\'s medium (channels.gaMediums), trimmed and lower-cased; NULL when neither gives one.', {
      nullable: true,
    }),
    column('acquisition_channel_source', 'VARCHAR', 'Which gave acquisition_channel; NULL without one.', {
      nullable: true,
      values: ['members', 'first_ga_session'],
    }),
    column('orders_count', 'BIGINT', 'Purchase orders (not cancelled, with a positive line).', NON_NEGATIVE),
    column('order_lines_count', 'BIGINT', 'Lines of the purchase orders.', NON_NEGATIVE),
    column('first_order_at', 'TIMESTAMP WITH TIME ZONE', 'When the first purchase order was placed; NULL without one.', { nullable: true }),
    column('last_order_at', 'TIMESTAMP WITH TIME ZONE', 'When the last purchase order was placed; NULL without one.', { nullable: true }),
    column('recency_days', 'BIGINT', 'Days from the business date of the last purchase to the run date (0 = bought on it); NULL without a purchase.', {
      nullable: true,
      ...NON_NEGATIVE,
    }),
    column('days_since_first_order', 'BIGINT', 'Days from the business date of the first purchase to the run date; NULL without a purchase.', {
      nullable: true,
      ...NON_NEGATIVE,
    }),
    column('gross_revenue', 'DOUBLE', 'Sum of the positive lines (purchases).', NON_NEGATIVE),
    column('returned_amount', 'DOUBLE', 'Sum of the negative lines (returns, cancellation documents), as a positive amount.', NON_NEGATIVE),
    column('net_revenue', 'DOUBLE', 'gross_revenue − returned_amount.'),
    column('revenue', 'DOUBLE', 'Revenue by revenue.definition (net_revenue or the purchase lines); what every later table counts.'),
    column('avg_order_value', 'DOUBLE', 'revenue / orders_count; NULL without a purchase.', { nullable: true }),
    column('distinct_products', 'BIGINT', 'Distinct products on purchase lines.', NON_NEGATIVE),
    column('favorite_category', 'VARCHAR', 'Category with the most revenue (ties to the smaller name); NULL without a purchase of a categorised product.', {
      nullable: true,
    }),
    column('preferred_categories', 'VARCHAR[]', 'The three categories with the most revenue, the first being favorite_category; NULL with it.', { nullable: true }),
    column('promo_order_share', 'DOUBLE', 'Share of purchase orders with a promotion; NULL without a purchase.', { nullable: true, ...SHARE }),
    column('preferred_platform', 'VARCHAR', 'Platform of the most purchase orders (its name, or its id without a platforms file); NULL without one.', {
      nullable: true,
    }),
    column('review_count', 'BIGINT', 'Reviews written; NULL without a reviews file.', { nullable: true, ...NON_NEGATIVE }),
    column('avg_rating', 'DOUBLE', 'Mean star rating of the reviews; NULL without one.', { nullable: true, min: 1, max: 5 }),
    column('ga_sessions_30d', 'BIGINT', 'GA sessions in the 30 days to the run date; NULL without a GA sessions file.', { nullable: true, ...NON_NEGATIVE }),
  ],
  rowChecks: [
    { column: 'last_order_at', description: 'last_order_at is NULL exactly when orders_count is 0', holds: '(last_order_at IS NULL) = (orders_count = 0)' },
    { column: 'first_order_at', description: 'first_order_at ≤ last_order_at', holds: 'first_order_at <= last_order_at' },
    {
      column: 'acquisition_channel_source',
      description: 'acquisition_channel_source is NULL exactly without a channel',
      holds: '(acquisition_channel_source IS NULL) = (acquisition_channel IS NULL)',
    },
    { column: 'age_band', description: 'age_band is unknown exactly without an age', holds: "(age_band = 'unknown') = (age IS NULL)" },
    {
      column: 'favorite_category',
      description: 'favorite_category is the first of preferred_categories',
      holds: 'favorite_category IS NOT DISTINCT FROM preferred_categories[1]',
    },
    { column: 'days_since_first_order', description: 'days_since_first_order ≥ recency_days', holds: 'days_since_first_order >= recency_days' },
    {
      column: 'net_revenue',
      description: 'net_revenue = gross_revenue − returned_amount',
      holds: 'abs(net_revenue - (gross_revenue - returned_amount)) < 1e-6 * (1 + gross_revenue)',
    },
  ],
};

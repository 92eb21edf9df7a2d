import { column, NON_NEGATIVE, sumsToOne, type TableContract } from '../tableContract';

export const salesTrends: TableContract = {
  table: 'sales_trends',
  grain: 'month, weekday × hour, region, or top product (one breakdown per row); only cells with lines',
  key: ['breakdown', 'month', 'weekday', 'hour', 'region', 'product_id'],
  columns: [
    column('breakdown', 'VARCHAR', 'What the row breaks sales down by; the columns of other breakdowns are NULL.', {
      values: ['month', 'weekday_hour', 'region', 'product_by_revenue', 'product_by_quantity'],
    }),
    column('month', 'DATE', 'First day of the business month (month); else NULL.', { nullable: true, max: 'run date' }),
    column('weekday', 'INTEGER', 'ISO weekday of the order time, 1 = Monday (weekday_hour); else NULL.', { nullable: true, min: 1, max: 7 }),
    column('hour', 'INTEGER', 'Hour of the order time in the business time zone (weekday_hour); else NULL.', { nullable: true, min: 0, max: 23 }),
    column('region', 'VARCHAR', 'The buyer\'s region (region; NULL there without one); else NULL.', { nullable: true }),
    column('product_id', 'VARCHAR', 'The product (product_by_…); else NULL.', { nullable: true }),
    column('product_rank', 'INTEGER', '1 = most revenue or quantity, up to salesTrends.topProducts (product_by_…); else NULL.', { nullable: true, min: 1 }),
    column('orders', 'BIGINT', 'Distinct purchase orders.', NON_NEGATIVE),
    column('customers', 'BIGINT', 'Distinct buyers.', NON_NEGATIVE),
    column('quantity', 'BIGINT', 'Units of purchase lines.', NON_NEGATIVE),
    column('revenue', 'DOUBLE', 'Revenue of the lines (revenue.definition).'),
    column('revenue_share', 'DOUBLE', 'revenue / all revenue to the run date; NULL when that is 0.', { nullable: true }),
  ],
  rowChecks: [
    { column: 'month', description: 'month is set exactly for the month breakdown', holds: "(month IS NOT NULL) = (breakdown = 'month') AND day(month) = 1" },
    {
      column: 'weekday',
      description: 'weekday and hour are set exactly for weekday_hour',
      holds: "(weekday IS NOT NULL) = (breakdown = 'weekday_hour') AND (hour IS NOT NULL) = (breakdown = 'weekday_hour')",
    },
    { column: 'region', description: 'region is set only for the region breakdown', holds: "region IS NULL OR breakdown = 'region'" },
    {
      column: 'product_id',
      description: 'product_id and product_rank are set exactly for the product breakdowns',
      holds: "(product_id IS NOT NULL) = (breakdown LIKE 'product_by_%') AND (product_rank IS NOT NULL) = (breakdown LIKE 'product_by_%')",
    },
    { column: 'customers', description: 'customers ≤ orders', holds: 'customers <= orders' },
  ],
  aggregateChecks: [
    {
      column: 'revenue_share',
      description: 'revenue_share sums to 1 over the months, the weekday-hours and the regions',
      holds: `breakdown LIKE 'product_by_%' OR ${sumsToOne('revenue_share')}`,
      groupBy: ['breakdown'],
    },
  ],
};

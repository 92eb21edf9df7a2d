import { column, NON_NEGATIVE, SHARE, type TableContract } from '../tableContract';

export const cohortRetention: TableContract = {
  table: 'cohort_retention',
  grain: 'acquisition month × month since, every month up to the run date\'s',
  key: ['cohort_month', 'cohort_month_number'],
  columns: [
    column('cohort_month', 'DATE', 'First day of the business month of the cohort\'s first purchases.', { max: 'run date' }),
    column('cohort_month_number', 'INTEGER', 'Months since cohort_month; 0 is that month.', NON_NEGATIVE),
    column('order_month', 'DATE', 'cohort_month + cohort_month_number months.', { max: 'run date' }),
    column('cohort_size', 'BIGINT', 'Customers of the cohort.', { min: 1 }),
    column('active_customers', 'BIGINT', 'Of them, with a purchase in order_month.', NON_NEGATIVE),
    column('retention_rate', 'DOUBLE', 'active_customers / cohort_size.', SHARE),
    column('orders', 'BIGINT', 'Their purchase orders in order_month.', NON_NEGATIVE),
    column('revenue', 'DOUBLE', 'All their lines of order_month (revenue.definition).'),
    column('cumulative_revenue_per_customer', 'DOUBLE', 'Revenue of months 0 to cohort_month_number / cohort_size.'),
  ],
  rowChecks: [
    { column: 'cohort_month', description: 'cohort_month is a first of the month', holds: 'day(cohort_month) = 1' },
    {
      column: 'order_month',
      description: 'order_month = cohort_month + cohort_month_number months',
      holds: 'order_month = cohort_month + to_months(cohort_month_number)',
    },
    { column: 'active_customers', description: 'active_customers ≤ cohort_size', holds: 'active_customers <= cohort_size' },
    { column: 'active_customers', description: 'every customer is active in month 0', holds: 'cohort_month_number > 0 OR active_customers = cohort_size' },
    { column: 'orders', description: 'orders ≥ active_customers', holds: 'orders >= active_customers' },
  ],
  aggregateChecks: [
    { column: 'cohort_size', description: 'one cohort_size per cohort', holds: 'count(DISTINCT cohort_size) = 1', groupBy: ['cohort_month'] },
  ],
};

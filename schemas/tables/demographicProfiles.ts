import { column, NON_NEGATIVE, SHARE, sumsToOne, type AggregateCheck, type ColumnContract, type RowCheck } from '../tableContract';

/** The measures of a demographic cell that age_band_profile and gender_age_profile both publish, after its keys. */
export const PROFILE_MEASURES: ColumnContract[] = [
  column('customers', 'BIGINT', 'Customers of the cell (rows of customers).', { min: 1 }),
  column('customer_share', 'DOUBLE', 'customers / all customers.', { above: 0, max: 1 }),
  column('buyers', 'BIGINT', 'Of them, customers with a purchase.', NON_NEGATIVE),
  column('revenue', 'DOUBLE', 'Their revenue by revenue.definition.'),
  column('revenue_share', 'DOUBLE', 'revenue / all revenue; NULL when that is 0.', { nullable: true }),
  column('scored_customers', 'BIGINT', 'Of them, customers in rfm.', NON_NEGATIVE),
  column('mean_r_score', 'DOUBLE', 'Mean r_score of the scored; NULL when none is scored.', { nullable: true, min: 1, max: 5 }),
  column('mean_f_score', 'DOUBLE', 'Mean f_score of the scored; NULL when none is.', { nullable: true, min: 1, max: 5 }),
  column('mean_m_score', 'DOUBLE', 'Mean m_score of the scored; NULL when none is.', { nullable: true, min: 1, max: 5 }),
  column('mean_recency_days', 'DOUBLE', 'Mean recency_days of the scored; NULL when none is.', { nullable: true, ...NON_NEGATIVE }),
  column('mean_frequency', 'DOUBLE', 'Mean frequency of the scored; NULL when none is.', { nullable: true, min: 1 }),
  column('mean_monetary', 'DOUBLE', 'Mean monetary of the scored; NULL when none is.', { nullable: true, above: 0 }),
  column('promo_order_share', 'DOUBLE', 'Purchase orders with a promotion / purchase orders; NULL without a purchase.', { nullable: true, ...SHARE }),
  column('promo_customer_share', 'DOUBLE', 'Buyers who used a promotion / buyers; NULL without buyers.', { nullable: true, ...SHARE }),
  column('top_categories', 'VARCHAR[]', 'The three categories with the most revenue (ties to the smaller name); empty without purchases.'),
  column('top_platforms', 'VARCHAR[]', 'The three platforms with the most purchase orders (name, or id without a platforms file).'),
];

export const PROFILE_CHECKS: RowCheck[] = [
  { column: 'scored_customers', description: 'scored_customers ≤ buyers ≤ customers', holds: 'scored_customers <= buyers AND buyers <= customers' },
  { column: 'mean_r_score', description: 'the means are NULL exactly without a scored customer', holds: '(mean_r_score IS NULL) = (scored_customers = 0)' },
  { column: 'top_categories', description: 'at most three top categories and platforms', holds: 'len(top_categories) <= 3 AND len(top_platforms) <= 3' },
];

export const PROFILE_SHARES: AggregateCheck[] = [
  { column: 'customer_share', description: 'customer_share sums to 1', holds: sumsToOne('customer_share') },
  { column: 'revenue_share', description: 'revenue_share sums to 1', holds: sumsToOne('revenue_share') },
];

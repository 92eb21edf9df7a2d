import { column, NON_NEGATIVE, SHARE, type TableContract } from '../tableContract';

export const DISCOUNT_METHODS = ['logistic_regression', 'unavailable'];

export const discountSensitivity: TableContract = {
  table: 'discount_sensitivity',
  grain: 'customer with a purchase',
  key: ['member_id'],
  columns: [
    column('member_id', 'VARCHAR', 'Member identifier.'),
    column('recency_days', 'BIGINT', 'Days from the last purchase to the run date.', NON_NEGATIVE),
    column('purchase_orders', 'BIGINT', 'Purchase orders (not cancelled, with a positive line).', { min: 1 }),
    column('monetary', 'DOUBLE', 'Revenue by revenue.definition.'),
    column('avg_order_value', 'DOUBLE', 'monetary / purchase_orders.'),
    column('promo_order_share', 'DOUBLE', 'Share of the purchase orders that used a promotion.', SHARE),
    column('mean_promo_discount_pct', 'DOUBLE', 'Mean discount_pct of the promotions used; NULL without one, or without the promotions source.', {
      nullable: true,
      min: 0,
      max: 100,
    }),
    column('tenure_days', 'BIGINT', 'Days since joining; NULL without members or joined_at.', { nullable: true, ...NON_NEGATIVE }),
    column('sessions_last_90d', 'BIGINT', 'GA sessions in the 90 days to the run date; NULL without GA sessions.', { nullable: true, ...NON_NEGATIVE }),
    column(
      'discount_probability',
      'DOUBLE',
      'The chance that at least discountSensitivity.promoShareThreshold of their purchase orders in the horizonDays after the run date use a promotion (6 decimals); NULL when discount_method is unavailable.',
      { nullable: true, ...SHARE },
    ),
    column('is_discount_sensitive', 'BOOLEAN', 'discount_probability ≥ discountSensitivity.cutoff; NULL without a probability.', { nullable: true }),
    column('discount_method', 'VARCHAR', 'logistic_regression, or unavailable: history too short (the manifest says why).', { values: DISCOUNT_METHODS }),
  ],
  rowChecks: [
    {
      column: 'discount_probability',
      description: 'discount_probability is NULL exactly when unavailable',
      holds: "(discount_probability IS NULL) = (discount_method = 'unavailable')",
    },
    {
      column: 'is_discount_sensitive',
      description: 'is_discount_sensitive is NULL exactly without a probability',
      holds: '(is_discount_sensitive IS NULL) = (discount_probability IS NULL)',
    },
  ],
  aggregateChecks: [{ column: 'discount_method', description: 'one discount_method for all', holds: 'count(DISTINCT discount_method) <= 1' }],
  relationships: [{ columns: ['member_id'], table: 'customers', where: 'orders_count > 0', complete: true }],
};

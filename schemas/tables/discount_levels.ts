import { DISCOUNT_LEVELS } from '../config';
import { column, NON_NEGATIVE, SHARE, type TableContract } from '../tableContract';
import { DISCOUNT_METHODS } from './discount_sensitivity';

export const discountLevels: TableContract = {
  table: 'discount_levels',
  grain: 'RFM segment, over its scored customers (rows of rfm), all history to the run date',
  key: ['segment'],
  columns: [
    column('segment', 'VARCHAR', 'The RFM segment.'),
    column('customers', 'INTEGER', 'Its customers.', { min: 1 }),
    column('orders', 'BIGINT', 'Their purchase orders.', { min: 1 }),
    column('promo_orders', 'BIGINT', 'Those that used a promotion.', NON_NEGATIVE),
    column('promo_order_share', 'DOUBLE', 'promo_orders / orders.', SHARE),
    column('eligible_customers', 'INTEGER', 'Customers with a purchase order on a day a promotion ran, or with a promotion; NULL without the promotions source.', {
      nullable: true,
      ...NON_NEGATIVE,
    }),
    column('redeeming_customers', 'INTEGER', 'Customers with a purchase order that used a promotion.', NON_NEGATIVE),
    column('redemption_rate', 'DOUBLE', 'redeeming_customers / eligible_customers; NULL without the promotions source or without eligible customers.', {
      nullable: true,
      ...SHARE,
    }),
    column('mean_discount_probability', 'DOUBLE', 'Mean discount_probability of its customers (6 decimals); NULL when unavailable.', {
      nullable: true,
      ...SHARE,
    }),
    column('sensitive_customers', 'INTEGER', 'Customers with is_discount_sensitive.', NON_NEGATIVE),
    column('discount_level', 'VARCHAR', 'By the mean probability against discountSensitivity.levelThresholds; NULL when unavailable.', {
      nullable: true,
      values: DISCOUNT_LEVELS,
    }),
    column('recommended_discount_pct', 'DOUBLE', 'The level\'s levelDiscountPct, which campaign_targets offers the segment; NULL when unavailable.', {
      nullable: true,
      min: 0,
      max: 100,
    }),
    column('discount_method', 'VARCHAR', 'As in discount_sensitivity.', { values: DISCOUNT_METHODS }),
  ],
  rowChecks: [
    { column: 'promo_orders', description: 'promo_orders ≤ orders', holds: 'promo_orders <= orders' },
    { column: 'redeeming_customers', description: 'redeeming_customers ≤ eligible_customers', holds: 'redeeming_customers <= eligible_customers' },
    { column: 'sensitive_customers', description: 'sensitive_customers ≤ customers', holds: 'sensitive_customers <= customers' },
    {
      column: 'discount_level',
      description: 'a level and its discount exactly with a mean probability',
      holds: '(discount_level IS NULL) = (mean_discount_probability IS NULL) AND (recommended_discount_pct IS NULL) = (discount_level IS NULL)',
    },
  ],
  relationships: [{ columns: ['segment'], table: 'rfm', complete: true }],
};

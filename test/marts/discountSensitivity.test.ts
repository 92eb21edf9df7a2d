import { discountLevelRules } from '../../activities/discountSensitivity';
import { createValuesTable } from '../../activities/tableBuilder';
import { Warehouse, type Row } from '../../lib/duckdb';
import { sqlFile } from '../../lib/sqlFile';
import { discountSensitivitySchema } from '../../schemas/config';

/**
 * sql/models/discount_inputs.sql, discount_training_rows.sql and sql/marts/discount_levels.sql on hand-made
 * views, without Temporal. Every expected value is worked out by hand in the comments.
 */
const DEFAULTS = discountSensitivitySchema.parse({});

// order, member, date, promotion, purchase (false: a cancelled order), revenue
const LINES = `
  SELECT order_id, member_id, CAST(order_date AS DATE) AS order_date, promotion_id, is_purchase, revenue FROM (VALUES
    ('O1', 'A', '2024-01-10', 'PR1', true, 20.0), ('O2', 'A', '2024-02-10', NULL, true, 30.0),
    ('O3', 'A', '2024-03-31', 'PR2', true, 10.0), ('O4', 'A', '2024-04-05', 'PR1', true, 15.0),
    ('O5', 'A', '2024-05-05', NULL, true, 15.0), ('O6', 'A', '2024-06-29', 'PR2', true, 15.0),
    ('O7', 'A', '2024-06-30', NULL, true, 15.0), ('O8', 'A', '2024-05-01', 'PR1', false, 0.0),
    ('O9', 'B', '2024-03-01', NULL, true, 40.0), ('O10', 'B', '2024-04-10', NULL, true, 40.0),
    ('O11', 'B', '2024-04-11', 'PR1', true, 40.0),
    ('O12', 'C', '2024-02-01', 'PR1', true, 25.0), ('O13', 'C', '2024-07-15', NULL, true, 25.0),
    ('O14', 'D', '2024-04-02', 'PR1', true, 5.0),
    ('O15', 'E', '2024-01-01', NULL, true, 50.0), ('O16', 'E', '2024-05-01', NULL, true, 50.0)
  ) AS t(order_id, member_id, order_date, promotion_id, is_purchase, revenue)`;
const PROMOTIONS = `
  SELECT promotion_id, discount_pct, CAST(starts_on AS DATE) AS starts_on, CAST(ends_on AS DATE) AS ends_on FROM (VALUES
    ('PR1', 10.0, '2024-01-01', '2024-06-30'), ('PR2', 20.0, '2024-03-01', NULL)
  ) AS t(promotion_id, discount_pct, starts_on, ends_on)`;

test("a customer's label comes from the orders of the horizon after the as-of date, never from those before", async () => {
  const rows = await Warehouse.using({ timeZone: 'UTC' }, async (warehouse) => {
    await warehouse.run(sqlFile('aggregates.sql'));
    await warehouse.run(`CREATE TABLE all_lines AS ${LINES}`);
    // What the stage's cut at the end of 2024-03-31 shows the features; the label reads every line.
    await warehouse.run(`CREATE VIEW order_lines AS SELECT * FROM all_lines WHERE order_date <= DATE '2024-03-31'`);
    await warehouse.run('CREATE VIEW later_order_lines AS SELECT * FROM all_lines');
    await warehouse.run(`CREATE VIEW promotions AS ${PROMOTIONS}`);
    await warehouse.run(`CREATE VIEW members AS SELECT 'A' AS member_id, TIMESTAMPTZ '2023-12-31 10:00:00+00' AS joined_at`);
    await warehouse.run(`CREATE VIEW ga_sessions AS SELECT * FROM (VALUES
      ('A', TIMESTAMPTZ '2024-03-15 10:00:00+00'), ('A', TIMESTAMPTZ '2023-12-01 10:00:00+00')) AS t(member_id, session_start)`);
    for (const source of ['members', 'ga_sessions', 'promotions']) await warehouse.setVariable(`has_${source}`, true, 'BOOLEAN');
    await warehouse.setVariable('run_date', '2024-03-31', 'DATE');
    await warehouse.run(`CREATE TABLE discount_inputs AS ${sqlFile('models/discount_inputs.sql')}`);
    await warehouse.setVariable('as_of', '2024-03-31', 'DATE');
    await warehouse.setVariable('horizon_days', DEFAULTS.horizonDays, 'INTEGER');
    await warehouse.setVariable('promo_share_threshold', DEFAULTS.promoShareThreshold, 'DOUBLE');
    await warehouse.setVariable('min_label_orders', DEFAULTS.minLabelOrders, 'INTEGER');
    return warehouse.rows<Row>(sqlFile('models/discount_training_rows.sql'));
  });
  // C bought nothing in the 90 days after (O13 is on day 106) and D nothing before: neither is labelled.
  expect(rows.map((r) => r.member_id)).toEqual(['A', 'B', 'E']);
  expect(rows[0]).toEqual({
    member_id: 'A',
    // Features up to 2024-03-31: O1 (PR1, 10%), O2, O3 (PR2, 20%) on the as-of date itself.
    recency_days: 0n,
    purchase_orders: 3n,
    monetary: 60,
    avg_order_value: 20,
    promo_order_share: 2 / 3,
    mean_promo_discount_pct: 15,
    tenure_days: 91n, // joined 2023-12-31
    sessions_last_90d: 1n, // 2023-12-01 is more than 90 days before
    // Label from 2024-04-01 to 2024-06-29: O4 (PR1), O5, O6 (PR2) on the window's last day; O7 is a day late, O8 was
    // cancelled. 2 of 3 >= 0.5.
    label_orders: 3n,
    label_promo_share: 2 / 3,
    discount_sensitive: true,
  });
  // B: O10 without, O11 with a promotion: 1 of 2 is the threshold itself. E: O16 without.
  expect(rows.slice(1).map((r) => [r.member_id, r.label_promo_share, r.discount_sensitive])).toEqual([
    ['B', 0.5, true],
    ['E', 0, false],
  ]);
});

// member, segment, probability (NULL when the model was unavailable)
const SCORED = (probability: (p: number) => string) => `
  SELECT * FROM (VALUES ('A', 'Champions', ${probability(0.6)}), ('B', 'Champions', ${probability(0.25)}),
                        ('C', 'Champions', ${probability(0.2)}), ('D', 'Lost', ${probability(0.9)}),
                        ('E', 'Hibernating', ${probability(0.1)}))
  AS t(member_id, segment, discount_probability)`;
// Run date 2024-06-30. PR1 ran in June; PR2's dates were unreadable (NULL), so it never counts as running, though
// D used it.
const SEGMENT_LINES = `
  SELECT order_id, member_id, CAST(order_date AS DATE) AS order_date, promotion_id, is_purchase FROM (VALUES
    ('O1', 'A', '2024-06-05', 'PR1', true), ('O2', 'A', '2024-05-10', NULL, true), ('O3', 'A', '2024-06-10', NULL, true),
    ('O4', 'B', '2024-06-15', NULL, true), ('O5', 'B', '2024-04-01', NULL, true),
    ('O6', 'C', '2024-03-01', NULL, true),
    ('O7', 'D', '2024-02-01', 'PR2', true), ('O8', 'D', '2024-06-20', 'PR1', false),
    ('O9', 'E', '2024-01-01', NULL, true)
  ) AS t(order_id, member_id, order_date, promotion_id, is_purchase)`;

async function discountLevels(probability: (p: number) => string, method: string, hasPromotions = true): Promise<Row[]> {
  return Warehouse.using({ timeZone: 'UTC' }, async (warehouse) => {
    await warehouse.run(`CREATE TABLE scored AS ${SCORED(probability)}`);
    await warehouse.run('CREATE VIEW rfm AS SELECT member_id, segment FROM scored');
    await warehouse.run(`CREATE VIEW discount_sensitivity AS
      SELECT member_id, discount_probability, discount_probability >= 0.5 AS is_discount_sensitive, '${method}' AS discount_method FROM scored`);
    await warehouse.run(`CREATE VIEW order_lines AS ${SEGMENT_LINES}`);
    await warehouse.run(`CREATE VIEW promotions AS SELECT * FROM (VALUES ('PR1', 10.0, DATE '2024-06-01', DATE '2024-06-30'),
                         ('PR2', 20.0, NULL, NULL)) AS t(promotion_id, discount_pct, starts_on, ends_on)`);
    await createValuesTable(warehouse, 'discount_level_rules', discountLevelRules(DEFAULTS));
    await warehouse.setVariable('has_promotions', hasPromotions, 'BOOLEAN');
    return warehouse.rows<Row>(`SELECT * FROM (${sqlFile('marts/discount_levels.sql')})`);
  });
}

test('discount_levels: promotion share, redemption rate and the level of each segment, by hand', async () => {
  const rows = await discountLevels((p) => String(p), 'logistic_regression');
  expect(rows).toEqual([
    // A: 3 orders, O1 on PR1; B: 2 orders, none on promotion; C: 1. Promotion share 1/6. A and B bought in June
    // while PR1 ran (eligible), C only in March; A redeemed: 1 of 2. Mean probability (0.6 + 0.25 + 0.2) / 3 = 0.35:
    // at or above medium's 0.3, below high's 0.4.
    { segment: 'Champions', customers: 3, orders: 6n, promo_orders: 1n, promo_order_share: 1 / 6, eligible_customers: 2,
      redeeming_customers: 1, redemption_rate: 0.5, mean_discount_probability: 0.35, sensitive_customers: 1,
      discount_level: 'medium', recommended_discount_pct: 10, discount_method: 'logistic_regression' },
    // E's one order in January: no promotion ran, none used. 0.1 is below low's 0.2.
    { segment: 'Hibernating', customers: 1, orders: 1n, promo_orders: 0n, promo_order_share: 0, eligible_customers: 0,
      redeeming_customers: 0, redemption_rate: null, mean_discount_probability: 0.1, sensitive_customers: 0,
      discount_level: 'none', recommended_discount_pct: 0, discount_method: 'logistic_regression' },
    // D used PR2 (eligible by using it); the cancelled O8 is no purchase. 0.9: high.
    { segment: 'Lost', customers: 1, orders: 1n, promo_orders: 1n, promo_order_share: 1, eligible_customers: 1,
      redeeming_customers: 1, redemption_rate: 1, mean_discount_probability: 0.9, sensitive_customers: 1,
      discount_level: 'high', recommended_discount_pct: 20, discount_method: 'logistic_regression' },
  ]);
});

test('discount_levels: no level without probabilities, no redemption rate without the promotions calendar', async () => {
  const rows = await discountLevels(() => 'CAST(NULL AS DOUBLE)', 'unavailable', false);
  expect(rows.map((r) => [r.segment, r.mean_discount_probability, r.discount_level, r.recommended_discount_pct, r.discount_method])).toEqual([
    ['Champions', null, null, null, 'unavailable'],
    ['Hibernating', null, null, null, 'unavailable'],
    ['Lost', null, null, null, 'unavailable'],
  ]);
  expect(rows.map((r) => [r.segment, r.promo_order_share, r.eligible_customers, r.redeeming_customers, r.redemption_rate])).toEqual([
    ['Champions', 1 / 6, null, 1, null],
    ['Hibernating', 0, null, 0, null],
    ['Lost', 1, null, 1, null],
  ]);
});

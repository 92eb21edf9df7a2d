import { Warehouse } from '../../lib/duckdb';
import { sqlFile } from '../../lib/sqlFile';

/**
 * sql/marts/channel_kpis.sql on hand-made customers, lifetime values and spend, run date 2024-06-15 (mid-month),
 * with organic as the one unpaid channel.
 */
const CUSTOMERS = `
  SELECT member_id, acquisition_channel, CAST(first_order_at AS TIMESTAMPTZ) AS first_order_at, days_since_first_order,
         orders_count, revenue FROM (VALUES
    ('A', 'social', '2024-06-05 10:00:00', 10, 2, 100.0),
    ('B', 'social', '2024-06-14 10:00:00', 1, 1, 50.0),    -- not scored by lifetime value: no predicted_clv
    ('C', 'social', '2024-05-20 10:00:00', 26, 1, 30.0),
    ('D', 'organic', '2024-06-01 10:00:00', 14, 1, 80.0),
    ('E', 'social', NULL, NULL, 0, 0.0)                     -- a member who never bought: nobody's new customer
  ) AS t(member_id, acquisition_channel, first_order_at, days_since_first_order, orders_count, revenue)`;

const CLV = `SELECT * FROM (VALUES ('A', 40.0), ('C', 12.0), ('D', 20.0)) AS t(member_id, predicted_clv)`;

const MARKETING_SPEND = `
  SELECT CAST(date AS DATE) AS date, period, channel, spend, impressions, clicks, conversions FROM (VALUES
    ('2024-05-01', 'month', 'social', 93.0, 930, 9, 1.0),
    ('2024-06-01', 'month', 'social', 300.0, 3000, 30, 3.0), -- 15 of June's 30 days are up to the run date
    ('2024-06-10', 'day', 'display', 20.0, 400, 4, 0.0)      -- spend that brought nobody
  ) AS t(date, period, channel, spend, impressions, clicks, conversions)`;

/** The model's rows over these customers, with these channels unpaid. */
async function channelKpis(customers: string, unpaid: string[]) {
  return Warehouse.using({ timeZone: 'UTC' }, async (warehouse) => {
    await warehouse.run(sqlFile('aggregates.sql'));
    await warehouse.run(`CREATE VIEW customers AS ${customers}`);
    await warehouse.run(`CREATE VIEW clv AS ${CLV}`);
    await warehouse.run(`CREATE VIEW marketing_spend AS ${MARKETING_SPEND}`);
    await warehouse.setVariable('run_date', '2024-06-15', 'DATE');
    await warehouse.run('CREATE TABLE unpaid_channels (channel VARCHAR)');
    for (const channel of unpaid) await warehouse.run('INSERT INTO unpaid_channels VALUES ($channel)', { channel });
    return warehouse.rows(`
      SELECT channel, period, CAST(month AS VARCHAR) AS month, is_paid, CAST(new_customers AS INTEGER) AS new_customers,
             spend, impressions, clicks, conversions, cac, revenue, historic_ltv, predicted_clv,
             monthly_revenue_per_customer, ltv_to_cac, payback_months
      FROM (${sqlFile('marts/channel_kpis.sql')})`);
  });
}

test('per channel and month and in total: spend to the run date, CAC, lifetime value, LTV / CAC and payback', async () => {
  const rows = await channelKpis(CUSTOMERS, ['organic']);
  const none = { new_customers: 0, revenue: null, historic_ltv: null, predicted_clv: null, monthly_revenue_per_customer: null };
  const noSpend = { spend: null, impressions: null, clicks: null, conversions: null };
  expect(rows).toEqual([
    // display spent 20 on 06-10 and brought nobody: no CAC, nothing to pay back.
    { channel: 'display', period: 'total', month: null, is_paid: true, ...none, spend: 20, impressions: 400, clicks: 4, conversions: 0,
      cac: null, ltv_to_cac: null, payback_months: null },
    { channel: 'display', period: 'month', month: '2024-06-01', is_paid: true, ...none, spend: 20, impressions: 400, clicks: 4, conversions: 0,
      cac: null, ltv_to_cac: null, payback_months: null },
    // organic is unpaid: CAC 0, no ratio and no payback. D's months as a customer: (14 + 1) days, at least 30, / 30 = 1.
    { channel: 'organic', period: 'total', month: null, is_paid: false, new_customers: 1, ...noSpend, cac: 0, revenue: 80,
      historic_ltv: 80, predicted_clv: 20, monthly_revenue_per_customer: 80, ltv_to_cac: null, payback_months: null },
    { channel: 'organic', period: 'month', month: '2024-06-01', is_paid: false, new_customers: 1, ...noSpend, cac: 0, revenue: 80,
      historic_ltv: 80, predicted_clv: 20, monthly_revenue_per_customer: 80, ltv_to_cac: null, payback_months: null },
    // social in total: spend 93 + 150 = 243 for A, B and C: CAC 81; LTV (100 + 50 + 30) / 3 = 60, LTV / CAC 60 / 81;
    // each has been a customer for a month at least (30 days floor), so 180 over 3 months: 60 a month, payback 81 / 60.
    { channel: 'social', period: 'total', month: null, is_paid: true, new_customers: 3, spend: 243, impressions: 2430, clicks: 24,
      conversions: 2.5, cac: 81, revenue: 180, historic_ltv: 60, predicted_clv: 26, monthly_revenue_per_customer: 60,
      ltv_to_cac: 60 / 81, payback_months: 1.35 },
    // May: C alone, CAC 93, LTV 30, 30 a month: payback 3.1 months.
    { channel: 'social', period: 'month', month: '2024-05-01', is_paid: true, new_customers: 1, spend: 93, impressions: 930, clicks: 9,
      conversions: 1, cac: 93, revenue: 30, historic_ltv: 30, predicted_clv: 12, monthly_revenue_per_customer: 30,
      ltv_to_cac: 30 / 93, payback_months: 3.1 },
    // June: the month row counts 15 of 30 days, 150, for A and B: CAC 75 = LTV (100 + 50) / 2; predicted CLV is A's
    // alone (B is not scored); 150 over 2 months, 75 a month: payback 1 month.
    { channel: 'social', period: 'month', month: '2024-06-01', is_paid: true, new_customers: 2, spend: 150, impressions: 1500, clicks: 15,
      conversions: 1.5, cac: 75, revenue: 150, historic_ltv: 75, predicted_clv: 40, monthly_revenue_per_customer: 75,
      ltv_to_cac: 1, payback_months: 1 },
  ]);
});

test('with no unpaid channel organic is paid, and has no CAC without spend; customers of no known channel are neither', async () => {
  const rows = await channelKpis(`SELECT * FROM (${CUSTOMERS}) UNION ALL SELECT 'F', NULL, TIMESTAMPTZ '2024-06-02 10:00:00', 13, 1, 20.0`, []);
  const totals = rows.filter((row) => row.period === 'total');
  expect(totals.map((row) => [row.channel, row.is_paid, row.new_customers, row.cac])).toEqual([
    ['display', true, 0, null],
    ['organic', true, 1, null],
    ['social', true, 3, 81],
    [null, null, 1, null],
  ]);
});

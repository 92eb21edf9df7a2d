import { createHash } from 'node:crypto';
import { CAMPAIGN_COLUMNS } from '../../activities/campaigns';
import { createValuesTable, type LiteralRow } from '../../activities/tableBuilder';
import { Warehouse, type Row } from '../../lib/duckdb';
import { sqlFile } from '../../lib/sqlFile';

/**
 * sql/models/campaign_decisions.sql and its published cuts (campaign_targets, campaign_suppressed,
 * campaign_plan) on hand-made views, run date 2024-06-30, without Temporal.
 */
const CAMPAIGNS: LiteralRow[] = [
  { segment: 'Champions', campaign: 'vip', message: 'm', channels: 'email+sms+push', cadence: 'weekly', discount_pct: 0,
    recommendation: 'premium', expected_response_rate: 0.25, priority: 10, control_share: 0, cooldown_days: 7 },
  { segment: 'At Risk', campaign: 'win_back', message: 'm', channels: 'email+sms', cadence: 'weekly', discount_pct: 20,
    recommendation: 'win_back', expected_response_rate: 0.08, priority: 8, control_share: 0, cooldown_days: 7 },
  { segment: 'Push Only', campaign: 'app_nudge', message: 'm', channels: 'push', cadence: 'monthly', discount_pct: 5,
    recommendation: 'popular', expected_response_rate: 0.1, priority: 2, control_share: 0, cooldown_days: 30 },
];

// member, segment, class, recency, monetary, consent, cluster, predicted clv, churn probability
const CUSTOMERS = `
  SELECT * FROM (VALUES
    ('A', 'Champions', 'platinum', 20, 300.0, true, 0, 400.0, 0.1),
    ('B', 'At Risk', 'gold', 5, 90.0, true, 1, NULL, 0.7),
    ('C', 'At Risk', 'gold', 100, 80.0, false, 1, 50.0, 0.6),
    ('D', 'At Risk', 'silver', 120, 40.0, NULL, 1, 30.0, 0.5),
    ('E', 'At Risk', 'gold', 90, 70.0, true, 1, 60.0, 0.4),
    ('F', 'At Risk', 'gold', 95, 60.0, true, 1, 20.0, 0.3),
    ('G', 'Push Only', 'silver', 40, 20.0, true, 0, 10.0, 0.2),
    ('H', 'Push Only', 'silver', 30, 25.0, true, 0, 10.0, 0.2),
    ('K', 'Push Only', 'silver', 50, 15.0, true, 0, 10.0, 0.2),
    ('L', 'Lost', 'silver', 300, 5.0, true, 1, 1.0, 0.9)
  ) AS t(member_id, segment, rfm_class, recency_days, monetary, marketing_opt_in, cluster, predicted_clv, churn_probability)`;

interface Policy {
  runDate?: string;
  globalControlShare?: number;
  unknownConsentGiven?: boolean;
  /** discount_levels rows (segment, level, recommended percent); none by default, as when the model is unavailable. */
  discountLevels?: string;
}

const NO_DISCOUNT_LEVELS =
  'SELECT NULL::VARCHAR AS segment, NULL::VARCHAR AS discount_level, NULL::DOUBLE AS recommended_discount_pct WHERE false';

/** Runs the decisions model over `customers` (a query in the shape of CUSTOMERS), then `query` over it. */
async function decide<T extends Row>(customers: string, campaigns: LiteralRow[], previousTargets: string, query: string, policy: Policy = {}): Promise<T[]> {
  return Warehouse.using({ timeZone: 'UTC' }, async (warehouse) => {
    await warehouse.run(sqlFile('aggregates.sql'));
    await warehouse.run(`CREATE TABLE people AS ${customers}`);
    await warehouse.run('CREATE VIEW rfm AS SELECT member_id, segment, rfm_class, recency_days, monetary FROM people');
    await warehouse.run('CREATE VIEW customers AS SELECT member_id, marketing_opt_in FROM people');
    await warehouse.run('CREATE VIEW clusters AS SELECT member_id, cluster FROM people');
    await warehouse.run('CREATE VIEW clv AS SELECT member_id, predicted_clv FROM people');
    await warehouse.run('CREATE VIEW churn_features AS SELECT member_id, churn_probability FROM people');
    await warehouse.run(`CREATE VIEW discount_levels AS ${policy.discountLevels ?? NO_DISCOUNT_LEVELS}`);
    await warehouse.run(`CREATE VIEW app_users AS SELECT 'H' AS member_id`);
    await warehouse.run(`CREATE VIEW previous_targets AS ${previousTargets}`);
    await createValuesTable(warehouse, 'campaigns', { columns: CAMPAIGN_COLUMNS, rows: campaigns });
    await warehouse.setVariable('run_date', policy.runDate ?? '2024-06-30', 'DATE');
    await warehouse.setVariable('global_control_share', policy.globalControlShare ?? 0, 'DOUBLE');
    await warehouse.setVariable('salt', 'pepper', 'VARCHAR');
    await warehouse.setVariable('unknown_consent_given', policy.unknownConsentGiven ?? false, 'BOOLEAN');
    await warehouse.setVariable('no_discount_within_days', 14, 'INTEGER');
    await warehouse.setVariable('churn_cutoff', 0.5, 'DOUBLE');
    await warehouse.run(`CREATE TABLE campaign_decisions AS ${sqlFile('models/campaign_decisions.sql')}`);
    return warehouse.rows<T>(query);
  });
}

// E was contacted by win_back three days ago (treatment) and K held out of app_nudge then (control): both wait out
// the cooldown, K as if contacted, so that a date's treatment and control come from the same eligible customers.
// F was in win_back's control 8 days ago, past its 7-day cooldown.
const PREVIOUS = `
  SELECT * FROM (VALUES ('E', 'win_back', 'treatment', DATE '2024-06-27'), ('F', 'win_back', 'control', DATE '2024-06-22'),
                        ('K', 'app_nudge', 'control', DATE '2024-06-27'), ('A', 'vip', 'treatment', DATE '2024-06-20'))
  AS t(member_id, campaign, assignment, run_date)`;

test('campaign_targets: the campaign, channel, discount, priority, expected value and reason codes of each customer', async () => {
  const rows = await decide<Record<string, unknown>>(CUSTOMERS, CAMPAIGNS, PREVIOUS,
    `SELECT member_id, segment, cluster, loyalty_class, campaign, channel, discount_pct, priority, expected_value,
            churn_probability, reason_codes, assignment, send_order
     FROM (${sqlFile('marts/campaign_targets.sql')})`);
  expect(rows).toEqual([
    // Champions: priority 10 x (1 + 1/1000) = 10.01, floored. No app order, so no push. A's vip contact was
    // 10 days ago, past its 7-day cooldown. Expected value 0.25 x 400.
    { member_id: 'A', segment: 'Champions', cluster: 0, loyalty_class: 'platinum', campaign: 'vip', channel: 'email+sms',
      discount_pct: 0, priority: 10, expected_value: 100, churn_probability: 0.1,
      reason_codes: ['segment:Champions', 'loyalty_class:platinum', 'campaign_of_segment:vip', 'discount:none_for_campaign'],
      assignment: 'treatment', send_order: 1 },
    // At Risk has 5 customers: 8 x 1.005 = 8.04 -> 8. F (expected value 0.08 x 20 = 1.6) before B (no CLV).
    { member_id: 'F', segment: 'At Risk', cluster: 1, loyalty_class: 'gold', campaign: 'win_back', channel: 'email+sms',
      discount_pct: 20, priority: 8, expected_value: 0.08 * 20, churn_probability: 0.3,
      reason_codes: ['segment:At Risk', 'loyalty_class:gold', 'campaign_of_segment:win_back', 'discount:campaign_20_pct'],
      assignment: 'treatment', send_order: 2 },
    // B bought 5 days ago, within 14: no discount. Churn probability 0.7 >= 0.5.
    { member_id: 'B', segment: 'At Risk', cluster: 1, loyalty_class: 'gold', campaign: 'win_back', channel: 'email+sms',
      discount_pct: 0, priority: 8, expected_value: null, churn_probability: 0.7,
      reason_codes: ['segment:At Risk', 'loyalty_class:gold', 'churn_risk:high', 'campaign_of_segment:win_back',
        'discount:none_bought_within_14_days'],
      assignment: 'treatment', send_order: 3 },
    // Push Only: 2 x 1.003 -> 2; H ordered through the app.
    { member_id: 'H', segment: 'Push Only', cluster: 0, loyalty_class: 'silver', campaign: 'app_nudge', channel: 'push',
      discount_pct: 5, priority: 2, expected_value: 1, churn_probability: 0.2,
      reason_codes: ['segment:Push Only', 'loyalty_class:silver', 'campaign_of_segment:app_nudge', 'discount:campaign_5_pct'],
      assignment: 'treatment', send_order: 4 },
  ]);
});

test("campaign_targets: the segment's discount level sets the discount and its reason, a recent buyer still gets none", async () => {
  // At Risk has a level (medium, 10%); Champions' level is unavailable (NULL), so vip keeps its own 0%; Push Only
  // has none. B bought 5 days ago: no discount whatever the level.
  const levels = `SELECT * FROM (VALUES ('At Risk', 'medium', 10.0), ('Champions', NULL, NULL))
                  AS t(segment, discount_level, recommended_discount_pct)`;
  const rows = await decide<{ member_id: string; discount_pct: number; reason_codes: string[] }>(CUSTOMERS, CAMPAIGNS, PREVIOUS,
    `SELECT member_id, discount_pct, reason_codes FROM (${sqlFile('marts/campaign_targets.sql')}) ORDER BY member_id`,
    { discountLevels: levels });
  const discount = (row: { reason_codes: string[] }) => row.reason_codes.filter((code) => code.startsWith('discount:'));
  expect(rows.map((row) => [row.member_id, row.discount_pct, discount(row)])).toEqual([
    ['A', 0, ['discount:none_for_campaign']],
    ['B', 0, ['discount:none_bought_within_14_days']],
    ['F', 10, ['discount:medium_sensitivity']], // the campaign's own 20% gives way to the level's 10%
    ['H', 5, ['discount:campaign_5_pct']],
  ]);
});

test('campaign_suppressed: one customer for each reason; a segment without a campaign is not eligible', async () => {
  const suppressed = await decide<Record<string, unknown>>(CUSTOMERS, CAMPAIGNS, PREVIOUS,
    `SELECT member_id, campaign, reason, CAST(last_contacted_on AS VARCHAR) AS last_contacted_on
     FROM (${sqlFile('marts/campaign_suppressed.sql')})`);
  expect(suppressed).toEqual([
    { member_id: 'C', campaign: 'win_back', reason: 'consent_not_given', last_contacted_on: null },
    { member_id: 'D', campaign: 'win_back', reason: 'consent_unknown', last_contacted_on: null },
    { member_id: 'E', campaign: 'win_back', reason: 'cooldown', last_contacted_on: '2024-06-27' }, // 3 days < 7
    { member_id: 'G', campaign: 'app_nudge', reason: 'no_channel', last_contacted_on: null },
    { member_id: 'K', campaign: 'app_nudge', reason: 'cooldown', last_contacted_on: '2024-06-27' }, // held out 3 days ago
  ]);
  // Unknown consent counted as given: D is reached.
  const reached = await decide<{ member_id: string }>(CUSTOMERS, CAMPAIGNS, PREVIOUS,
    `SELECT member_id FROM (${sqlFile('marts/campaign_targets.sql')}) WHERE member_id = 'D'`, { unknownConsentGiven: true });
  expect(reached).toEqual([{ member_id: 'D' }]);
});

test('campaign_plan: per segment and loyalty class, eligible = suppressed + treatment + control', async () => {
  const plan = await decide<Record<string, unknown>>(CUSTOMERS, CAMPAIGNS, PREVIOUS,
    `SELECT segment, loyalty_class, campaign, channels, cadence, discount_pct, recommendation_type, expected_response_rate,
            priority, eligible, suppressed, treatment, control, expected_revenue
     FROM (${sqlFile('marts/campaign_plan.sql')})`);
  const common = { channels: 'email+sms', cadence: 'weekly', discount_pct: 20, recommendation_type: 'win_back',
    expected_response_rate: 0.08, priority: 8, control: 0 };
  expect(plan).toEqual([
    { segment: 'Champions', loyalty_class: 'platinum', campaign: 'vip', channels: 'email+sms+push', cadence: 'weekly',
      discount_pct: 0, recommendation_type: 'premium', expected_response_rate: 0.25, priority: 10,
      eligible: 1, suppressed: 0, treatment: 1, control: 0, expected_revenue: 100 },
    // gold: B, C, E, F; C and E suppressed; revenue 1.6 from F (B has no CLV). silver: D, suppressed.
    { segment: 'At Risk', loyalty_class: 'gold', campaign: 'win_back', ...common, eligible: 4, suppressed: 2, treatment: 2, expected_revenue: 1.6 },
    { segment: 'At Risk', loyalty_class: 'silver', campaign: 'win_back', ...common, eligible: 1, suppressed: 1, treatment: 0, expected_revenue: null },
    { segment: 'Push Only', loyalty_class: 'silver', campaign: 'app_nudge', channels: 'push', cadence: 'monthly', discount_pct: 5,
      recommendation_type: 'popular', expected_response_rate: 0.1, priority: 2,
      eligible: 3, suppressed: 2, treatment: 1, control: 0, expected_revenue: 1 },
  ]);
});

/** 10,000 generated Champions with consent, no CLV and no churn probability. */
const MANY = `
  SELECT 'C' || i AS member_id, 'Champions' AS segment, 'gold' AS rfm_class, 60 AS recency_days, 10.0 AS monetary,
         true AS marketing_opt_in, 0 AS cluster, NULL::DOUBLE AS predicted_clv, NULL::DOUBLE AS churn_probability
  FROM range(10000) AS t(i)`;
const TENTH = [{ ...CAMPAIGNS[0]!, control_share: 0.1 }];
const NO_PREVIOUS = 'SELECT NULL::VARCHAR AS member_id, NULL::VARCHAR AS campaign, NULL::VARCHAR AS assignment, NULL::DATE AS run_date WHERE false';
const ASSIGNMENTS = `SELECT member_id, assignment, reason_codes FROM (${sqlFile('marts/campaign_targets.sql')}) ORDER BY member_id`;

/** The documented draw: the first 32 bits of md5(text) as a fraction of 2^32. */
const draw = (text: string) => parseInt(createHash('md5').update(text).digest('hex').slice(0, 8), 16) / 2 ** 32;

test('control assignment: the configured share within 1 point on 10k customers, the same on the next day, md5 as documented', async () => {
  type Assigned = { member_id: string; assignment: string; reason_codes: string[] };
  const first = await decide<Assigned>(MANY, TENTH, NO_PREVIOUS, ASSIGNMENTS);
  const next = await decide<Assigned>(MANY, TENTH, NO_PREVIOUS, ASSIGNMENTS, { runDate: '2024-07-01' });
  expect(first).toHaveLength(10_000);
  expect(next.map((r) => r.assignment)).toEqual(first.map((r) => r.assignment));
  const controlShare = first.filter((r) => r.assignment === 'control').length / 10_000;
  expect(Math.abs(controlShare - 0.1)).toBeLessThanOrEqual(0.01);
  for (const row of first) {
    expect(row.assignment).toBe(draw(`${row.member_id}|vip|pepper`) < 0.1 ? 'control' : 'treatment');
  }
  expect(first.find((r) => r.assignment === 'control')!.reason_codes).toContain('control:campaign_10_pct');
});

test('send_order ranks the treatment only: control customers are sent nothing and follow, by member id', async () => {
  type Ranked = { member_id: string; assignment: string; send_order: number | null };
  const rows = await decide<Ranked>(MANY, TENTH, NO_PREVIOUS, `SELECT member_id, assignment, send_order FROM (${sqlFile('marts/campaign_targets.sql')})`);
  const treatment = rows.filter((r) => r.assignment === 'treatment');
  const control = rows.filter((r) => r.assignment === 'control');
  expect(control.length).toBeGreaterThan(900);
  expect(treatment.map((r) => r.send_order)).toEqual(treatment.map((_, index) => index + 1));
  expect(rows.slice(treatment.length)).toEqual(control);
  expect(control.every((r) => r.send_order === null)).toBe(true);
  // Equal priority, no expected value, equal monetary: both lists fall back to the member id.
  for (const group of [treatment, control]) expect(group.map((r) => r.member_id)).toEqual(group.map((r) => r.member_id).sort());
});

test('no campaign configured: the campaign tables are empty and keep their columns and types', async () => {
  for (const mart of ['campaign_targets', 'campaign_suppressed', 'campaign_plan']) {
    const describe = `DESCRIBE SELECT * FROM (${sqlFile(`marts/${mart}.sql`)})`;
    const columns = await decide(CUSTOMERS, CAMPAIGNS, PREVIOUS, describe);
    expect([mart, await decide(CUSTOMERS, [], PREVIOUS, describe)]).toEqual([mart, columns]);
    const count = `SELECT CAST(count(*) AS INTEGER) AS rows FROM (${sqlFile(`marts/${mart}.sql`)})`;
    expect([mart, await decide(CUSTOMERS, [], PREVIOUS, count)]).toEqual([mart, [{ rows: 0 }]]);
  }
});

test('the global control group is held out of every campaign, its share within 1 point', async () => {
  type Assigned = { member_id: string; assignment: string; reason_codes: string[] };
  const rows = await decide<Assigned>(MANY, TENTH, NO_PREVIOUS, ASSIGNMENTS, { globalControlShare: 0.05 });
  const global = rows.filter((r) => r.reason_codes.includes('control:global'));
  expect(Math.abs(global.length / 10_000 - 0.05)).toBeLessThanOrEqual(0.01);
  for (const row of global) expect(row.assignment).toBe('control');
  expect(global.map((r) => r.member_id)).toEqual(rows.filter((r) => draw(`${r.member_id}|pepper`) < 0.05).map((r) => r.member_id));
});

test('reengagement: value at risk first, then money spent among lapsing segments, with the churn-prevention offer', async () => {
  const rows = await Warehouse.using({ timeZone: 'UTC' }, async (warehouse) => {
    await warehouse.run(`CREATE TABLE people AS ${CUSTOMERS}`);
    await warehouse.run('CREATE VIEW rfm AS SELECT member_id, segment, rfm_class, recency_days, monetary FROM people');
    await warehouse.run('CREATE VIEW clv AS SELECT member_id, predicted_clv FROM people');
    await warehouse.run('CREATE VIEW churn_features AS SELECT member_id, churn_probability FROM people');
    await warehouse.setVariable('churn_cutoff', 0.5, 'DOUBLE');
    await warehouse.setVariable('no_discount_within_days', 14, 'INTEGER');
    await warehouse.setVariable('reengagement_campaign', 'churn_prevention', 'VARCHAR');
    await warehouse.setVariable('reengagement_discount_pct', 15, 'DOUBLE');
    return warehouse.rows(`SELECT rank, member_id, value_at_risk, at_risk_by, proposed_campaign, discount_pct
                           FROM (${sqlFile('marts/reengagement.sql')})`);
  });
  expect(rows).toEqual([
    // C: 0.6 x 50 = 30; E: 0.4 x 60 = 24 (At Risk segment); D: 0.5 x 30 = 15; F: 0.3 x 20 = 6; L: 0.9 x 1.
    { rank: 1, member_id: 'C', value_at_risk: 0.6 * 50, at_risk_by: 'churn_probability', proposed_campaign: 'churn_prevention', discount_pct: 15 },
    { rank: 2, member_id: 'E', value_at_risk: 0.4 * 60, at_risk_by: 'segment', proposed_campaign: 'churn_prevention', discount_pct: 15 },
    { rank: 3, member_id: 'D', value_at_risk: 0.5 * 30, at_risk_by: 'churn_probability', proposed_campaign: 'churn_prevention', discount_pct: 15 },
    { rank: 4, member_id: 'F', value_at_risk: 0.3 * 20, at_risk_by: 'segment', proposed_campaign: 'churn_prevention', discount_pct: 15 },
    { rank: 5, member_id: 'L', value_at_risk: 0.9 * 1, at_risk_by: 'churn_probability', proposed_campaign: 'churn_prevention', discount_pct: 15 },
    // B has no lifetime value: after those with a value at risk; bought 5 days ago, so no coupon.
    { rank: 6, member_id: 'B', value_at_risk: null, at_risk_by: 'churn_probability', proposed_campaign: 'churn_prevention', discount_pct: 0 },
  ]);
});

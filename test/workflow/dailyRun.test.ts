import { promises as fs } from 'node:fs';
import os from 'node:os';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { stageRunSeconds } from '../../bench/stageRunSeconds';
import { loadConfigFile } from '../../lib/config';
import { SNAPSHOT_TABLES } from '../../activities/publish';
import { manifestPath, PART_FILE, partitionDir } from '../../lib/snapshots';
import type { SegmentationRunResult } from '../../schemas/run';
import { readParquet, sha256 } from '../support/parquet';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

/**
 * The hand-made fixture (test/fixtures/handmade) for run date 2024-06-30 in Asia/Seoul. Every expected value
 * below was worked out by hand from the CSV files; the comments show the arithmetic.
 */
const FIXTURE = path.join(__dirname, '..', 'fixtures', 'handmade');
const RUN_DATE = '2024-06-30';

let temporal: TestTemporal;
let outDir: string;
let result: SegmentationRunResult;
const table = (name: string, orderBy = 'member_id') =>
  readParquet(path.join(partitionDir(outDir, name, RUN_DATE), PART_FILE), orderBy);

beforeAll(async () => {
  temporal = await startTestTemporal();
  outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-daily-'));
  result = await temporal.run({ runDate: RUN_DATE, outDir, settings: loadConfigFile(path.join(FIXTURE, 'segflow.config.json')) });
});

afterAll(async () => {
  await temporal.stop();
  await fs.rm(outDir, { recursive: true, force: true });
});

test('every source balances: rows in = kept + quarantined + after the run date', () => {
  const counts = Object.fromEntries(
    result.sources.map((s) => [s.source, [s.rowsIn, s.rowsKept, s.rowsQuarantined, s.rowsAfterRunDate]]),
  );
  expect(counts).toEqual({
    orders: [16, 11, 4, 1], // O8 at 2024-06-30T15:30Z is 00:30 on July 1st in Seoul
    order_items: [19, 12, 6, 1], // O8's line follows its order
    members: [9, 7, 1, 1], // M7 joins on July 5th; M8's unreadable birth year is a warning, M8 is kept
    products: [3, 3, 0, 0],
    platforms: [2, 2, 0, 0],
    promotions: [2, 1, 0, 1], // PR2 starts on July 10th
    reviews: [4, 2, 1, 1], // R4 is written on July 2nd
    ga_sessions: [5, 4, 1, 0],
    marketing_spend: [7, 6, 0, 1], // the 2024-07-01 row is after the run date
    service_contacts: [6, 4, 1, 1], // C5's member M99 is unknown; C6 is on July 1st
  });
  for (const s of result.sources) expect(s.rowsIn).toBe(s.rowsKept + s.rowsQuarantined + s.rowsAfterRunDate);
});

test('every planted bad row is quarantined with its reason, severity, file, line and field', async () => {
  const quarantine = await table('quarantine', 'source, line');
  expect(quarantine.map((q) => [q.row_ref, q.reason, q.field, q.severity])).toEqual([
    ['ga_sessions.csv:5', 'unparseable_timestamp', 'session_start', 'error'],
    ['members.csv:9', 'invalid_value', 'birth_year', 'warning'],
    ['members.csv:10', 'duplicate_key', 'member_id', 'error'],
    ['order_items.csv:4', 'non_positive_price', 'unit_price', 'error'],
    ['order_items.csv:7', 'zero_quantity', 'quantity', 'error'],
    ['order_items.csv:10', 'unknown_product', 'product_id', 'error'],
    ['order_items.csv:18', 'duplicate_row', null, 'error'],
    ['order_items.csv:19', 'order_quarantined', 'order_id', 'error'],
    ['order_items.csv:20', 'unknown_order', 'order_id', 'error'],
    ['orders.csv:14', 'duplicate_row', null, 'error'],
    ['orders.csv:15', 'missing_member', 'member_id', 'error'],
    ['orders.csv:16', 'unparseable_timestamp', 'ordered_at', 'error'],
    ['orders.csv:17', 'unknown_member', 'member_id', 'error'],
    ['reviews.jsonl:3', 'invalid_rating', 'rating', 'error'],
    ['service_contacts.csv:5', 'invalid_value', 'satisfaction', 'warning'],
    ['service_contacts.csv:6', 'unknown_member', 'member_id', 'error'],
  ]);
  const detail = (ref: string) => quarantine.find((q) => q.row_ref === ref)!.detail;
  expect(detail('orders.csv:16')).toBe("cannot read 'not a date' as a timestamp");
  expect(detail('orders.csv:14')).toBe('exact duplicate of orders.csv:4');
  expect(detail('members.csv:10')).toBe("member_id 'M2' appears again; the row kept is members.csv:3");
  expect(detail('order_items.csv:19')).toBe('its order was quarantined (orders.csv:16)');
});

test('recency, frequency, monetary, scores and segments match the hand computation', async () => {
  // recency: days from the last purchase's Seoul date to 2024-06-30. M4 bought at 23:30 on the run date;
  // M6's 2023-12-31T20:00-05:00 is 2024-01-01 10:00 in Seoul. M5: O9 cancelled (counts nothing), O10 = 10 + 25,
  // O11 returns one P2 (-25), so monetary 10 and one purchase. n = 6, so ranks 1..6 fall in quintiles 1,1,2,3,4,5.
  const rfm = await table('rfm');
  expect(rfm.map((r) => [r.member_id, r.recency_days, r.frequency, r.monetary, r.rfm_cell, r.rfm_score, r.segment])).toEqual([
    ['M1', 1, 3, 65, '555', 15, 'Champions'],
    ['M2', 29, 2, 60, '444', 12, 'Champions'],
    ['M3', 167, 1, 5, '211', 4, 'Lost'],
    ['M4', 0, 1, 30, '512', 8, 'New Customers'],
    ['M5', 80, 1, 10, '321', 6, 'Promising'],
    ['M6', 181, 1, 50, '133', 7, 'At Risk'],
  ]);
  expect(result.segments).toEqual([
    { segment: 'Champions', customers: 2 },
    { segment: 'At Risk', customers: 1 },
    { segment: 'Lost', customers: 1 },
    { segment: 'New Customers', customers: 1 },
    { segment: 'Promising', customers: 1 },
  ]);
});

test('RFM classes, segment summary and Pareto figure match the hand computation', async () => {
  // Scores 4, 6, 7, 8, 12, 15: qcut's tercile edges are 6 + 2/3 and 8 + 4/3 = 9 1/3.
  const rfm = await table('rfm');
  expect(rfm.map((r) => [r.member_id, r.rfm_class])).toEqual([
    ['M1', 'platinum'], ['M2', 'platinum'], ['M3', 'silver'], ['M4', 'gold'], ['M5', 'silver'], ['M6', 'gold'],
  ]);
  const segments = await table('rfm_segments', 'revenue DESC, segment');
  expect(segments[0]).toEqual({
    segment: 'Champions',
    customers: 2,
    customer_share: 2 / 6,
    mean_recency_days: 15,
    mean_frequency: 2.5,
    mean_monetary: 62.5,
    revenue: 125,
    revenue_share: 125 / 220,
  });
  expect(segments.map((s) => s.segment)).toEqual(['Champions', 'At Risk', 'New Customers', 'Promising', 'Lost']);
  const manifest = JSON.parse(await fs.readFile(manifestPath(outDir, RUN_DATE), 'utf8'));
  // The top 20% of 6 customers is 2 (M1 and M2): 125 of 220.
  expect(manifest.statistics.paretoTop20RevenueShare).toBeCloseTo(125 / 220, 12);
  expect(manifest.statistics.nonPositiveMonetary).toEqual({ customers: 0, revenue: 0 });
});

test('customers integrate members, orders, reviews, sessions, products and platforms as of the run date', async () => {
  const customers = await table('customers');
  // M7 has not joined yet; M8 has bought nothing but is a member, with no birth year (its 'abc' was warned about).
  expect(customers.map((c) => c.member_id)).toEqual(['M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M8']);
  expect(customers[6]).toMatchObject({ birth_year: null, age_band: 'unknown', gender: 'female', orders_count: 0, marketing_opt_in: true });
  const m1 = customers[0]!;
  expect(m1).toMatchObject({
    orders_count: 3,
    net_revenue: 65,
    revenue: 65, // the net definition, the default
    avg_order_value: 65 / 3,
    favorite_category: 'Toys', // 25 on Toys against 20 on Books and 20 on Food
    promo_order_share: 1 / 3,
    preferred_platform: 'Web shop',
    review_count: 1, // R3's rating of 7 is quarantined
    avg_rating: 5,
    ga_sessions_30d: 2, // S1 and S5; S2 is anonymous
    age_band: '30s',
    marketing_opt_in: true,
  });
  expect(customers[4]).toMatchObject({ member_id: 'M5', gross_revenue: 35, returned_amount: 25, net_revenue: 10, revenue: 10, marketing_opt_in: null });
});

test("the acquisition channel is the member's own, else their first GA session's", async () => {
  const customers = await table('customers');
  // M1 has none in members: of its sessions S5 (06-15, email / newsletter) comes before S1 (06-28, google /
  // organic), and the medium newsletter is the channel email. M2's ' Paid_Search ' and M6's 'ORGANIC' are
  // trimmed and lower-cased. M3 has neither a channel nor a session; M4's only session is quarantined.
  expect(customers.map((c) => [c.member_id, c.acquisition_channel, c.acquisition_channel_source])).toEqual([
    ['M1', 'email', 'first_ga_session'],
    ['M2', 'paid_search', 'members'],
    ['M3', null, null],
    ['M4', 'referral', 'members'],
    ['M5', 'paid_search', 'members'],
    ['M6', 'organic', 'members'],
    ['M8', 'email', 'members'],
  ]);
});

test('channel_kpis: CAC, lifetime value, LTV / CAC and payback per acquisition channel match the hand computation', async () => {
  const kpis = await table('channel_kpis', 'channel NULLS LAST, period DESC, month');
  const row = (channel: string | null, month: string | null) =>
    kpis.find((k) => k.channel === channel && (month === null ? k.period === 'total' : (k.month as Date | null)?.toISOString().startsWith(month)))!;
  const predicted = Object.fromEntries((await table('clv')).map((c) => [c.member_id, c.predicted_clv as number]));

  // paid_search: M2 first bought on 03-01 (revenue 60, 121 days to the run date), M5 on 04-11 (revenue 10, 80 days).
  // March: spend 90 for M2: CAC 90, LTV / CAC 60 / 90; M2's months as a customer are (121 + 1) / 30, so the monthly
  // revenue is 60 × 30 / 122 and the payback 90 / (60 × 30 / 122) = 6.1 months.
  expect(row('paid_search', '2024-03')).toMatchObject({ period: 'month', is_paid: true, new_customers: 1, spend: 90, cac: 90, revenue: 60, historic_ltv: 60 });
  expect(row('paid_search', '2024-03').ltv_to_cac).toBeCloseTo(60 / 90, 12);
  expect(row('paid_search', '2024-03').monthly_revenue_per_customer).toBeCloseTo((60 * 30) / 122, 12);
  expect(row('paid_search', '2024-03').payback_months).toBeCloseTo(6.1, 12);
  // April: the day rows 04-01 (40) and 04-15 ('Paid_Search', 20) are one channel: CAC 60 for M5.
  expect(row('paid_search', '2024-04')).toMatchObject({ new_customers: 1, spend: 60, cac: 60, historic_ltv: 10 });
  // June: spend 60 and nobody new, so no CAC; the July row is after the run date.
  expect(row('paid_search', '2024-06')).toMatchObject({ new_customers: 0, spend: 60, cac: null, historic_ltv: null, payback_months: null });
  // In total: spend 90 + 60 + 60 = 210 for 2 customers, CAC 105; LTV (60 + 10) / 2 = 35, LTV / CAC 1/3; monthly
  // revenue 70 × 30 / (122 + 81), payback 105 × 203 / 2100 = 10.15 months.
  const paidSearch = row('paid_search', null);
  expect(paidSearch).toMatchObject({ month: null, is_paid: true, new_customers: 2, spend: 210, cac: 105, revenue: 70, historic_ltv: 35 });
  expect(paidSearch.ltv_to_cac).toBeCloseTo(1 / 3, 12);
  expect(paidSearch.monthly_revenue_per_customer).toBeCloseTo((70 * 30) / 203, 12);
  expect(paidSearch.payback_months).toBeCloseTo(10.15, 12);
  expect(paidSearch.predicted_clv).toBeCloseTo((predicted.M2! + predicted.M5!) / 2, 9);
  // M1 came through email (its first session): May's spend 30, revenue 65 over (60 + 1) days.
  expect(row('email', null)).toMatchObject({ new_customers: 1, spend: 30, cac: 30, historic_ltv: 65 });
  expect(row('email', null).payback_months).toBeCloseTo(30 / ((65 * 30) / 61), 12);
  // organic is unpaid: CAC 0 whatever it spent, no ratio, no payback. M6 first bought on 2024-01-01.
  expect(row('organic', null)).toMatchObject({ is_paid: false, new_customers: 1, spend: 10, cac: 0, historic_ltv: 50, ltv_to_cac: null, payback_months: null });
  expect(row('organic', '2024-01')).toMatchObject({ new_customers: 1, spend: null, cac: 0 });
  // M3's channel is unknown: its own rows, without CAC.
  expect(row(null, null)).toMatchObject({ is_paid: null, new_customers: 1, cac: null, historic_ltv: 5 });
  expect(kpis.map((k) => [k.channel, k.period])).toEqual([
    ['email', 'total'], ['email', 'month'],
    ['organic', 'total'], ['organic', 'month'], ['organic', 'month'],
    ['paid_search', 'total'], ['paid_search', 'month'], ['paid_search', 'month'], ['paid_search', 'month'],
    ['referral', 'total'], ['referral', 'month'],
    [null, 'total'], [null, 'month'],
  ]);
});

test('clusters, churn features and campaign targets cover every buyer', async () => {
  const clusters = await table('clusters');
  expect(clusters).toHaveLength(6);
  expect(new Set(clusters.map((c) => c.cluster))).toEqual(new Set([0, 1]));
  expect(result.clusters.reduce((sum, c) => sum + c.customers, 0)).toBe(6);

  // The fixture configures k = 2, so there is no search: one candidate, chosen, with its silhouette.
  const selection = await table('cluster_selection', 'k');
  const { clustering } = JSON.parse(await fs.readFile(manifestPath(outDir, RUN_DATE), 'utf8')).statistics;
  expect(selection).toEqual([
    { k: 2, inertia: clustering.inertia, silhouette: clustering.candidates[0].silhouette, chosen: true, fit_rows: 6, silhouette_rows: 6 },
  ]);
  expect(clustering).toMatchObject({ k: 2, selection: 'configured', fitRows: 6 });
  expect(clustering.features.map((f: { name: string }) => f.name)).toEqual([
    'log_recency', 'log_frequency', 'log_monetary', 'avg_order_value', 'purchase_consistency',
    'review_count', 'avg_rating', 'promo_order_share', 'ga_sessions_30d',
  ]);
  const chosen = selection;

  const profiles = await table('cluster_profiles', 'cluster, feature');
  const features = ['avg_order_value', 'avg_rating', 'frequency', 'ga_sessions_30d', 'monetary', 'promo_order_share',
    'purchase_consistency', 'recency_days', 'review_count'];
  expect(profiles).toHaveLength(features.length * (chosen[0]!.k as number));
  const monetary = profiles.filter((p) => p.feature === 'monetary');
  // Cluster 0 is the most valuable, and every level follows seed 000's ratio to the overall mean (220 / 6).
  expect(monetary.map((p) => p.mean)).toEqual([...monetary.map((p) => p.mean as number)].sort((a, b) => b - a));
  for (const profile of monetary) {
    expect(profile.overall_mean).toBeCloseTo(220 / 6, 12);
    const ratio = (profile.mean as number) / (220 / 6);
    const level = ratio > 1.5 ? 'Very High' : ratio > 1.2 ? 'High' : ratio > 0.8 ? 'Average' : ratio > 0.5 ? 'Low' : 'Very Low';
    expect(profile.level).toBe(level);
  }

  const crosstab = await table('cluster_segment_crosstab', 'cluster, segment');
  expect(crosstab.reduce((sum, row) => sum + (row.customers as number), 0)).toBe(6);
  const champions = crosstab.filter((row) => row.segment === 'Champions');
  expect(champions.reduce((sum, row) => sum + (row.share_of_segment as number), 0)).toBeCloseTo(1, 12);

  const churn = await table('churn_features');
  const m1 = churn.find((c) => c.member_id === 'M1')!;
  // M1 bought on 05-01, 06-20 and 06-29: gaps of 50 and 9 days; risk 1 - exp(-1 / 29.5).
  expect(m1).toMatchObject({ days_since_last_purchase: 1, purchase_days: 3, mean_gap_days: 29.5, orders_last_30d: 2 });
  expect(m1.gap_std_days).toBeCloseTo(Math.SQRT2 * 20.5, 9);
  expect(m1.churn_risk).toBeCloseTo(1 - Math.exp(-1 / 29.5), 6);
  expect(churn.find((c) => c.member_id === 'M6')!.is_inactive).toBe(true); // 181 days > 90
  // Service contacts after 2024-04-01 (the last 90 days): M1's C1 (06-25, 2.5) and C2 (05-10, 4, a repeat); C3 on
  // 03-01 is older and C6 is after the run date. M2's C4 counts, its satisfaction of 7 does not.
  expect(m1).toMatchObject({ service_contacts_90d: 2, mean_satisfaction_90d: 3.25, repeat_contacts_90d: 1 });
  expect(churn.find((c) => c.member_id === 'M2')).toMatchObject({ service_contacts_90d: 1, mean_satisfaction_90d: null, repeat_contacts_90d: 1 });
  expect(churn.find((c) => c.member_id === 'M3')).toMatchObject({ service_contacts_90d: 0, mean_satisfaction_90d: null, repeat_contacts_90d: 0 });
  // Six customers are too few for lifetime value's models and the churn model: both say so, and the churn
  // probability is the heuristic's.
  const { churn: churnStatistics } = JSON.parse(await fs.readFile(manifestPath(outDir, RUN_DATE), 'utf8')).statistics;
  expect(churnStatistics).toMatchObject({ method: 'heuristic', model: null });
  expect(churnStatistics.fallbackReasons[0]).toBe(
    "training has 1 churned and 0 retained customers, fewer than churn.minClassRows 20 of each",
  );
  for (const row of churn) expect(row).toMatchObject({ churn_method: 'heuristic', churn_probability: row.churn_risk, p_alive: null });
  expect(await table('churn_model', 'feature')).toEqual([]);
  expect(await table('model_metrics', 'model, metric')).toEqual([]);

  const targets = await table('campaign_targets', 'send_order');
  const clv = await table('clv');
  const predicted = (member: string) => clv.find((c) => c.member_id === member)!.predicted_clv as number | null;
  const probability = (member: string) => churn.find((c) => c.member_id === member)!.churn_probability;
  // The control draw as the README defines it: the first 32 bits of md5(member|campaign|salt) over 2^32, below 10%.
  const assignment = (member: string, campaign: string) =>
    parseInt(createHash('md5').update(`${member}|${campaign}|segflow`).digest('hex').slice(0, 8), 16) / 2 ** 32 < 0.1
      ? 'control' : 'treatment';
  const expectedValue = (rate: number, member: string) => (predicted(member) === null ? null : rate * predicted(member)!);
  // M3 and M6 opted out, M5's consent is unknown (counted as not given): suppressed. Champions have priority
  // 10 x (1 + 2/1000) -> 10, New Customers 3 x (1 + 1/1000) -> 3. M1 bought 1 day ago and M4 today, within
  // 14 days: no discount (M4's welcome_series would give 10%). M1 and M2 ordered through the Mobile app
  // (platform type app), so push reaches them; M4 only used the Web shop, and welcome_series is email only.
  expect(targets.map(({ send_order, ...t }) => t)).toEqual(
    expect.arrayContaining([
      { member_id: 'M1', segment: 'Champions', cluster: clusters.find((c) => c.member_id === 'M1')!.cluster, loyalty_class: 'platinum',
        campaign: 'vip_exclusive_benefits', channel: 'email+sms+push', discount_pct: 0, priority: 10,
        expected_value: expectedValue(0.25, 'M1'), churn_probability: probability('M1'),
        reason_codes: ['segment:Champions', 'loyalty_class:platinum', 'campaign_of_segment:vip_exclusive_benefits',
          'discount:none_bought_within_14_days', ...(assignment('M1', 'vip_exclusive_benefits') === 'control' ? ['control:campaign_10_pct'] : [])],
        assignment: assignment('M1', 'vip_exclusive_benefits') },
      { member_id: 'M2', segment: 'Champions', cluster: clusters.find((c) => c.member_id === 'M2')!.cluster, loyalty_class: 'platinum',
        campaign: 'vip_exclusive_benefits', channel: 'email+sms+push', discount_pct: 0, priority: 10,
        expected_value: expectedValue(0.25, 'M2'), churn_probability: probability('M2'),
        reason_codes: ['segment:Champions', 'loyalty_class:platinum', 'campaign_of_segment:vip_exclusive_benefits',
          'discount:none_for_campaign', ...(assignment('M2', 'vip_exclusive_benefits') === 'control' ? ['control:campaign_10_pct'] : [])],
        assignment: assignment('M2', 'vip_exclusive_benefits') },
      { member_id: 'M4', segment: 'New Customers', cluster: clusters.find((c) => c.member_id === 'M4')!.cluster, loyalty_class: 'gold',
        campaign: 'welcome_series', channel: 'email', discount_pct: 0, priority: 3,
        expected_value: expectedValue(0.12, 'M4'), churn_probability: probability('M4'),
        reason_codes: ['segment:New Customers', 'loyalty_class:gold', 'campaign_of_segment:welcome_series',
          'discount:none_bought_within_14_days', ...(assignment('M4', 'welcome_series') === 'control' ? ['control:campaign_10_pct'] : [])],
        assignment: assignment('M4', 'welcome_series') },
    ]),
  );
  // send_order ranks the treatment alone, Champions (priority 10) before New Customers (3); control is not sent.
  const ranked = targets.filter((t) => t.assignment === 'treatment');
  expect(ranked.map((t) => t.send_order)).toEqual(ranked.map((_, index) => index + 1));
  expect(ranked.map((t) => t.priority)).toEqual(ranked.map((t) => t.priority as number).sort((a, b) => b - a));
  const controls = [['M1', 'vip_exclusive_benefits'], ['M2', 'vip_exclusive_benefits'], ['M4', 'welcome_series']]
    .filter(([member, campaign]) => assignment(member!, campaign!) === 'control')
    .map(([member]) => member);
  expect(targets.filter((t) => t.send_order === null).map((t) => t.member_id)).toEqual(controls);
  expect(await table('campaign_suppressed')).toEqual([
    { member_id: 'M3', segment: 'Lost', loyalty_class: 'silver', campaign: 'last_chance_reactivation', reason: 'consent_not_given', last_contacted_on: null },
    { member_id: 'M5', segment: 'Promising', loyalty_class: 'silver', campaign: 'second_purchase_nudge', reason: 'consent_unknown', last_contacted_on: null },
    { member_id: 'M6', segment: 'At Risk', loyalty_class: 'gold', campaign: 'win_back', reason: 'consent_not_given', last_contacted_on: null },
  ]);
  const plan = await table('campaign_plan', 'priority DESC, segment, loyalty_class');
  expect(plan.map((p) => [p.segment, p.loyalty_class, p.priority, p.eligible, p.suppressed, (p.treatment as number) + (p.control as number)])).toEqual([
    ['Champions', 'platinum', 10, 2, 0, 2],
    ['At Risk', 'gold', 8, 1, 1, 0], // 8 x 1.001
    ['New Customers', 'gold', 3, 1, 0, 1],
    ['Promising', 'silver', 2, 1, 1, 0],
    ['Lost', 'silver', 1, 1, 1, 0],
  ]);
  // Every row is at risk: churn probability at churn.campaignCutoff (0.5) or more, or a lapsing segment (M6, At Risk).
  const reengagement = await table('reengagement', 'rank');
  for (const row of reengagement) {
    expect((row.churn_probability as number) >= 0.5 || ['At Risk', 'Cannot Lose Them', 'About to Sleep'].includes(row.segment as string)).toBe(true);
  }
  expect(reengagement.map((r) => r.member_id)).toContain('M6');
});

test('age bands as of the run date, and the women aged 20 to 39 with the campaign that reaches them', async () => {
  // 2024 − birth year: M3 is 23, M1 34, M2 39, M4 46, M6 62; M5 and M8 have no birth year. Revenue as in rfm.
  const bands = await table('age_band_profile', 'age_band');
  expect(bands.map((b) => [b.age_band, b.customers, b.revenue])).toEqual([
    ['20s', 1, 5], ['30s', 2, 125], ['40s', 1, 30], ['50+', 1, 50], ['unknown', 2, 10],
  ]);
  const cells = await table('gender_age_profile', 'gender, age_band');
  expect(cells.find((c) => c.gender === 'male' && c.age_band === '30s')).toMatchObject({ customers: 1, revenue: 60 }); // M2
  // M1 (F, 34) is in vip_exclusive_benefits' control group: md5('M1|vip_exclusive_benefits|segflow') gives 0.079 < 0.1.
  // M3 (F, 23) declined marketing, so no campaign reaches her. M5 and M8 are women of unknown age.
  const women = await table('target_women_2030');
  expect(women.map((w) => [w.member_id, w.age, w.campaign, w.assignment])).toEqual([
    ['M1', 34, 'vip_exclusive_benefits', 'control'],
    ['M3', 23, null, null],
  ]);
});

test('discount sensitivity: too little history for the model, so no probability and no level; the promotion figures by hand', async () => {
  const { discountSensitivity } = JSON.parse(await fs.readFile(manifestPath(outDir, RUN_DATE), 'utf8')).statistics;
  // Training features as of 2024-01-02 (D − 180) with labels to 2024-04-01: only M6 had bought, and not since.
  // Evaluation as of 2024-04-01: M2, M3 and M6 had bought; only M2 again (O4, no promotion).
  expect(discountSensitivity).toMatchObject({
    method: 'unavailable',
    model: null,
    trainingAsOf: '2024-01-02',
    evaluationAsOf: '2024-04-01',
    seed004: { accuracy: 0.82, f1: 0.77, auc: 0.85 },
    segmentsByLevel: {},
    fallbackReasons: [
      'training has 0 discount-sensitive and 0 insensitive customers, fewer than discountSensitivity.minClassRows 20 of each',
      'evaluation has 0 discount-sensitive and 1 insensitive customers, fewer than discountSensitivity.minClassRows 20 of each',
    ],
  });
  const customers = await table('discount_sensitivity');
  expect(customers.map((c) => [c.member_id, c.discount_probability, c.is_discount_sensitive, c.discount_method])).toEqual(
    ['M1', 'M2', 'M3', 'M4', 'M5', 'M6'].map((member) => [member, null, null, 'unavailable']),
  );
  // M1: O1 (PR1, 10%), O2, O3: a third on promotion.
  expect(customers[0]).toMatchObject({ purchase_orders: 3, promo_order_share: 1 / 3, mean_promo_discount_pct: 10 });
  const champions = (await table('discount_levels', 'segment')).find((s) => s.segment === 'Champions');
  // M1's three orders and M2's O4 and O5 (O15 was quarantined): one of five on promotion. PR1 ran in June: M1 (O1,
  // O2) and M2 (O4) bought then; M1 used it. No probability, so no level: campaigns keep their own discounts.
  expect(champions).toEqual({
    segment: 'Champions', customers: 2, orders: 5, promo_orders: 1, promo_order_share: 1 / 5, eligible_customers: 2,
    redeeming_customers: 1, redemption_rate: 0.5, mean_discount_probability: null, sensitive_customers: 0,
    discount_level: null, recommended_discount_pct: null, discount_method: 'unavailable',
  });
});

test('baskets, recommendations, cohorts and sales trends from the run date\'s purchases', async () => {
  // Purchase baskets by the end of 06-30 in Seoul: O1 {P1}, O2 {P2}, O3 {P3}, O4 {P2}, O5 {P1}, O6 {P3}, O7 {P1},
  // O10 {P1, P2}, O12 {P1} (9; the fixture's config lowers support to 0.1 and confidence to 0.2). P1 is in 5, P2 in 3,
  // both in 1: P2 → P1 has support 1/9, confidence 1/3 and lift (1/3) / (5/9) = 0.6.
  const rules = await table('association_rules', 'scope, cluster, antecedent_1, consequent_1');
  const p2ToP1 = rules.find((r) => r.scope === 'all' && r.antecedent_1 === 'P2' && r.consequent_1 === 'P1');
  expect(p2ToP1?.support).toBeCloseTo(1 / 9, 12);
  expect(p2ToP1?.confidence).toBeCloseTo(1 / 3, 12);
  expect(p2ToP1?.lift).toBeCloseTo(0.6, 12);
  // M4 (cluster 1: M2 to M6) bought P1 only. P2 was bought by 2 of the 5, and cluster 1's P1 → P2 (4 of its 6
  // baskets hold P1, one of them P2 too) adds 0.25; P3, bought by M3 alone, is merely popular.
  const recommendations = await table('recommendations', 'member_id, recommendation_rank');
  expect(recommendations.filter((r) => r.member_id === 'M4').map((r) => [r.product_id, r.score, r.reason])).toEqual([
    ['P2', 0.65, 'bought_with:P1'],
    ['P3', 0.2, 'popular_in_cluster'],
  ]);
  // M1's cohort is May (O3, 4 × 5); in June M1 bought O1 (20) and O2 (25): 65 per customer so far.
  const cohorts = await table('cohort_retention', 'cohort_month, cohort_month_number');
  const may = cohorts.find((c) => (c.cohort_month as Date).toISOString().startsWith('2024-05-01') && c.cohort_month_number === 1);
  expect(may).toMatchObject({
    cohort_size: 1,
    active_customers: 1,
    retention_rate: 1,
    orders: 2,
    revenue: 45,
    cumulative_revenue_per_customer: 65,
  });
  // O7 was placed on Sunday 06-30 at 23:30 in Seoul (14:30 UTC): 3 × P1 at 10.
  const trends = await table('sales_trends', 'breakdown, weekday, hour');
  expect(trends.find((t) => t.breakdown === 'weekday_hour' && t.weekday === 7 && t.hour === 23)).toMatchObject({
    orders: 1,
    quantity: 3,
    revenue: 30,
  });
});

test('the manifest records inputs with hashes, every table with its columns, and each stage time', async () => {
  const manifest = JSON.parse(await fs.readFile(manifestPath(outDir, RUN_DATE), 'utf8'));
  expect(manifest.runDate).toBe(RUN_DATE);
  expect(manifest.workflowId).toBe(`segflow-run-${RUN_DATE}`);
  expect(manifest.runId).toBe(result.runId);
  expect(manifest.code.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(manifest.inputs.find((i: { source: string }) => i.source === 'orders')).toMatchObject({
    rowsIn: 16,
    sha256: sha256(path.join(FIXTURE, 'orders.csv')),
  });
  expect(Object.keys(manifest.tables).sort()).toEqual(Object.keys(SNAPSHOT_TABLES).sort());
  expect(manifest.tables.rfm.rows).toBe(6);
  expect(manifest.tables.rfm.columns).toEqual(
    expect.arrayContaining([
      { name: 'member_id', type: 'VARCHAR' },
      { name: 'monetary', type: 'DOUBLE' },
      { name: 'r_score', type: 'INTEGER' },
    ]),
  );
  expect(manifest.stages.map((s: { stage: string }) => s.stage)).toEqual([
    'ingest', 'clean', 'point in time', 'customer features', 'rfm', 'lifetime value', 'churn', 'discount sensitivity', 'model metrics',
    'sales kpis', 'cluster', 'baskets', 'campaigns', 'demographics', 'segment transitions', 'publish',
  ]);
  // No DECIMAL columns anywhere: money is DOUBLE so that every reader agrees.
  for (const entry of Object.values(manifest.tables) as { columns: { type: string }[] }[]) {
    for (const column of entry.columns) expect(column.type).not.toMatch(/DECIMAL/);
  }
});

test('the run leaves no staging folder behind, not even an empty one', async () => {
  await expect(fs.readdir(outDir)).resolves.not.toContain('_staging');
});

test('a rerun of the same date gives the same snapshot, file for file', async () => {
  const files = Object.keys(SNAPSHOT_TABLES).map((name) => path.join(partitionDir(outDir, name, RUN_DATE), PART_FILE));
  const before = files.map(sha256);
  const rerun = await temporal.run({ runDate: RUN_DATE, outDir, settings: loadConfigFile(path.join(FIXTURE, 'segflow.config.json')) });
  expect(rerun.runId).not.toBe(result.runId);
  expect(files.map(sha256)).toEqual(before);
});

test("the run's history holds paths and counts, never customer rows", async () => {
  const handle = temporal.client.workflow.getHandle(`segflow-run-${RUN_DATE}`, result.runId);
  const history = await handle.fetchHistory();
  const payloadText: string[] = [];
  const collect = (value: unknown): void => {
    if (value instanceof Uint8Array) payloadText.push(Buffer.from(value).toString('utf8'));
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(history);
  const text = payloadText.join('\n');
  expect(text).toContain('"runDate":"2024-06-30"'); // the payloads are really decoded
  // Values that exist only inside data rows: member ids, regions, product names, a traffic source.
  for (const value of ['"M1"', '"M4"', 'Incheon', 'Gwangju', 'Notebook', 'naver / cpc', 'Robot']) {
    expect(text).not.toContain(value);
  }
  // What is left is configuration, which every activity's input carries (about 6 KB a stage), and small statistics.
  expect(text.length).toBeLessThan(200_000);
});

test("the benchmark's stage seconds on the worker, from the history: every stage's, within the workflow's own", async () => {
  const history = await temporal.client.workflow.getHandle(`segflow-run-${RUN_DATE}`, result.runId).fetchHistory();
  const ran = stageRunSeconds(history);
  expect(Object.keys(ran).sort()).toEqual(result.stages.map((s) => s.stage).sort());
  for (const { stage, seconds } of result.stages) {
    // The workflow's seconds run from scheduling to the next workflow task, so they hold the worker's and more.
    expect(ran[stage]).toBeGreaterThan(0);
    expect(ran[stage]).toBeLessThanOrEqual(seconds + 0.001);
  }
});

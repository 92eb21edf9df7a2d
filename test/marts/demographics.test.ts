import { genderValueRows } from '../../activities/customerFeatures';
import { createValuesTable } from '../../activities/tableBuilder';
import { Warehouse, type Row } from '../../lib/duckdb';
import { sqlFile } from '../../lib/sqlFile';
import { DEFAULT_GENDER_VALUES, type GenderValues } from '../../schemas/config';

/**
 * Gender and age as customers.sql defines them, and the demographics stage's tables built on them
 * (sql/models/demographic_cells.sql, age_band_profile, gender_age_profile, target_women_2030), on hand-made
 * members and orders, run date 2024-06-30 (ages are 2024 − birth year), without Temporal.
 */
const MEMBERS = `
  SELECT member_id, CAST(NULL AS TIMESTAMPTZ) AS joined_at, birth_year, gender, NULL AS region, true AS marketing_opt_in,
    NULL::VARCHAR AS acquisition_channel
  FROM (VALUES
    ('W19', 2005, 'F'),       -- 19: 10s
    ('W20', 2004, '여'),      -- 20: 20s, Korean for female
    ('W33', 1991, 'Female'),  -- 33: 30s, no orders
    ('W39', 1985, 'FEMALE'),  -- 39: 30s, any case
    ('W40', 1984, 'woman'),   -- 40: 40s
    ('M25', 1999, 'Male'),    -- 25: 20s
    ('U30', 1994, 'X'),       -- 30: 30s, a value no gender lists
    ('NB', NULL, 'f'),        -- no birth year: unknown age
    ('FUT', 2025, NULL)       -- born after the run date's year: unknown age; no gender
  ) AS t(member_id, birth_year, gender)`;

// Purchase lines (is_purchase) and one return (O4, U30's -20 of Food). Products: P1 Books, P2 Toys, P3 Beauty,
// P4 Food. Platforms: PL1 App, PL2 Web shop. PR1 is a promotion.
const ORDER_LINES = `
  SELECT order_id, member_id, CAST(order_date AS TIMESTAMPTZ) AS ordered_at, CAST(order_date AS DATE) AS order_date,
         platform_id, promotion_id, product_id, amount > 0 AS is_purchase, amount AS net_amount, amount AS revenue
  FROM (VALUES
    ('O1', 'W39', '2024-06-01', 'PL1', 'PR1', 'P3', 40.0),
    ('O1', 'W39', '2024-06-01', 'PL1', 'PR1', 'P1', 10.0),
    ('O2', 'W39', '2024-06-20', 'PL2', NULL, 'P3', 30.0),
    ('O3', 'U30', '2024-05-01', 'PL2', NULL, 'P4', 50.0),
    ('O4', 'U30', '2024-05-10', 'PL2', NULL, 'P4', -20.0),
    ('O5', 'W20', '2024-06-28', 'PL1', 'PR1', 'P2', 25.0),
    ('O6', 'M25', '2024-03-15', 'PL2', NULL, 'P1', 60.0),
    ('O7', 'W19', '2024-06-10', 'PL1', NULL, 'P3', 15.0),
    ('O8', 'W40', '2024-01-05', 'PL2', NULL, 'P4', 100.0),
    ('O9', 'NB', '2024-06-29', 'PL1', NULL, 'P2', 5.0)
  ) AS t(order_id, member_id, order_date, platform_id, promotion_id, product_id, amount)`;

const PRODUCTS = `SELECT * FROM (VALUES ('P1', 'Books'), ('P2', 'Toys'), ('P3', 'Beauty'), ('P4', 'Food')) AS t(product_id, category)`;
const PLATFORMS = `SELECT * FROM (VALUES ('PL1', 'App'), ('PL2', 'Web shop')) AS t(platform_id, platform_name)`;

// Scores of the buyers as the rfm stage would give them; recency, frequency and monetary agree with the lines
// (W39: last bought 06-20, 10 days before the run date, 2 orders, 40 + 10 + 30 = 80; U30: 05-01, 60 days, 1
// order, 50 − 20 = 30).
const RFM = `
  SELECT * FROM (VALUES
    ('W39', 10, 2, 80.0, 5, 4, 4, 'Loyal Customers'),
    ('U30', 60, 1, 30.0, 2, 2, 3, 'Hibernating'),
    ('W20', 2, 1, 25.0, 5, 1, 2, 'New Customers'),
    ('M25', 107, 1, 60.0, 1, 1, 3, 'Lost'),
    ('W19', 20, 1, 15.0, 4, 1, 1, 'Need Attention'),
    ('W40', 177, 1, 100.0, 1, 1, 5, 'Hibernating'),
    ('NB', 1, 1, 5.0, 5, 1, 1, 'New Customers')
  ) AS t(member_id, recency_days, frequency, monetary, r_score, f_score, m_score, segment)`;

const CAMPAIGN_TARGETS = `
  SELECT * FROM (VALUES ('W20', 'welcome_series', 'treatment'), ('W39', 'loyalty_cross_sell', 'control'), ('M25', 'reactivation', 'treatment'))
  AS t(member_id, campaign, assignment)`;

/**
 * Builds customers (customers.sql) from MEMBERS and `orderLines` with `genderValues`, the demographic cells over
 * it, then runs `query`.
 */
async function demographics<T extends Row>(
  query: string,
  genderValues: GenderValues = DEFAULT_GENDER_VALUES,
  orderLines: string = ORDER_LINES,
): Promise<T[]> {
  return Warehouse.using({ timeZone: 'UTC' }, async (warehouse) => {
    await warehouse.run(sqlFile('aggregates.sql'));
    await warehouse.run(`CREATE VIEW members AS ${MEMBERS}`);
    await warehouse.run(`CREATE VIEW order_lines AS ${orderLines}`);
    await warehouse.run(`CREATE VIEW products AS ${PRODUCTS}`);
    await warehouse.run(`CREATE VIEW platforms AS ${PLATFORMS}`);
    await warehouse.run('CREATE VIEW reviews AS SELECT NULL::VARCHAR AS member_id, NULL::BIGINT AS rating WHERE false');
    await warehouse.run(`CREATE VIEW ga_sessions AS SELECT NULL::VARCHAR AS session_id, NULL::VARCHAR AS member_id,
      NULL::TIMESTAMPTZ AS session_start, NULL::VARCHAR AS traffic_source WHERE false`);
    await warehouse.run('CREATE TABLE ga_mediums (medium VARCHAR, channel VARCHAR)');
    await createValuesTable(warehouse, 'gender_values', genderValueRows(genderValues));
    await warehouse.setVariable('run_date', '2024-06-30', 'DATE');
    for (const source of ['members', 'products', 'platforms']) await warehouse.setVariable(`has_${source}`, true, 'BOOLEAN');
    for (const source of ['reviews', 'ga_sessions']) await warehouse.setVariable(`has_${source}`, false, 'BOOLEAN');
    await warehouse.run(`CREATE TABLE customers AS ${sqlFile('marts/customers.sql')}`);
    await warehouse.run(`CREATE VIEW rfm AS ${RFM}`);
    await warehouse.run(`CREATE VIEW campaign_targets AS ${CAMPAIGN_TARGETS}`);
    await warehouse.run(`CREATE TABLE demographic_cells AS ${sqlFile('models/demographic_cells.sql')}`);
    return warehouse.rows<T>(query);
  });
}

const COUNTS = 'CAST(customers AS INTEGER) AS customers, CAST(buyers AS INTEGER) AS buyers, CAST(scored_customers AS INTEGER) AS scored_customers';

test('customers: gender by the default values, any case, Korean too; age and band as of the run date', async () => {
  const customers = await demographics(
    'SELECT member_id, gender, CAST(age AS INTEGER) AS age, age_band, favorite_category, preferred_categories FROM customers ORDER BY member_id',
  );
  expect(customers).toEqual([
    { member_id: 'FUT', gender: 'unknown', age: null, age_band: 'unknown', favorite_category: null, preferred_categories: null },
    { member_id: 'M25', gender: 'male', age: 25, age_band: '20s', favorite_category: 'Books', preferred_categories: ['Books'] },
    { member_id: 'NB', gender: 'female', age: null, age_band: 'unknown', favorite_category: 'Toys', preferred_categories: ['Toys'] },
    { member_id: 'U30', gender: 'unknown', age: 30, age_band: '30s', favorite_category: 'Food', preferred_categories: ['Food'] },
    { member_id: 'W19', gender: 'female', age: 19, age_band: '10s', favorite_category: 'Beauty', preferred_categories: ['Beauty'] },
    { member_id: 'W20', gender: 'female', age: 20, age_band: '20s', favorite_category: 'Toys', preferred_categories: ['Toys'] },
    { member_id: 'W33', gender: 'female', age: 33, age_band: '30s', favorite_category: null, preferred_categories: null },
    // Beauty 40 + 30 = 70 before Books 10.
    { member_id: 'W39', gender: 'female', age: 39, age_band: '30s', favorite_category: 'Beauty', preferred_categories: ['Beauty', 'Books'] },
    { member_id: 'W40', gender: 'female', age: 40, age_band: '40s', favorite_category: 'Food', preferred_categories: ['Food'] },
  ]);
});

test('customers: the three categories most spent on, ties to the smaller name, returns not counted', async () => {
  // W40 also buys Books 30, Toys 30 and Beauty 10 and returns Food 60: Food 100 (purchases only), then Books and
  // Toys tied at 30 (Books, the smaller name, first); Beauty is fourth and left out.
  const moreLines = `${ORDER_LINES} UNION ALL SELECT order_id, member_id, ordered_at, order_date, platform_id, promotion_id,
      product_id, net_amount > 0, net_amount, net_amount
    FROM (VALUES ('O10', 'P2', 30.0), ('O10', 'P3', 10.0), ('O11', 'P1', 30.0), ('O12', 'P4', -60.0)) AS t(order_id, product_id, net_amount),
      (SELECT 'W40' AS member_id, TIMESTAMPTZ '2024-02-01' AS ordered_at, DATE '2024-02-01' AS order_date, 'PL2' AS platform_id,
              NULL AS promotion_id)`;
  const [w40] = await demographics<Record<string, unknown>>(
    "SELECT favorite_category, preferred_categories FROM customers WHERE member_id = 'W40'",
    DEFAULT_GENDER_VALUES,
    moreLines,
  );
  expect(w40).toEqual({ favorite_category: 'Food', preferred_categories: ['Food', 'Books', 'Toys'] });
});

test('customers: a configured mapping replaces the default; values it does not list are unknown', async () => {
  const genders = await demographics<{ member_id: string; gender: string }>(
    'SELECT member_id, gender FROM customers ORDER BY member_id',
    { female: ['여', 'F'], male: ['x'] },
  );
  expect(Object.fromEntries(genders.map((g) => [g.member_id, g.gender]))).toEqual({
    FUT: 'unknown', // no gender
    M25: 'unknown', // 'Male' is no longer listed
    NB: 'female', // 'f' matches 'F'
    U30: 'male', // 'X' matches 'x'
    W19: 'female',
    W20: 'female',
    W33: 'unknown',
    W39: 'unknown',
    W40: 'unknown',
  });
});

test('age_band_profile: one row per band with customers; the 30s worked out by hand', async () => {
  const bands = await demographics<Record<string, unknown>>(
    `SELECT age_band, ${COUNTS}, customer_share, revenue, revenue_share, mean_r_score, mean_f_score, mean_m_score,
            mean_recency_days, mean_frequency, mean_monetary, promo_order_share, promo_customer_share, top_categories, top_platforms
     FROM (${sqlFile('marts/age_band_profile.sql')})`,
  );
  // Nine customers; revenue 80 (W39) + 30 (U30) + 25 (W20) + 60 (M25) + 15 (W19) + 100 (W40) + 5 (NB) = 315. No one is 50+.
  expect(bands.map((b) => [b.age_band, b.customers])).toEqual([['10s', 1], ['20s', 2], ['30s', 3], ['40s', 1], ['unknown', 2]]);
  expect(bands[2]).toEqual({
    age_band: '30s',
    customers: 3, // W33, W39, U30
    buyers: 2, // W33 bought nothing
    scored_customers: 2,
    customer_share: 3 / 9,
    revenue: 110, // 80 + 30 + 0
    revenue_share: 110 / 315,
    mean_r_score: 3.5, // (5 + 2) / 2
    mean_f_score: 3, // (4 + 2) / 2
    mean_m_score: 3.5, // (4 + 3) / 2
    mean_recency_days: 35, // (10 + 60) / 2
    mean_frequency: 1.5, // (2 + 1) / 2
    mean_monetary: 55, // (80 + 30) / 2
    promo_order_share: 1 / 3, // purchase orders O1, O2, O3 (O4 is a return); O1 used PR1
    promo_customer_share: 1 / 2, // W39 of the two buyers
    top_categories: ['Beauty', 'Food', 'Books'], // Beauty 40 + 30, Food 50 (the return is no purchase), Books 10
    top_platforms: ['Web shop', 'App'], // Web shop: O2 and O3; App: O1
  });
});

test('gender_age_profile: women in their 30s worked out by hand; every cell with customers is listed', async () => {
  const cells = await demographics<Record<string, unknown>>(
    `SELECT gender, age_band, ${COUNTS}, customer_share, revenue, revenue_share, mean_r_score, mean_f_score, mean_m_score,
            mean_recency_days, mean_frequency, mean_monetary, promo_order_share, promo_customer_share, top_categories, top_platforms
     FROM (${sqlFile('marts/gender_age_profile.sql')})`,
  );
  expect(cells.map((c) => [c.gender, c.age_band, c.customers])).toEqual([
    ['female', '10s', 1], ['female', '20s', 1], ['female', '30s', 2], ['female', '40s', 1], ['female', 'unknown', 1],
    ['male', '20s', 1], ['unknown', '30s', 1], ['unknown', 'unknown', 1],
  ]);
  expect(cells[2]).toEqual({
    gender: 'female',
    age_band: '30s',
    customers: 2, // W33, W39
    buyers: 1,
    scored_customers: 1,
    customer_share: 2 / 9,
    revenue: 80,
    revenue_share: 80 / 315,
    mean_r_score: 5,
    mean_f_score: 4,
    mean_m_score: 4,
    mean_recency_days: 10,
    mean_frequency: 2,
    mean_monetary: 80,
    promo_order_share: 1 / 2, // O1 of O1, O2
    promo_customer_share: 1,
    top_categories: ['Beauty', 'Books'],
    top_platforms: ['App', 'Web shop'], // one order each: the tie goes to the smaller name
  });
  // A cell with no purchases: no shares of orders, no favourites.
  const [fut] = await demographics<Record<string, unknown>>(
    `SELECT buyers, revenue, mean_r_score, promo_order_share, promo_customer_share, top_categories, top_platforms
     FROM (${sqlFile('marts/gender_age_profile.sql')}) WHERE gender = 'unknown' AND age_band = 'unknown'`,
  );
  expect(fut).toEqual({
    buyers: 0n, revenue: 0, mean_r_score: null, promo_order_share: null, promo_customer_share: null, top_categories: [], top_platforms: [],
  });
});

test('target_women_2030: the women aged 20 to 39 on the run date, with their preferences and campaign', async () => {
  const women = await demographics<Record<string, unknown>>(
    `SELECT member_id, CAST(age AS INTEGER) AS age, age_band, segment, preferred_categories, preferred_platform, campaign, assignment
     FROM (${sqlFile('marts/target_women_2030.sql')})`,
  );
  // Not W19 (19) nor W40 (40); not M25 (male), U30 (unknown gender, 30) or NB (female, age unknown). W39 ordered
  // once through each platform: the tie goes to the smaller id, PL1 (App).
  expect(women).toEqual([
    { member_id: 'W20', age: 20, age_band: '20s', segment: 'New Customers', preferred_categories: ['Toys'], preferred_platform: 'App',
      campaign: 'welcome_series', assignment: 'treatment' },
    { member_id: 'W33', age: 33, age_band: '30s', segment: null, preferred_categories: null, preferred_platform: null,
      campaign: null, assignment: null },
    { member_id: 'W39', age: 39, age_band: '30s', segment: 'Loyal Customers', preferred_categories: ['Beauty', 'Books'],
      preferred_platform: 'App', campaign: 'loyalty_cross_sell', assignment: 'control' },
  ]);
});

test('genderValueRows: one row per value in lower case, whatever case the configuration repeats it in', () => {
  expect(genderValueRows({ female: ['F', 'f', '여'], male: ['M'] })).toEqual([
    { value: 'f', gender: 'female' },
    { value: '여', gender: 'female' },
    { value: 'm', gender: 'male' },
  ]);
});

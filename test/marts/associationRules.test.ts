import { readFileSync } from 'node:fs';
import path from 'node:path';
import { quoteLiteral, Warehouse } from '../../lib/duckdb';
import { sqlFile } from '../../lib/sqlFile';

interface Rule {
  scope: string;
  cluster: number | null;
  antecedents: string[];
  consequents: string[];
  support: number;
  confidence: number;
  lift: number;
  leverage: number;
  conviction: number | null;
}

/** sql/marts/association_rules.sql on hand-made order_lines and clusters views. */
async function rulesOf(orderLines: string, clusters: string, minSupport: number, minConfidence: number): Promise<Rule[]> {
  return Warehouse.using({ timeZone: 'UTC' }, async (warehouse) => {
    await warehouse.run(`CREATE VIEW order_lines AS ${orderLines}`);
    await warehouse.run(`CREATE VIEW clusters AS ${clusters}`);
    await warehouse.setVariable('min_support', minSupport, 'DOUBLE');
    await warehouse.setVariable('min_confidence', minConfidence, 'DOUBLE');
    return warehouse.rows<Rule & Record<string, never>>(`
      SELECT scope, cluster, list_filter([antecedent_1, antecedent_2], item -> item IS NOT NULL) AS antecedents,
             list_filter([consequent_1, consequent_2], item -> item IS NOT NULL) AS consequents, support, confidence, lift, leverage, conviction
      FROM (${sqlFile('marts/association_rules.sql')})`);
  });
}

const NO_CLUSTERS = `SELECT CAST(NULL AS VARCHAR) AS member_id, CAST(NULL AS INTEGER) AS cluster, CAST(NULL AS VARCHAR) AS cluster_name WHERE false`;

test('a rule over five baskets: support, confidence, lift, leverage and conviction by hand', async () => {
  const orderLines = `
    SELECT * FROM (VALUES
      ('O1', 'M1', 'A', true), ('O1', 'M1', 'B', true),
      ('O2', 'M2', 'A', true), ('O2', 'M2', 'B', true), ('O2', 'M2', 'C', true),
      ('O3', 'M3', 'A', true),
      ('O4', 'M3', 'B', true), ('O4', 'M3', 'C', true), ('O4', 'M3', 'C', true), -- C twice: one basket item
      ('O5', 'M4', 'A', true), ('O5', 'M4', 'B', true), ('O5', 'M4', 'C', false)  -- a cancelled C is not bought
    ) AS t(order_id, member_id, product_id, is_purchase)`;
  const clusters = `SELECT * FROM (VALUES ('M1', 0, 'big'), ('M2', 0, 'big'), ('M3', 1, 'small')) AS t(member_id, cluster, cluster_name)`;
  const rules = await rulesOf(orderLines, clusters, 0.2, 0.7);
  const all = rules.filter((r) => r.scope === 'all');
  // Supports over 5 baskets: A .8, B .8, C .4 (O2, O4); AB .6, AC .2, BC .4, ABC .2 (O2), all >= 0.2.
  // Confidence >= 0.7 keeps A→B and B→A (.6/.8 = .75), C→B (.4/.4 = 1) and AC→B (.2/.2 = 1); the other eight
  // splits fall below it (A→C .25, C→A .5, B→C .5, A→BC .25, B→AC .25, C→AB .5, AB→C 1/3, BC→A .5).
  expect(all.map((r) => [r.antecedents, r.consequents])).toEqual([
    [['A', 'C'], ['B']], // lift 1.25, ordered by lift, then antecedents
    [['C'], ['B']],
    [['A'], ['B']], // lift .9375
    [['B'], ['A']],
  ]);
  const cToB = all.find((r) => r.antecedents.join() === 'C')!;
  expect(cToB.support).toBeCloseTo(0.4, 12);
  expect(cToB.confidence).toBeCloseTo(1, 12);
  expect(cToB.lift).toBeCloseTo(1 / 0.8, 12); // 1.25
  expect(cToB.leverage).toBeCloseTo(0.4 - 0.4 * 0.8, 12); // .08
  expect(cToB.conviction).toBeNull(); // confidence 1: infinite conviction
  const aToB = all.find((r) => r.antecedents.join() === 'A')!;
  expect(aToB.conviction).toBeCloseTo((1 - 0.8) / (1 - 0.75), 12); // .8
  // Cluster 0 has two baskets, O1 and O2 (M4 has no cluster): C→B holds there too with support .5 and lift 1.
  const cluster0 = rules.find((r) => r.scope === 'cluster' && r.cluster === 0 && r.antecedents.join() === 'C' && r.consequents.join() === 'B')!;
  expect([cluster0.support, cluster0.confidence, cluster0.lift]).toEqual([0.5, 1, 1]);
});

test('every rule equals mlxtend on the reference baskets within 1e-9', async () => {
  const here = path.join(__dirname, '..', 'fixtures', 'reference');
  const reference = JSON.parse(readFileSync(path.join(here, 'association_rules_reference.json'), 'utf8')) as {
    minSupport: number;
    minConfidence: number;
    rules: Omit<Rule, 'scope' | 'cluster'>[];
  };
  const orderLines = `SELECT order_id, product_id, 'M' AS member_id, true AS is_purchase
    FROM read_csv(${quoteLiteral(path.join(here, 'baskets.csv'))}, all_varchar = true)`;
  const rules = await rulesOf(orderLines, NO_CLUSTERS, reference.minSupport, reference.minConfidence);
  const key = (r: { antecedents: string[]; consequents: string[] }) => `${r.antecedents.join('+')} → ${r.consequents.join('+')}`;
  expect(rules.map(key).sort()).toEqual(reference.rules.map(key).sort());
  expect(reference.rules.length).toBeGreaterThan(50);
  const byKey = new Map(rules.map((r) => [key(r), r]));
  for (const expected of reference.rules) {
    const actual = byKey.get(key(expected))!;
    for (const metric of ['support', 'confidence', 'lift', 'leverage'] as const) {
      expect(Math.abs(actual[metric] - expected[metric])).toBeLessThan(1e-9);
    }
    if (expected.conviction === null) expect(actual.conviction).toBeNull();
    else expect(Math.abs(actual.conviction! - expected.conviction)).toBeLessThan(1e-9);
  }
});

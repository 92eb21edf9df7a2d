import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { quoteLiteral, Warehouse } from '../../lib/duckdb';
import { contractViolations, describeViolations, type Violation } from '../../lib/tableContracts';
import { column, sumsToOne, type TableContract } from '../../schemas/tableContract';

/**
 * lib/tableContracts.ts on hand-made Parquet files: one table `pets` and the `owners` it refers to, a good
 * version that keeps the contract, and for every kind of rule a version that breaks it once.
 */
const RUN_DATE = '2024-06-30';

const PETS: TableContract = {
  table: 'pets',
  grain: 'pet',
  key: ['pet_id'],
  columns: [
    column('pet_id', 'VARCHAR', 'Pet.'),
    column('owner_id', 'VARCHAR', 'Owner; NULL for a stray.', { nullable: true }),
    column('kind', 'VARCHAR', 'Kind.', { values: ['cat', 'dog'] }),
    column('legs', 'INTEGER', 'Legs.', { min: 0, max: 4 }),
    column('weight_share', 'DOUBLE', 'Share of all the weight.', { above: 0, max: 1 }),
    column('adopted_on', 'DATE', 'Adoption day; NULL for a stray.', { nullable: true, max: 'run date' }),
    column('collar', 'VARCHAR', 'Only where collars were loaded.', { optional: true }),
  ],
  rowChecks: [{ column: 'adopted_on', description: 'a stray has no adoption day', holds: '(owner_id IS NULL) = (adopted_on IS NULL)' }],
  aggregateChecks: [
    { column: 'weight_share', description: 'weight_share sums to 1', holds: sumsToOne('weight_share') },
    { column: 'kind', description: 'an owner keeps one kind', holds: 'count(DISTINCT kind) = 1', groupBy: ['owner_id'] },
  ],
  relationships: [{ columns: ['owner_id'], table: 'owners', references: ['id'], where: 'active', complete: true }],
};

const GOOD_PETS = `
  SELECT * FROM (VALUES
    ('p1', 'o1', 'cat', 4, 0.2, DATE '2024-01-01'),
    ('p2', 'o1', 'cat', 3, 0.2, DATE '2024-06-30'),
    ('p3', 'o2', 'dog', 4, 0.4, DATE '2023-05-05'),
    ('p4', NULL, 'dog', 4, 0.2, NULL)
  ) AS t(pet_id, owner_id, kind, legs, weight_share, adopted_on)`;
const PET_TYPES = `pet_id::VARCHAR AS pet_id, owner_id::VARCHAR AS owner_id, kind::VARCHAR AS kind, legs::INTEGER AS legs,
  weight_share::DOUBLE AS weight_share, adopted_on::DATE AS adopted_on`;
const OWNERS = `SELECT * FROM (VALUES ('o1', true), ('o2', true), ('o3', false)) AS t(id, active)`;

let work: string;

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-contracts-'));
});

afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

/** Writes `pets` (a query over the good rows, `good`) and `owners` (unless null) as Parquet; checks pets. */
async function check(pets: string, owners: string | null = OWNERS): Promise<Violation[]> {
  const dir = await fs.mkdtemp(path.join(work, 'case-'));
  const file = (table: string) => path.join(dir, `${table}.parquet`);
  return Warehouse.using({ timeZone: 'UTC' }, async (warehouse) => {
    await warehouse.run(`CREATE VIEW good AS SELECT ${PET_TYPES} FROM (${GOOD_PETS})`);
    await warehouse.run(`COPY (${pets}) TO ${quoteLiteral(file('pets'))} (FORMAT parquet)`);
    if (owners) await warehouse.run(`COPY (${owners}) TO ${quoteLiteral(file('owners'))} (FORMAT parquet)`);
    return contractViolations(warehouse, PETS, file('pets'), { runDate: RUN_DATE, fileOf: file });
  });
}

const brief = (violations: Violation[]) => violations.map(({ column, rule, count, examples }) => ({ column, rule, count, examples }));

test('a table that keeps its contract has no violation, with or without its optional column', async () => {
  expect(await check('SELECT * FROM good')).toEqual([]);
  expect(await check("SELECT *, 'red' AS collar FROM good")).toEqual([]);
});

test('the columns must be the contract\'s, with its types, in its order', async () => {
  expect(brief(await check('SELECT * EXCLUDE (legs), 1.5 AS extra FROM good'))).toEqual([
    { column: 'legs', rule: 'missing (the contract has it as INTEGER)', count: null, examples: [] },
    { column: 'extra', rule: 'DECIMAL(2,1), not in the contract', count: null, examples: [] },
  ]);
  expect(brief(await check('SELECT * REPLACE (legs::BIGINT AS legs) FROM good'))).toEqual([
    { column: 'legs', rule: 'is BIGINT, the contract says INTEGER', count: null, examples: [] },
  ]);
  expect(brief(await check('SELECT owner_id, * EXCLUDE (owner_id) FROM good'))).toEqual([
    {
      column: '(all)',
      rule: "in the order owner_id, pet_id, kind, legs, weight_share, adopted_on; the contract's is pet_id, owner_id, kind, legs, weight_share, adopted_on",
      count: null,
      examples: [],
    },
  ]);
});

test('not NULL, finite, accepted values and ranges name the rows that break them, by key', async () => {
  expect(brief(await check("SELECT * REPLACE (CASE WHEN pet_id = 'p2' THEN NULL ELSE kind END AS kind) FROM good"))).toEqual([
    { column: 'kind', rule: 'not NULL', count: 1, examples: ['pet_id=p2'] },
  ]);
  expect(brief(await check("SELECT * REPLACE (CASE WHEN pet_id = 'p3' THEN 'NaN'::DOUBLE ELSE weight_share END AS weight_share) FROM good"))).toEqual([
    { column: 'weight_share', rule: 'finite', count: 1, examples: ['pet_id=p3 (weight_share=nan)'] },
    { column: 'weight_share', rule: '> 0 and ≤ 1', count: 1, examples: ['pet_id=p3 (weight_share=nan)'] },
    { column: 'weight_share', rule: 'weight_share sums to 1', count: 1, examples: [] },
  ]);
  expect(brief(await check("SELECT * REPLACE (CASE WHEN pet_id = 'p3' THEN 'cow' ELSE kind END AS kind) FROM good"))).toEqual([
    { column: 'kind', rule: 'one of cat, dog', count: 1, examples: ['pet_id=p3 (kind=cow)'] },
  ]);
  expect(brief(await check("SELECT * REPLACE (CASE WHEN owner_id = 'o1' THEN 5 ELSE legs END AS legs) FROM good"))).toEqual([
    { column: 'legs', rule: '0 to 4', count: 2, examples: ['pet_id=p1 (legs=5)', 'pet_id=p2 (legs=5)'] },
  ]);
});

test('a bound may be the run date', async () => {
  expect(brief(await check("SELECT * REPLACE (CASE WHEN pet_id = 'p2' THEN DATE '2024-07-01' ELSE adopted_on END AS adopted_on) FROM good"))).toEqual([
    { column: 'adopted_on', rule: '≤ run date', count: 1, examples: ['pet_id=p2 (adopted_on=2024-07-01)'] },
  ]);
});

test('a row check names the rows where it is false, and lets NULL pass', async () => {
  expect(brief(await check("SELECT * REPLACE (CASE WHEN pet_id = 'p1' THEN NULL ELSE adopted_on END AS adopted_on) FROM good"))).toEqual([
    { column: 'adopted_on', rule: 'a stray has no adoption day', count: 1, examples: ['pet_id=p1 (adopted_on=NULL)'] },
  ]);
});

test('a repeated key is named with its rows; only the first five offenders are shown', async () => {
  expect(brief(await check("SELECT * REPLACE ('p1' AS pet_id) FROM good WHERE owner_id = 'o1' UNION ALL SELECT * FROM good WHERE owner_id IS DISTINCT FROM 'o1'"))).toEqual([
    { column: 'pet_id', rule: 'unique (the key)', count: 1, examples: ['pet_id=p1 (2 rows)'] },
  ]);
  const sevenBadLegs = await check(`
    SELECT good.* REPLACE ('p' || i AS pet_id, 9 AS legs) FROM good, range(7) AS r(i) WHERE good.pet_id = 'p4'`);
  expect(sevenBadLegs[0]).toMatchObject({ column: 'legs', count: 7 });
  expect(sevenBadLegs[0]!.examples).toEqual(['pet_id=p0 (legs=9)', 'pet_id=p1 (legs=9)', 'pet_id=p2 (legs=9)', 'pet_id=p3 (legs=9)', 'pet_id=p4 (legs=9)']);
});

test('aggregate checks fail for the whole table or name the groups that break them', async () => {
  expect(brief(await check("SELECT * REPLACE (CASE WHEN pet_id = 'p3' THEN 0.5 ELSE weight_share END AS weight_share) FROM good"))).toEqual([
    { column: 'weight_share', rule: 'weight_share sums to 1', count: 1, examples: [] },
  ]);
  expect(brief(await check("SELECT * REPLACE (CASE WHEN pet_id = 'p2' THEN 'dog' ELSE kind END AS kind) FROM good"))).toEqual([
    { column: 'kind', rule: 'an owner keeps one kind', count: 1, examples: ['owner_id=o1'] },
  ]);
});

test('a relationship names the rows without a referenced row, and with complete the referenced rows without one here', async () => {
  // o3 is not active; o2 then has no pet.
  expect(brief(await check("SELECT * REPLACE (CASE WHEN pet_id = 'p3' THEN 'o3' ELSE owner_id END AS owner_id) FROM good"))).toEqual([
    { column: 'owner_id', rule: 'in owners (id) where active', count: 1, examples: ['pet_id=p3 (owner_id=o3)'] },
    { column: 'owner_id', rule: 'every row of owners (id) where active has one here', count: 1, examples: ['owners id=o2'] },
  ]);
});

test('a relationship to a table not staged yet is a violation, not a crash', async () => {
  expect(brief(await check('SELECT * FROM good', null))).toEqual([
    { column: 'owner_id', rule: 'in owners (id) where active, which is not staged before pets', count: null, examples: [] },
  ]);
});

test('the message names the table, its contract file, each column, rule, count and first offenders', async () => {
  const violations = await check("SELECT * REPLACE (CASE WHEN pet_id IN ('p1', 'p3') THEN 7 ELSE legs END AS legs, CASE WHEN pet_id = 'p3' THEN 'o3' ELSE owner_id END AS owner_id) FROM good");
  expect(describeViolations(PETS, violations)).toBe(
    [
      'The table pets breaks its contract (schemas/tables/pets.ts):',
      '  - pets.legs: 0 to 4: 2 rows; first: pet_id=p1 (legs=7); pet_id=p3 (legs=7)',
      '  - pets.owner_id: in owners (id) where active: 1 row; first: pet_id=p3 (owner_id=o3)',
      '  - pets.owner_id: every row of owners (id) where active has one here: 1 row of owners without one; first: owners id=o2',
      'The model that wrote it, or the contract, is wrong; a retry cannot fix either, so nothing is published.',
    ].join('\n'),
  );
});

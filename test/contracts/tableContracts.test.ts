import { existsSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLUSTER_FEATURES } from '../../activities/cluster';
import { SNAPSHOT_TABLES } from '../../activities/publish';
import { quoteIdent, quoteLiteral, Warehouse } from '../../lib/duckdb';
import { contractViolations } from '../../lib/tableContracts';
import { contractOf, TABLE_CONTRACTS } from '../../schemas/tables';
import { QUARANTINE_REASONS } from '../../schemas/tables/quarantine';

/** The contracts in schemas/tables, against the tables they describe and against themselves. */
const ROOT = path.join(__dirname, '..', '..');

test('every published table has a contract, and every contract is of a published table', () => {
  expect(TABLE_CONTRACTS.map((c) => c.table).sort()).toEqual(Object.keys(SNAPSHOT_TABLES).sort());
  for (const { table } of TABLE_CONTRACTS) expect(existsSync(path.join(ROOT, 'schemas', 'tables', `${table}.ts`))).toBe(true);
  expect(() => contractOf('no_such_table')).toThrow('schemas/tables has no contract for the table no_such_table');
});

test.each(TABLE_CONTRACTS.map((c) => [c.table, c] as const))('the contract of %s names only its own columns', (_, contract) => {
  const names = contract.columns.map((c) => c.name);
  expect(new Set(names).size).toBe(names.length);
  const own = (columns: readonly string[]) => expect(names).toEqual(expect.arrayContaining([...columns]));
  own(contract.key);
  for (const check of contract.rowChecks ?? []) own([check.column]);
  for (const check of contract.aggregateChecks ?? []) own([check.column, ...(check.groupBy ?? [])]);
  for (const relationship of contract.relationships ?? []) {
    own(relationship.columns);
    const referenced = contractOf(relationship.table).columns.map((c) => c.name);
    expect(referenced).toEqual(expect.arrayContaining([...(relationship.references ?? relationship.columns)]));
  }
  // The README says when a column is NULL: its description.
  for (const column of contract.columns.filter((c) => c.nullable)) expect(`${contract.table}.${column.name}: ${column.description}`).toContain('NULL');
});

test('every rule of every contract binds, and an empty table of the contract\'s columns keeps it', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-empty-tables-'));
  const file = (table: string) => path.join(dir, `${table}.parquet`);
  try {
    await Warehouse.using({ timeZone: 'UTC' }, async (warehouse) => {
      for (const contract of TABLE_CONTRACTS) {
        const columns = contract.columns.map((c) => `CAST(NULL AS ${c.type}) AS ${quoteIdent(c.name)}`).join(', ');
        await warehouse.run(`COPY (SELECT ${columns} WHERE false) TO ${quoteLiteral(file(contract.table))} (FORMAT parquet)`);
      }
      for (const contract of TABLE_CONTRACTS) {
        expect([contract.table, await contractViolations(warehouse, contract, file(contract.table), { runDate: '2024-06-30', fileOf: file })]).toEqual([
          contract.table,
          [],
        ]);
      }
    });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('the quarantine contract accepts every reason the cleaning can give', () => {
  const sqlFiles = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sqlFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  const code = [...sqlFiles(path.join(ROOT, 'sql')), path.join(ROOT, 'activities', 'clean.ts')].map((f) => readFileSync(f, 'utf8')).join('\n');
  const given = new Set([...code.matchAll(/problem\('([a-z_]+)'/g)].map((m) => m[1]!));
  given.add('malformed_row'); // clean.ts inserts the rows the CSV reader rejects directly
  expect(given.size).toBeGreaterThan(15);
  expect([...QUARANTINE_REASONS].sort()).toEqual([...given].sort());
});

test('the clusters contract has a scaled column for every clustering feature, optional where it needs a source', () => {
  const scaled = contractOf('clusters').columns.filter((c) => c.name.endsWith('_scaled'));
  expect(scaled.map((c) => [c.name, c.optional ?? false])).toEqual(CLUSTER_FEATURES.map((f) => [`${f.name}_scaled`, f.requires !== undefined]));
});

import { existsSync } from 'node:fs';
import { rangeText, referencedText, RUN_DATE, type Bound, type ColumnContract, type Relationship, type TableContract } from '../schemas/tableContract';
import { parquetFile, quoteIdent, quoteLiteral, type Warehouse } from './duckdb';

/** One broken rule of a table's contract, with the first rows (or groups, or values) that break it. */
export interface Violation {
  /** The column the rule is about; several, joined, for a relationship. */
  column: string;
  /** The rule, for people: `not NULL`, `0 to 1`, `rfm_score = r_score + f_score + m_score`. */
  rule: string;
  /** How many rows, groups or key values break it; null for the columns themselves. */
  count: number | null;
  /** What `count` counts, in the singular: `row`, `group`, `key repeated`. */
  unit: string;
  /** The first offenders in key order, at most EXAMPLES: `member_id=M1 (r_score=6)`. */
  examples: string[];
}

export interface ContractContext {
  /** The snapshot's run date, which the contract's rules may compare with; null for the quarantine. */
  runDate: string | null;
  /** The staged file of another table of the same snapshot, for relationships. */
  fileOf(table: string): string;
}

const EXAMPLES = 5;

/** A rule that each row keeps, as a SQL predicate; NULL passes, as in a SQL CHECK. */
interface RowRule {
  column: string;
  rule: string;
  holds: string;
  /** The columns an offending row is shown with, beside its key. */
  shows: string[];
}

const columnList = (columns: readonly string[]) => columns.map(quoteIdent).join(', ');
const boundSql = (bound: Bound) => (bound === 'run date' ? RUN_DATE : String(bound));

function rangeSql(name: string, { min, max, above, below }: ColumnContract): string {
  const column = quoteIdent(name);
  return [
    min !== undefined && `${column} >= ${boundSql(min)}`,
    above !== undefined && `${column} > ${boundSql(above)}`,
    max !== undefined && `${column} <= ${boundSql(max)}`,
    below !== undefined && `${column} < ${boundSql(below)}`,
  ]
    .filter((part): part is string => part !== false)
    .join(' AND ');
}

function columnRules(column: ColumnContract): RowRule[] {
  const name = quoteIdent(column.name);
  const rules: RowRule[] = [];
  if (!column.nullable) rules.push({ column: column.name, rule: 'not NULL', holds: `${name} IS NOT NULL`, shows: [] });
  if (column.type === 'DOUBLE') rules.push({ column: column.name, rule: 'finite', holds: `isfinite(${name})`, shows: [column.name] });
  if (column.values) {
    const values = column.values.map(quoteLiteral).join(', ');
    rules.push({ column: column.name, rule: `one of ${column.values.join(', ')}`, holds: `${name} IN (${values})`, shows: [column.name] });
  }
  const range = rangeText(column);
  if (range) rules.push({ column: column.name, rule: range, holds: rangeSql(column.name, column), shows: [column.name] });
  return rules;
}

/** `member_id=M1 (r_score=6)`: a row's key, then the other columns it is shown with. */
function describeRow(row: Record<string, unknown>, key: readonly string[], shows: readonly string[], suffix = ''): string {
  const value = (column: string) => `${column}=${row[column] ?? 'NULL'}`;
  const others = [...shows.filter((column) => !key.includes(column)).map(value), ...(suffix ? [suffix] : [])];
  return `${key.map(value).join(', ')}${others.length > 0 ? ` (${others.join(', ')})` : ''}`;
}

const asText = (columns: readonly string[], table = '') =>
  columns.map((column) => `CAST(${table}${quoteIdent(column)} AS VARCHAR) AS ${quoteIdent(column)}`).join(', ');

interface FileColumns {
  /** The file's columns as DuckDB describes them, in order. */
  actual: { column_name: string; column_type: string }[];
  typeOf: Map<string, string>;
  /** The contract's columns that the file must have: all but the optional ones it does not have. */
  expected: ColumnContract[];
}

async function fileColumns(warehouse: Warehouse, contract: TableContract, file: string): Promise<FileColumns> {
  const actual = await warehouse.rows<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${parquetFile(file)}`);
  const typeOf = new Map(actual.map((c) => [c.column_name, c.column_type]));
  return { actual, typeOf, expected: contract.columns.filter((c) => !c.optional || typeOf.has(c.name)) };
}

/** The columns as DuckDB reads them against the expected ones: names, types and order. */
function columnViolations(contract: TableContract, { actual, typeOf, expected }: FileColumns): Violation[] {
  const declared = new Set(contract.columns.map((c) => c.name));
  const violation = (column: string, rule: string): Violation => ({ column, rule, count: null, unit: '', examples: [] });
  const violations = [
    ...expected.filter((c) => !typeOf.has(c.name)).map((c) => violation(c.name, `missing (the contract has it as ${c.type})`)),
    ...actual.filter((c) => !declared.has(c.column_name)).map((c) => violation(c.column_name, `${c.column_type}, not in the contract`)),
    ...expected
      .filter((c) => typeOf.has(c.name) && typeOf.get(c.name) !== c.type)
      .map((c) => violation(c.name, `is ${typeOf.get(c.name)}, the contract says ${c.type}`)),
  ];
  const order = (names: string[]) => names.join(', ');
  if (violations.length === 0 && order(actual.map((c) => c.column_name)) !== order(expected.map((c) => c.name))) {
    violations.push(violation('(all)', `in the order ${order(actual.map((c) => c.column_name))}; the contract's is ${order(expected.map((c) => c.name))}`));
  }
  return violations;
}

/** Every row rule in one scan; the offending rows only of the rules that some row breaks. */
async function rowViolations(warehouse: Warehouse, contract: TableContract, columns: ColumnContract[], file: string): Promise<Violation[]> {
  const rules: RowRule[] = [
    ...columns.flatMap(columnRules),
    ...(contract.rowChecks ?? []).map((check) => ({ column: check.column, rule: check.description, holds: `(${check.holds})`, shows: [check.column] })),
  ];
  const breaks = (rule: RowRule) => `NOT coalesce(${rule.holds}, true)`;
  const [counts] = await warehouse.rows<Record<string, bigint>>(
    `SELECT ${rules.map((rule, i) => `count(*) FILTER (WHERE ${breaks(rule)}) AS "${i}"`).join(', ')} FROM ${parquetFile(file)}`,
  );
  const violations: Violation[] = [];
  for (const [i, rule] of rules.entries()) {
    const count = Number(counts![i]);
    if (count === 0) continue;
    const shown = [...new Set([...contract.key, ...rule.shows])];
    const rows = await warehouse.rows(
      `SELECT ${asText(shown)} FROM ${parquetFile(file)} WHERE ${breaks(rule)} ORDER BY ${columnList(contract.key)} LIMIT ${EXAMPLES}`,
    );
    violations.push({ column: rule.column, rule: rule.rule, count, unit: 'row', examples: rows.map((row) => describeRow(row, contract.key, rule.shows)) });
  }
  return violations;
}

/** Offenders of a query that lists them by `columns`: how many, and the first few in that order. */
async function offenders(warehouse: Warehouse, query: string, columns: readonly string[], describe: (row: Record<string, unknown>) => string) {
  const count = Number(await warehouse.scalar(`SELECT count(*) FROM (${query})`));
  if (count === 0) return null;
  const rows = await warehouse.rows(`SELECT * FROM (${query}) ORDER BY ${columns.length > 0 ? columnList(columns) : 'ALL'} LIMIT ${EXAMPLES}`);
  return { count, examples: rows.map(describe) };
}

async function keyViolations(warehouse: Warehouse, contract: TableContract, file: string): Promise<Violation[]> {
  const { key } = contract;
  const found = await offenders(
    warehouse,
    `SELECT ${asText(key)}, count(*) AS "rows" FROM ${parquetFile(file)} GROUP BY ALL HAVING count(*) > 1`,
    key,
    (row) => describeRow(row, key, [], `${row.rows} rows`),
  );
  return found ? [{ column: key.join(', '), rule: 'unique (the key)', unit: 'key repeated', ...found }] : [];
}

async function aggregateViolations(warehouse: Warehouse, contract: TableContract, file: string): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const check of contract.aggregateChecks ?? []) {
    const groupBy = check.groupBy ?? [];
    const query = groupBy.length
      ? `SELECT ${asText(groupBy)} FROM ${parquetFile(file)} GROUP BY ${columnList(groupBy)} HAVING NOT coalesce(${check.holds}, true)`
      : `SELECT 1 FROM ${parquetFile(file)} HAVING NOT coalesce(${check.holds}, true)`;
    const found = await offenders(warehouse, query, groupBy, (row) => describeRow(row, groupBy, []));
    if (!found) continue;
    violations.push(
      groupBy.length
        ? { column: check.column, rule: check.description, unit: 'group', ...found }
        : { column: check.column, rule: check.description, count: found.count, unit: 'table', examples: [] },
    );
  }
  return violations;
}

/** The rows whose columns are not in the referenced table, and with `complete` the referenced rows without one here. */
async function relationshipViolations(
  warehouse: Warehouse,
  contract: TableContract,
  file: string,
  relationship: Relationship,
  parentFile: string,
): Promise<Violation[]> {
  const { columns, table } = relationship;
  const references = relationship.references ?? columns;
  const referenced = referencedText(relationship);
  const column = columns.join(', ');
  if (!existsSync(parentFile)) {
    return [{ column, rule: `in ${referenced}, which is not staged before ${contract.table}`, count: null, unit: '', examples: [] }];
  }
  const parent = `(SELECT ${references.map((r, i) => `${quoteIdent(r)} AS "ref_${i}"`).join(', ')} FROM ${parquetFile(parentFile)}
                   ${relationship.where ? `WHERE ${relationship.where}` : ''})`;
  const joined = columns.map((c, i) => `child.${quoteIdent(c)} = parent."ref_${i}"`).join(' AND ');
  const violations: Violation[] = [];
  const shown = [...new Set([...contract.key, ...columns])];
  const orphans = await offenders(
    warehouse,
    `SELECT ${asText(shown, 'child.')} FROM ${parquetFile(file)} AS child ANTI JOIN ${parent} AS parent ON ${joined}
     WHERE ${columns.map((c) => `child.${quoteIdent(c)} IS NOT NULL`).join(' AND ')}`,
    contract.key,
    (row) => describeRow(row, contract.key, columns),
  );
  if (orphans) violations.push({ column, rule: `in ${referenced}`, unit: 'row', ...orphans });
  if (relationship.complete) {
    const missing = await offenders(
      warehouse,
      `SELECT DISTINCT ${references.map((r, i) => `CAST(parent."ref_${i}" AS VARCHAR) AS ${quoteIdent(r)}`).join(', ')}
       FROM ${parent} AS parent ANTI JOIN ${parquetFile(file)} AS child ON ${joined}`,
      references,
      (row) => `${table} ${describeRow(row, references, [])}`,
    );
    if (missing) violations.push({ column, rule: `every row of ${referenced} has one here`, unit: `row of ${table} without one`, ...missing });
  }
  return violations;
}

/**
 * Checks a written table against its contract, set-based in DuckDB: its columns and types; then not NULL,
 * finite, accepted values, ranges, row checks, the key, aggregate checks and relationships. Returns what it
 * breaks, nothing when it keeps its contract.
 */
export async function contractViolations(
  warehouse: Warehouse,
  contract: TableContract,
  file: string,
  context: ContractContext,
): Promise<Violation[]> {
  const columns = await fileColumns(warehouse, contract, file);
  const wrongColumns = columnViolations(contract, columns);
  // Rules on columns the table does not have, or has with another type, would only fail to bind.
  if (wrongColumns.length > 0) return wrongColumns;
  await warehouse.setVariable('contract_run_date', context.runDate, 'DATE');
  const violations = [
    ...(await rowViolations(warehouse, contract, columns.expected, file)),
    ...(await keyViolations(warehouse, contract, file)),
    ...(await aggregateViolations(warehouse, contract, file)),
  ];
  for (const relationship of contract.relationships ?? []) {
    violations.push(...(await relationshipViolations(warehouse, contract, file, relationship, context.fileOf(relationship.table))));
  }
  return violations;
}

/** The violations for the person running the pipeline: table, column, rule, how many, the first offenders. */
export function describeViolations(contract: TableContract, violations: Violation[]): string {
  const lines = violations.map(({ column, rule, count, unit, examples }) => {
    const counted = count === 1 ? unit : unit.replace(/^\w+/, (noun) => `${noun}s`);
    const found = count === null ? '' : unit === 'table' ? ': fails' : `: ${count} ${counted}`;
    return `  - ${contract.table}.${column}: ${rule}${found}${examples.length > 0 ? `; first: ${examples.join('; ')}` : ''}`;
  });
  return [
    `The table ${contract.table} breaks its contract (schemas/tables/${contract.table}.ts):`,
    ...lines,
    'The model that wrote it, or the contract, is wrong; a retry cannot fix either, so nothing is published.',
  ].join('\n');
}

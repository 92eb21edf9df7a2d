import { rangeText, referencedText, type ColumnContract, type Relationship, type TableContract } from '../../schemas/tableContract';
import { TABLE_CONTRACTS } from '../../schemas/tables';

/**
 * The README's output data dictionary, rendered from the contracts in schemas/tables: test/docs/readme.test.ts
 * checks that the README holds exactly this. After changing a contract, paste the rendered section from the
 * test's diff (or print it: `node -e "console.log(require('./dist/test/docs/outputDictionary').outputDictionary())"`).
 */
const INTRODUCTION = `### Output data dictionary

Rendered from the contracts in \`schemas/tables/\`, one per table (a test checks that the two agree). Each
stage checks every table it writes against its contract before a later stage reads it: the columns and their
types, then every rule below, set-based in DuckDB. A table that breaks its contract fails the run, not
retried, naming the table, the column, the rule, how many rows break it and the first five by key; nothing
is published. A column is never NULL unless its meaning says when, and a DOUBLE is never NaN or infinite;
a column's range or accepted values follow its meaning in brackets. Relationships are to tables of the same
snapshot; a rule compares NULL with nothing.`;

const codes = (names: readonly string[]) => names.map((name) => `\`${name}\``).join(', ');
const columnsText = (columns: readonly string[]) => (columns.length === 1 ? columns[0]! : `(${columns.join(', ')})`);

function relationshipText(relationship: Relationship): string {
  return `${columnsText(relationship.columns)} in ${referencedText(relationship)}${relationship.complete ? ', every row of it with one here' : ''}`;
}

function rulesText(column: ColumnContract): string {
  const rules = [column.values && `one of ${codes(column.values)}`, rangeText(column)].filter(Boolean);
  return rules.length > 0 ? ` [${rules.join('; ')}]` : '';
}

function tableSection(contract: TableContract): string {
  const invariants = [
    ...(contract.rowChecks ?? []).map((check) => check.description),
    ...(contract.aggregateChecks ?? []).map((check) => check.description),
    ...(contract.relationships ?? []).map(relationshipText),
  ];
  return [
    `#### ${contract.table}`,
    '',
    `One row per ${contract.grain}. Key: ${codes(contract.key)}.${invariants.length > 0 ? ` Invariants: ${invariants.join('; ')}.` : ''}`,
    '',
    '| column | type | meaning |',
    '|---|---|---|',
    ...contract.columns.map((column) => `| ${column.name} | ${column.type} | ${column.description}${rulesText(column)} |`),
  ].join('\n');
}

export function outputDictionary(): string {
  return [INTRODUCTION, ...TABLE_CONTRACTS.map(tableSection)].join('\n\n');
}

import { SOURCE_NAMES } from '../sources';
import { column, type TableContract } from '../tableContract';

/** Every reason a row or field is quarantined for (README, Bad input). */
export const QUARANTINE_REASONS = [
  'malformed_row',
  'malformed_json',
  'duplicate_row',
  'duplicate_key',
  'missing_value',
  'missing_member',
  'unparseable_timestamp',
  'implausible_timestamp',
  'unparseable_date',
  'invalid_number',
  'invalid_value',
  'invalid_rating',
  'zero_quantity',
  'non_positive_price',
  'unknown_member',
  'unknown_product',
  'unknown_order',
  'order_quarantined',
  'member_quarantined',
  'field_too_long',
  'negative_spend',
  'overlapping_period',
] as const;

export const quarantine: TableContract = {
  table: 'quarantine',
  grain: 'problem found in an input row, the same for every date cut from one cleaned base',
  key: ['source', 'line', 'field'],
  columns: [
    column('source', 'VARCHAR', 'The input source.', { values: SOURCE_NAMES }),
    column('file', 'VARCHAR', 'The file\'s name.'),
    column('line', 'BIGINT', 'The row\'s line in the file (a CSV\'s header is line 1), or its position in a Parquet file.', { min: 1 }),
    column('row_ref', 'VARCHAR', 'file:line (file row n for Parquet), as other problems\' details refer to the row.'),
    column('record_key', 'VARCHAR', 'The row\'s id (order_id, member_id, ...); NULL where it has none or it could not be read.', { nullable: true }),
    column('field', 'VARCHAR', 'The column at fault; NULL for a problem of the whole row.', { nullable: true }),
    column('reason', 'VARCHAR', 'What is wrong (README, Bad input).', { values: QUARANTINE_REASONS }),
    column('severity', 'VARCHAR', 'error: the row was removed; warning: the field was set to NULL and the row kept.', { values: ['error', 'warning'] }),
    column('detail', 'VARCHAR', 'The value and what was expected, for people; NULL where the reason says it all.', { nullable: true }),
  ],
  rowChecks: [
    { column: 'severity', description: 'only an optional field is a warning', holds: "severity = 'error' OR field IS NOT NULL" },
  ],
};

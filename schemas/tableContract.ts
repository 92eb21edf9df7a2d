/**
 * What a published table promises the people and tools that read it: every column with its DuckDB type and
 * meaning, the key that identifies a row, and the invariants its rows keep. One contract per table in
 * schemas/tables/; the stage that writes a table checks it against its contract (lib/tableContracts.ts), and
 * the README's output data dictionary is these contracts rendered.
 *
 * A column is never NULL unless it is `nullable` (its description then says when), and a DOUBLE is never NaN
 * or infinite. Rules on values let NULL pass, as a SQL CHECK does: whether NULL is allowed is `nullable`'s say.
 */

/** The types as DuckDB describes a Parquet file's columns (and as the manifest lists them). */
export type ColumnType = 'VARCHAR' | 'VARCHAR[]' | 'BOOLEAN' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'DATE' | 'TIMESTAMP WITH TIME ZONE';

/** A bound of a range: a number, or (for DATE columns) the run date of the snapshot. */
export type Bound = number | 'run date';

export interface ColumnRules {
  /** May be NULL; the description says when. */
  nullable?: boolean;
  /** Present only in some runs (a feature of a source that was not loaded); the description says when. */
  optional?: boolean;
  /** The only values the column takes. */
  values?: readonly string[];
  /** Inclusive bounds. */
  min?: Bound;
  max?: Bound;
  /** Strict bounds. */
  above?: Bound;
  below?: Bound;
}

export interface ColumnContract extends ColumnRules {
  name: string;
  type: ColumnType;
  description: string;
}

/** A condition every row keeps: a SQL predicate over the row's columns, about `column`. */
export interface RowCheck {
  column: string;
  /** What holds, for people: `rfm_score = r_score + f_score + m_score`. */
  description: string;
  /** The same as SQL; the run date is RUN_DATE. */
  holds: string;
}

/** A condition on aggregates of the whole table, or of each group of rows with the same `groupBy` values. */
export interface AggregateCheck {
  column: string;
  description: string;
  /** A SQL predicate over aggregates: `abs(sum(customer_share) - 1) < 1e-9`. */
  holds: string;
  groupBy?: readonly string[];
}

/**
 * Every row's `columns` (unless one is NULL) are the `references` columns of a row of `table`, a table of the
 * same snapshot that is staged before this one; with `where`, of a row of `table` that matches it. With
 * `complete`, every such row of `table` also has a row here.
 */
export interface Relationship {
  columns: readonly string[];
  table: string;
  /** The columns of `table`; the same names as `columns` when left out. */
  references?: readonly string[];
  where?: string;
  complete?: boolean;
}

export interface TableContract {
  table: string;
  /** What one row is: 'member', 'cluster × feature'. */
  grain: string;
  /** The columns whose values identify a row: no two rows share them (NULLs count as equal, as in GROUP BY). */
  key: readonly [string, ...string[]];
  columns: readonly ColumnContract[];
  rowChecks?: readonly RowCheck[];
  aggregateChecks?: readonly AggregateCheck[];
  relationships?: readonly Relationship[];
}

/** The run date in a check's SQL: a session variable that the checker sets (NULL for the quarantine). */
export const RUN_DATE = "getvariable('contract_run_date')";

/** A column: its name, type, meaning and rules; not NULL, and present in every run, unless the rules say so. */
export function column(name: string, type: ColumnType, description: string, rules: ColumnRules = {}): ColumnContract {
  return { name, type, description, ...rules };
}

/** Shares and rates: 0 to 1. */
export const SHARE: ColumnRules = { min: 0, max: 1 };
/** Counts and amounts that cannot be negative. */
export const NON_NEGATIVE: ColumnRules = { min: 0 };
/** `sum(share) = 1` up to rounding. */
export function sumsToOne(share: string): string {
  return `abs(sum(${share}) - 1) < 1e-9`;
}

/** A column's range for people: `0 to 1`, `≥ 0`, `> 0 and ≤ 1`, `< run date`; null without one. */
export function rangeText({ min, max, above, below }: ColumnRules): string | null {
  if (min !== undefined && max !== undefined) return `${min} to ${max}`;
  const parts = [
    min !== undefined && `≥ ${min}`,
    above !== undefined && `> ${above}`,
    max !== undefined && `≤ ${max}`,
    below !== undefined && `< ${below}`,
  ].filter((part): part is string => part !== false);
  return parts.length > 0 ? parts.join(' and ') : null;
}

/** The rows a relationship refers to, for people: `rfm (member_id, segment, rfm_class)`, `customers where orders_count > 0`. */
export function referencedText({ columns, table, references = columns, where }: Relationship): string {
  const named = references.join() === columns.join() ? table : `${table} (${references.join(', ')})`;
  return `${named}${where ? ` where ${where}` : ''}`;
}

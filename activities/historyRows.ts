import { quoteIdent, type Warehouse } from '../lib/duckdb';
import type { PointInTimeCut } from '../schemas/run';
import { baseTableFile, knownAtCut, knownBefore, rowsKnownBefore, type BaseTable } from './pointInTime';

/**
 * What the models that learn from the pipeline's own history (churn, discount sensitivity) share: one sample of
 * buyers for every as-of date, the base as it was known at each date, and the check that both outcomes are
 * common enough to learn from and to measure.
 */

/** The base tables keyed by customer; the others (products, promotions, platforms) are not sampled. */
const CUSTOMER_TABLES: ReadonlySet<BaseTable> = new Set(['order_lines', 'members', 'reviews', 'ga_sessions', 'service_contacts']);

/**
 * Views named after the base tables, of their rows known at `cut`; with `sample` (drawn by drawBuyerSample), the
 * customer tables hold only that sample's customers, read from its tables instead of the base's files.
 */
export async function viewBaseAtCut(warehouse: Warehouse, cut: PointInTimeCut, tables: BaseTable[], sample?: string): Promise<void> {
  for (const table of tables) {
    const rows =
      sample && CUSTOMER_TABLES.has(table)
        ? rowsKnownBefore(quoteIdent(sampledTable(sample, table)), cut.knownBefore)
        : knownAtCut(cut, table);
    await warehouse.run(`CREATE OR REPLACE VIEW ${quoteIdent(table)} AS ${rows}`);
  }
}

/** The temp table of `sample`'s rows of a customer table in the run date's cut, with their _known_at. */
function sampledTable(sample: string, table: BaseTable): string {
  return `${sample}_${table}`;
}

/**
 * The table `sample`: `size` buyers in the hash order of their ids, so that reruns draw the same ones; their rows
 * of the customer tables among `tables` in the run date's cut, which every as-of date filters (each base file is
 * read once, not once a date); and the view later_order_lines of their order lines (the run date's cut, which
 * labels look into).
 */
export async function drawBuyerSample(warehouse: Warehouse, cut: PointInTimeCut, sample: string, size: number, tables: BaseTable[]): Promise<void> {
  await warehouse.run(
    `CREATE OR REPLACE TEMP TABLE ${quoteIdent(sample)} AS
     SELECT member_id FROM (SELECT DISTINCT member_id FROM (${knownAtCut(cut, 'order_lines')}) WHERE is_purchase)
     ORDER BY hash(member_id), member_id LIMIT $size`,
    { size },
  );
  for (const table of new Set<BaseTable>(['order_lines', ...tables.filter((t) => CUSTOMER_TABLES.has(t))])) {
    await warehouse.run(
      `CREATE OR REPLACE TEMP TABLE ${quoteIdent(sampledTable(sample, table))} AS
       SELECT * FROM ${baseTableFile(cut, table)}
       WHERE ${knownBefore(cut.knownBefore)} AND member_id IN (SELECT member_id FROM ${quoteIdent(sample)})`,
    );
  }
  await warehouse.run(
    `CREATE OR REPLACE VIEW later_order_lines AS SELECT * EXCLUDE (_known_at) FROM ${quoteIdent(sampledTable(sample, 'order_lines'))}`,
  );
}

/**
 * The table `rows`: every as-of date's rows, `rowsAsOf` staging the date's inputs and returning the query of its
 * labelled rows; each row carries its date's position in `asOfDates` as date_index.
 */
export async function stageRowsPerDate(
  warehouse: Warehouse,
  rows: string,
  asOfDates: string[],
  rowsAsOf: (asOf: string) => Promise<string>,
): Promise<void> {
  await warehouse.run(`DROP TABLE IF EXISTS ${quoteIdent(rows)}`);
  for (const [index, asOf] of asOfDates.entries()) {
    const query = `SELECT ${index} AS date_index, * FROM (${await rowsAsOf(asOf)})`;
    await warehouse.run(index === 0 ? `CREATE TEMP TABLE ${quoteIdent(rows)} AS ${query}` : `INSERT INTO ${quoteIdent(rows)} ${query}`);
  }
}

export interface ClassCheck {
  /** The staged rows, with date_index, and their boolean label column. */
  rows: string;
  label: string;
  evaluationIndex: number;
  minClassRows: number;
  /** The setting to name, e.g. churn.minClassRows. */
  setting: string;
  /** What customers of each outcome are called, e.g. ['churned', 'retained']. */
  outcomes: [positive: string, negative: string];
}

/** Training and evaluation each need both outcomes, or there is nothing to learn or to measure: the shortfalls. */
export async function classShortfalls(warehouse: Warehouse, check: ClassCheck): Promise<string[]> {
  const label = quoteIdent(check.label);
  const counts = await warehouse.rows<{ role: string; positive: number; negative: number }>(
    `SELECT CASE WHEN date_index = $evaluation THEN 'evaluation' ELSE 'training' END AS role,
            CAST(count(*) FILTER (WHERE ${label}) AS INTEGER) AS positive,
            CAST(count(*) FILTER (WHERE NOT ${label}) AS INTEGER) AS negative
     FROM ${quoteIdent(check.rows)} GROUP BY role`,
    { evaluation: check.evaluationIndex },
  );
  const [positiveName, negativeName] = check.outcomes;
  return ['training', 'evaluation'].flatMap((role) => {
    const { positive = 0, negative = 0 } = counts.find((c) => c.role === role) ?? {};
    return positive < check.minClassRows || negative < check.minClassRows
      ? [`${role} has ${positive} ${positiveName} and ${negative} ${negativeName} customers, fewer than ${check.setting} ${check.minClassRows} of each`]
      : [];
  });
}

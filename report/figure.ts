/** A cell of a figure's table: text as is, numbers formatted by the page, null shown as a dash. */
export type Cell = string | number | null;

/** The numbers behind a chart, small enough to read: a few rows, never one per customer. */
export interface DataTable {
  header: string[];
  rows: Cell[][];
}

/** One chart of the report: what it shows, the sentence that reads it, the SVG, and its numbers. */
export interface Figure {
  title: string;
  reading: string;
  svg: string;
  table: DataTable;
}

export interface Section {
  id: string;
  title: string;
  figures: Figure[];
}

/** '1 row', '3 rows'. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export function percent(share: number | null, digits = 1): string {
  return share === null || !Number.isFinite(share) ? '-' : `${(share * 100).toFixed(digits)}%`;
}

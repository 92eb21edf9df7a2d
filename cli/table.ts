/** Rows as aligned text columns for the terminal: numbers right-aligned, text left-aligned. */
export function table(rows: (string | number)[][]): string {
  if (rows.length === 0) return '  (none)';
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
  return rows
    .map((row) => row.map((cell, column) => (typeof cell === 'number' ? String(cell).padStart(widths[column]!) : String(cell).padEnd(widths[column]!))).join('  '))
    .map((line) => `  ${line.trimEnd()}`)
    .join('\n');
}

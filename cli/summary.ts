import path from 'node:path';
import type { SegmentationRunResult } from '../schemas/run';

function table(rows: (string | number)[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
  return rows
    .map((row) => row.map((cell, column) => (typeof cell === 'number' ? String(cell).padStart(widths[column]!) : String(cell).padEnd(widths[column]!))).join('  '))
    .map((line) => `  ${line.trimEnd()}`)
    .join('\n');
}

/** The closing summary of a run: sources in / kept / quarantined, segments, clusters, and the snapshot. */
export function printSummary(result: SegmentationRunResult, out: NodeJS.WritableStream): void {
  const relative = (file: string) => path.relative(process.cwd(), file) || '.';
  const sources = result.sources.map((s) =>
    s.status === 'missing'
      ? [s.source, 'missing', '-', '-', '-']
      : [s.source, s.rowsIn, s.rowsKept, s.rowsQuarantined, s.rowsAfterRunDate],
  );
  const lines = [
    '',
    `Run ${result.runDate} published.`,
    '',
    'Sources (rows in = kept + quarantined + after the run date):',
    table([['source', 'in', 'kept', 'quarantined', 'after date'], ...sources]),
    '',
    'Segments:',
    table(result.segments.map((s) => [s.segment, s.customers])),
    '',
    'Clusters:',
    table(result.clusters.map((c) => [c.cluster, c.clusterName, c.customers])),
    '',
    `Snapshot in ${relative(result.snapshotRoot)}/<table>/run_date=${result.runDate}/:`,
    table(Object.entries(result.tables).map(([name, rows]) => [name, rows])),
    `Manifest: ${relative(result.manifestPath)}`,
    '',
  ];
  out.write(lines.join('\n'));
}

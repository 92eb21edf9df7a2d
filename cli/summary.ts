import path from 'node:path';
import type { SegmentationRunResult } from '../schemas/run';

function table(rows: (string | number)[][]): string {
  if (rows.length === 0) return '  (none)';
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
  return rows
    .map((row) => row.map((cell, column) => (typeof cell === 'number' ? String(cell).padStart(widths[column]!) : String(cell).padEnd(widths[column]!))).join('  '))
    .map((line) => `  ${line.trimEnd()}`)
    .join('\n');
}

function scored({ customers, notScoredNonPositive, paretoTop20RevenueShare }: SegmentationRunResult['scoring']): string {
  const parts = [`${customers} customers scored`];
  if (notScoredNonPositive > 0) parts.push(`${notScoredNonPositive} with net revenue <= 0 left out`);
  if (paretoTop20RevenueShare !== null) parts.push(`top 20% bring ${(paretoTop20RevenueShare * 100).toFixed(1)}% of revenue`);
  return parts.join('; ');
}

function howChosen({ k, method, silhouette, candidates }: SegmentationRunResult['clusterSelection']): string {
  const quality = silhouette === null ? '' : `, silhouette ${silhouette.toFixed(3)}`;
  if (method === 'configured') return `k = ${k} as configured${quality}`;
  if (candidates.length === 0) return `k = ${k}: too few customers to compare k`;
  return `k = ${k}, the best silhouette of k = ${candidates[0]}..${candidates[candidates.length - 1]}${quality}`;
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
    `Segments (${scored(result.scoring)}):`,
    table(result.segments.map((s) => [s.segment, s.customers])),
    '',
    `Clusters (${howChosen(result.clusterSelection)}):`,
    table(result.clusters.map((c) => [c.cluster, c.clusterName, c.customers])),
    '',
    `Snapshot in ${relative(result.snapshotRoot)}/<table>/run_date=${result.runDate}/:`,
    table(Object.entries(result.tables).map(([name, rows]) => [name, rows])),
    `Manifest: ${relative(result.manifestPath)}`,
    '',
  ];
  out.write(lines.join('\n'));
}

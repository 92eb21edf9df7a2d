import { promises as fs } from 'node:fs';
import { Warehouse } from '../lib/duckdb';
import { replaceAtomically } from '../lib/replaceAtomically';
import { readManifest, reportPath } from '../lib/snapshots';
import { renderPage } from './page';
import { buildSections } from './sections';
import { SnapshotTables } from './snapshotTables';

export interface ReportResult {
  path: string;
  bytes: number;
  sections: string[];
}

/**
 * Builds the HTML report of a published date from its snapshot's tables, read by path and aggregated in
 * DuckDB, and replaces the date's report in one rename: a reader never opens half a page.
 */
export async function writeReport(outDir: string, runDate: string): Promise<ReportResult> {
  const manifest = await readManifest(outDir, runDate);
  const sections = await Warehouse.using({ timeZone: manifest.businessTimeZone }, async (warehouse) =>
    buildSections(await SnapshotTables.open(warehouse, outDir, manifest)));
  const html = renderPage(runDate, `Snapshot published ${manifest.publishedAt} by workflow ${manifest.workflowId} (run ${manifest.runId}).`, sections);
  const file = reportPath(outDir, runDate);
  await replaceAtomically(file, (temporary) => fs.writeFile(temporary, html));
  return { path: file, bytes: Buffer.byteLength(html), sections: sections.map((s) => s.id) };
}

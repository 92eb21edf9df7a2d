import { readLeases } from '../lib/leases';
import { incompleteRunDates, publishedRunDates, readManifest } from '../lib/snapshots';
import type { Command } from './args';
import { outDirFrom } from './inputOptions';
import { shownPath } from './shownPath';
import { table } from './table';

export const runsCommand: Command = {
  name: 'runs',
  summary: 'List the run dates in a snapshot root with their status, row counts and run time (from the manifests).',
  usage: 'segflow runs [--out DIR]',
  options: { out: { type: 'string' } },
  help: {
    '--out DIR': 'snapshot root (default: output)',
    '-h, --help': 'show this help',
  },
  async run(values) {
    const outDir = outDirFrom(values);
    const leases = await readLeases(outDir);
    const leasedBy = (date: string) => leases.find((lease) => lease.from <= date && date <= lease.to)?.holder;
    const rows: (string | number)[][] = [];
    const published = await publishedRunDates(outDir);
    for (const date of published) {
      const manifest = await readManifest(outDir, date);
      const rowsOf = (name: string) => manifest.tables[name]?.rows ?? '-';
      const seconds = manifest.stages.reduce((sum, stage) => sum + stage.seconds, 0);
      // The quarantine table also holds warnings: fields set to NULL in rows that were kept.
      const quarantined = manifest.inputs.reduce((sum, input) => sum + input.rowsQuarantined, 0);
      const problems = manifest.tables.quarantine?.rows;
      const holder = leasedBy(date);
      rows.push([
        date,
        holder ? `published, in use by ${holder}` : 'published',
        rowsOf('customers'),
        rowsOf('rfm'),
        rowsOf('segment_moves'),
        quarantined,
        problems === undefined ? '-' : problems - quarantined,
        Number(seconds.toFixed(1)),
        manifest.publishedAt,
      ]);
    }
    for (const date of await incompleteRunDates(outDir, published)) {
      rows.push([date, 'incomplete: tables without a manifest', '-', '-', '-', '-', '-', '-', '-']);
    }
    rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    if (rows.length === 0) {
      process.stdout.write(`No snapshots in ${outDir}. Run 'segflow run' or 'segflow backfill' first.\n`);
      return 0;
    }
    const header = ['run date', 'status', 'customers', 'scored', 'moved', 'quarantined', 'warnings', 'seconds', 'published at'];
    process.stdout.write(`Snapshots in ${shownPath(outDir)}:\n${table([header, ...rows])}\n`);
    return 0;
  },
};

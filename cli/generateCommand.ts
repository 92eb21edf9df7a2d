import path from 'node:path';
import { generateSample } from '../sample/generateSample';
import { numberOption, UsageError, type Command } from './args';
import { writableFolder } from './inputOptions';
import { shownPath } from './shownPath';

export const generateCommand: Command = {
  name: 'generate',
  summary: 'Write realistic, deterministic sample data for all sources, with the dirt real exports have.',
  usage: 'segflow generate --customers N --out DIR [--seed S]',
  options: {
    customers: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string' },
  },
  help: {
    '--customers N': 'number of members to generate (required)',
    '--out DIR': 'folder to write the files and a segflow.config.json into (required)',
    '--seed S': 'random seed; the same seed gives the same files (default: 7)',
    '-h, --help': 'show this help',
  },
  async run(values) {
    if (values.customers === undefined || values.out === undefined) throw new UsageError('--customers and --out are required');
    const customers = numberOption(values, 'customers', 0);
    if (customers < 1) throw new UsageError('--customers must be at least 1');
    const outDir = await writableFolder(path.resolve(String(values.out)), '--out');
    const summary = await generateSample({ customers, outDir, seed: numberOption(values, 'seed', 7) });
    const width = Math.max(...summary.files.map((file) => file.source.length));
    for (const file of summary.files) console.log(`  ${file.source.padEnd(width)} ${String(file.rows).padStart(10)} rows  ${file.file}`);
    console.log(`Wrote sample data to ${summary.outDir}. Run it with: npx segflow run --data ${shownPath(summary.outDir)}`);
    return 0;
  },
};

import { publishedRunDates } from '../lib/snapshots';
import { writeReport } from '../report/writeReport';
import { dateOption, UsageError, type Command } from './args';
import { outDirFrom } from './inputOptions';
import { shownPath } from './shownPath';

export const reportCommand: Command = {
  name: 'report',
  summary: "Rebuild a published date's HTML report (<out>/_reports/run_date=D/report.html) from its snapshot.",
  usage: 'segflow report [--date D] [--out DIR]',
  options: { date: { type: 'string' }, out: { type: 'string' } },
  help: {
    '--date D': 'the published run date (default: the newest published one)',
    '--out DIR': 'snapshot root (default: output)',
    '-h, --help': 'show this help',
  },
  async run(values) {
    const outDir = outDirFrom(values);
    const published = await publishedRunDates(outDir);
    const runDate = dateOption(values, 'date') ?? published.at(-1);
    if (runDate === undefined) throw new UsageError(`no published snapshot in ${shownPath(outDir)}: run 'segflow run' first`);
    if (!published.includes(runDate)) {
      const known = published.length <= 1 ? published[0] ?? 'none' : `${published[0]} to ${published.at(-1)}, ${published.length} dates`;
      throw new UsageError(`${runDate} is not published in ${shownPath(outDir)} (published: ${known})`);
    }
    const report = await writeReport(outDir, runDate);
    process.stdout.write(`Report of ${runDate} (${(report.bytes / 1024).toFixed(0)} KB, sections: ${report.sections.join(', ')}):\n` +
      `${shownPath(report.path)}\n`);
    return 0;
  },
};

import { listModels, modelsRoot } from '../lib/modelStore';
import { publishedRunDates, readManifest } from '../lib/snapshots';
import { MODEL_NAMES } from '../schemas/run';
import { UsageError, type Command } from './args';
import { outDirFrom } from './inputOptions';
import { describeModel } from './modelDescriptions';
import { shownPath } from './shownPath';
import { table } from './table';

const SUBCOMMANDS = ['list', 'show'] as const;

/** Every stored version of every model: clustering, lifetime value, churn, each oldest first. */
async function allModels(outDir: string) {
  return (await Promise.all(MODEL_NAMES.map((model) => listModels<unknown, unknown>(outDir, model)))).flat();
}

const versionKey = (model: string, version: string) => `${model}/${version}`;

/** Run dates whose manifest names each model version (by versionKey), from the published snapshots. */
async function runDatesByVersion(outDir: string): Promise<Map<string, string[]>> {
  const used = new Map<string, string[]>();
  for (const date of await publishedRunDates(outDir)) {
    for (const [model, use] of Object.entries((await readManifest(outDir, date)).models ?? {})) {
      if (use) used.set(versionKey(model, use.version), [...(used.get(versionKey(model, use.version)) ?? []), date]);
    }
  }
  return used;
}

function datesText(dates: string[]): string {
  if (dates.length === 0) return 'no snapshot';
  return dates.length === 1 ? dates[0]! : `${dates.length} dates, ${dates[0]} to ${dates.at(-1)}`;
}

async function list(outDir: string): Promise<number> {
  const used = await runDatesByVersion(outDir);
  const rows = (await allModels(outDir)).map((stored) => [
    stored.model,
    stored.version,
    stored.trainedAsOf,
    describeModel(stored).metrics,
    datesText(used.get(versionKey(stored.model, stored.version)) ?? []),
    stored.reason,
  ]);
  if (rows.length === 0) {
    process.stdout.write(`No models in ${shownPath(modelsRoot(outDir))}. A 'segflow run' or 'segflow train' trains the first.\n`);
    return 0;
  }
  const header = ['model', 'version', 'trained as of', 'metrics', 'used by', 'why trained'];
  process.stdout.write(`Models in ${shownPath(modelsRoot(outDir))}:\n${table([header, ...rows])}\n`);
  return 0;
}

async function show(outDir: string, version: string): Promise<number> {
  const all = await allModels(outDir);
  const stored = all.find((m) => m.version === version);
  if (!stored) {
    const known = all.map((m) => `${m.model} ${m.version}`).join(', ') || 'none';
    throw new UsageError(`no model version '${version}' in ${modelsRoot(outDir)} (versions: ${known})`);
  }
  const lines = [
    `${stored.model} ${stored.version}: trained as of ${stored.trainedAsOf} by segflow ${stored.code.version}` +
      (stored.code.commit ? ` (${stored.code.commit.slice(0, 12)})` : ''),
    `Why: ${stored.reason}.${stored.previousVersion ? ` It replaced ${stored.previousVersion}.` : ''}`,
    ...describeModel(stored).details,
    `Used by: ${datesText((await runDatesByVersion(outDir)).get(versionKey(stored.model, stored.version)) ?? [])}.`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
  return 0;
}

export const modelsCommand: Command = {
  name: 'models',
  summary: 'List the stored model versions with their metrics and the snapshots that used them, or show one.',
  usage: 'segflow models list|show VERSION [--out DIR]',
  positionals: true,
  options: { out: { type: 'string' } },
  help: {
    list: 'every stored version of clustering, clv and churn: training date, metrics, the run dates that used it, why it was trained',
    'show VERSION': "one version's parameters, metrics, origin and the run dates that used it",
    '--out DIR': 'snapshot root (default: output)',
    '-h, --help': 'show this help',
  },
  async run(values, positionals) {
    const [subcommand, ...words] = positionals;
    const outDir = outDirFrom(values);
    if (subcommand === 'list' && words.length === 0) return list(outDir);
    if (subcommand === 'show' && words.length === 1) return show(outDir, words[0]!);
    throw new UsageError(`say what to do: segflow models ${SUBCOMMANDS.join('|')} (got '${positionals.join(' ')}')`);
  },
};

import type { ClusteringParameters } from '../analytics/clusterModel';
import { listModels, modelsRoot, type ModelName, type StoredModel } from '../lib/modelStore';
import { publishedRunDates, readManifest } from '../lib/snapshots';
import { UsageError, type Command } from './args';
import { outDirFrom } from './inputOptions';
import { shownPath } from './shownPath';
import { table } from './table';

const SUBCOMMANDS = ['list', 'show'] as const;
const MODELS: ModelName[] = ['clustering'];

/** Run dates whose manifest names each model version, from the published snapshots. */
async function runDatesByVersion(outDir: string): Promise<Map<string, string[]>> {
  const used = new Map<string, string[]>();
  for (const date of await publishedRunDates(outDir)) {
    for (const { version } of Object.values((await readManifest(outDir, date)).models ?? {})) {
      used.set(version, [...(used.get(version) ?? []), date]);
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
  const rows: (string | number)[][] = [];
  for (const model of MODELS) {
    for (const stored of await listModels<ClusteringParameters>(outDir, model)) {
      const { k, meanDistance } = stored.parameters;
      rows.push([model, stored.version, stored.trainedAsOf, k, meanDistance.toFixed(3), datesText(used.get(stored.version) ?? []), stored.reason]);
    }
  }
  if (rows.length === 0) {
    process.stdout.write(`No models in ${shownPath(modelsRoot(outDir))}. A 'segflow run' trains the first.\n`);
    return 0;
  }
  const header = ['model', 'version', 'trained as of', 'k', 'mean distance', 'used by', 'why trained'];
  process.stdout.write(`Models in ${shownPath(modelsRoot(outDir))}:\n${table([header, ...rows])}\n`);
  return 0;
}

async function show(outDir: string, version: string): Promise<number> {
  const all = (await Promise.all(MODELS.map((model) => listModels<ClusteringParameters>(outDir, model)))).flat();
  const stored: StoredModel<ClusteringParameters> | undefined = all.find((m) => m.version === version);
  if (!stored) {
    const known = all.map((m) => m.version).join(', ') || 'none';
    throw new UsageError(`no model version '${version}' in ${modelsRoot(outDir)} (versions: ${known})`);
  }
  const { parameters: p } = stored;
  const lines = [
    `${stored.model} ${stored.version}: trained as of ${stored.trainedAsOf} by segflow ${stored.code.version}` +
      (stored.code.commit ? ` (${stored.code.commit.slice(0, 12)})` : ''),
    `Why: ${stored.reason}.${stored.previousVersion ? ` It replaced ${stored.previousVersion}.` : ''}`,
    `k = ${p.k} (${p.selection}), fitted on ${p.fitRows} customers; mean distance to the centroid ${p.meanDistance.toFixed(3)}.`,
    '',
    table([
      ['cluster', 'name', 'mean distance', 'p95 distance'],
      ...p.clusters.map((c) => [c.id, c.name, c.meanDistance.toFixed(3), c.p95Distance.toFixed(3)]),
    ]),
    '',
    `Features: ${p.features.map((f) => f.name).join(', ')}.`,
    `Used by: ${datesText((await runDatesByVersion(outDir)).get(stored.version) ?? [])}.`,
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
    list: 'every stored version: training date, k, fit, the run dates that used it, why it was trained',
    'show VERSION': "one version's clusters, features, origin and the run dates that used it",
    '--out DIR': 'snapshot root (default: output)',
    '-h, --help': 'show this help',
  },
  async run(values, positionals) {
    const [subcommand, version, ...extra] = positionals;
    const outDir = outDirFrom(values);
    if (subcommand === 'list' && version === undefined) return list(outDir);
    if (subcommand === 'show' && version !== undefined && extra.length === 0) return show(outDir, version);
    throw new UsageError(`say what to do: segflow models ${SUBCOMMANDS.join('|')} (got '${positionals.join(' ')}')`);
  },
};

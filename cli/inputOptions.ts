import path from 'node:path';
import { loadSettings } from '../lib/config';
import { outputFolderProblem } from '../lib/outputFolder';
import { PROJECT_ROOT } from '../lib/projectRoot';
import type { RunSettings, SettingsSource } from '../schemas/run';
import { UsageError, type OptionSpec } from './args';

export const SAMPLE_DATA_DIR = path.join(PROJECT_ROOT, 'data', 'sample');

/** Where a command's inputs and snapshots are: the same options for run, backfill and schedule. */
export const INPUT_OPTIONS: OptionSpec = {
  data: { type: 'string' },
  config: { type: 'string' },
  out: { type: 'string' },
};

export const INPUT_HELP: Record<string, string> = {
  '--data DIR': 'folder of input files, with a segflow.config.json or files named after the sources (default: data/sample)',
  '--config FILE': 'configuration file mapping your files and columns (see README)',
  '--out DIR': 'snapshot root (default: output)',
};

/** Where the settings come from, as absolute paths (a schedule keeps this and reads it at every run). */
export function settingsSourceFrom(values: Record<string, unknown>): SettingsSource {
  if (values.config && values.data) throw new UsageError('give either --data or --config, not both');
  if (values.config) return { kind: 'config', path: path.resolve(String(values.config)) };
  return { kind: 'data', path: path.resolve(String(values.data ?? SAMPLE_DATA_DIR)) };
}

export function settingsFrom(values: Record<string, unknown>): RunSettings {
  return loadSettings(settingsSourceFrom(values));
}

export function usesBundledSample(values: Record<string, unknown>): boolean {
  return !values.config && path.resolve(String(values.data ?? SAMPLE_DATA_DIR)) === SAMPLE_DATA_DIR;
}

export function outDirFrom(values: Record<string, unknown>): string {
  return path.resolve(String(values.out ?? 'output'));
}

/** The absolute folder an option names, checked now: a run must not find out after its work that it cannot write. */
export async function writableFolder(dir: string, option: string): Promise<string> {
  const problem = await outputFolderProblem(dir);
  if (problem) throw new UsageError(`cannot write to ${dir}: ${problem}. Give ${option} a folder you can write to.`);
  return dir;
}

/** The snapshot root, checked to be writable. */
export async function writableOutDirFrom(values: Record<string, unknown>): Promise<string> {
  return writableFolder(outDirFrom(values), '--out');
}

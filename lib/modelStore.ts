import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * The model store: `<out>/_models/<model>/<version>/model.json`, one immutable, human-readable JSON file per
 * trained model. A version is named by the date it was trained as of and a hash of its configuration, so the
 * versions of a model sort by training date and a rerun of that date finds the one it trained.
 */
export type ModelName = 'clustering';

export interface StoredModel<Parameters = unknown> {
  model: ModelName;
  version: string;
  /** The run date whose data it was trained on. */
  trainedAsOf: string;
  /** sha256 of the configuration that shapes the model: a change means the model no longer applies. */
  configHash: string;
  /** package.json version and git commit of the code that trained it. */
  code: { version: string; commit: string | null };
  /** What led to training: no model, its age, a configuration change, drift. */
  reason: string;
  /** The version this one replaced, if any. */
  previousVersion: string | null;
  /** Figures of the training data (rows, fit quality). */
  training: Record<string, unknown>;
  parameters: Parameters;
}

const MODEL_FILE = 'model.json';

export function modelsRoot(outDir: string): string {
  return path.join(outDir, '_models');
}

/** sha256 of a JSON value with its object keys sorted, so equal configurations hash alike. */
export function configHash(config: unknown): string {
  const canonical = (value: unknown): unknown =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, canonical(v)]))
      : Array.isArray(value) ? value.map(canonical) : value;
  return createHash('sha256').update(JSON.stringify(canonical(config))).digest('hex');
}

export function versionName(trainedAsOf: string, hash: string): string {
  return `${trainedAsOf}_${hash.slice(0, 8)}`;
}

/** Every stored version of a model, oldest training date first. */
export async function listModels<Parameters>(outDir: string, model: ModelName): Promise<StoredModel<Parameters>[]> {
  const dir = path.join(modelsRoot(outDir), model);
  const versions = await fs.readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const models: StoredModel<Parameters>[] = [];
  for (const version of versions.sort()) {
    const file = path.join(dir, version, MODEL_FILE);
    const text = await fs.readFile(file, 'utf8').catch(() => null); // a version folder still being written
    if (text !== null) models.push(JSON.parse(text) as StoredModel<Parameters>);
  }
  return models.sort((a, b) => a.trainedAsOf.localeCompare(b.trainedAsOf) || a.version.localeCompare(b.version));
}

/** The newest model trained as of `date` or earlier: what a run for `date` may score with, never a later one. */
export async function newestModelAsOf<Parameters>(outDir: string, model: ModelName, date: string): Promise<StoredModel<Parameters> | null> {
  const eligible = (await listModels<Parameters>(outDir, model)).filter((m) => m.trainedAsOf <= date);
  return eligible.at(-1) ?? null;
}

/**
 * Writes a model version atomically (a temporary file renamed into place). A version that exists already is
 * left as it is: versions are immutable, and the same date and configuration train the same model.
 */
export async function saveModel(outDir: string, stored: StoredModel): Promise<string> {
  const dir = path.join(modelsRoot(outDir), stored.model, stored.version);
  const file = path.join(dir, MODEL_FILE);
  await fs.mkdir(dir, { recursive: true });
  const exists = await fs.stat(file).then(() => true, () => false);
  if (!exists) {
    const temporary = `${file}.${process.pid}.tmp`;
    await fs.writeFile(temporary, `${JSON.stringify(stored, null, 2)}\n`);
    await fs.rename(temporary, file);
  }
  return file;
}

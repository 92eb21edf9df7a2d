import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ModelName, ModelUse } from '../schemas/run';
import { codeVersion } from './codeVersion';
import { refitDecision, type RefitDecision } from './refitPolicy';

/**
 * The model store: `<out>/_models/<model>/<version>/model.json`, one immutable, human-readable JSON file per
 * trained model. A version is named by the date it was trained as of and a hash of its configuration, so the
 * versions of a model sort by training date and a rerun of that date finds the one it trained.
 */

export interface StoredModel<Parameters = unknown, Training = Record<string, unknown>> {
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
  /** Figures of the training: its data (rows, dates), the fit's quality, and how it did on data it was not fitted on. */
  training: Training;
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

function versionName(trainedAsOf: string, hash: string): string {
  return `${trainedAsOf}_${hash.slice(0, 8)}`;
}

/** Every stored version of a model, oldest training date first. */
export async function listModels<Parameters, Training = Record<string, unknown>>(
  outDir: string,
  model: ModelName,
): Promise<StoredModel<Parameters, Training>[]> {
  const dir = path.join(modelsRoot(outDir), model);
  const versions = await fs.readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const models: StoredModel<Parameters, Training>[] = [];
  for (const version of versions.sort()) {
    const file = path.join(dir, version, MODEL_FILE);
    const text = await fs.readFile(file, 'utf8').catch(() => null); // a version folder still being written
    if (text !== null) models.push(JSON.parse(text) as StoredModel<Parameters, Training>);
  }
  return models.sort((a, b) => a.trainedAsOf.localeCompare(b.trainedAsOf) || a.version.localeCompare(b.version));
}

/** The newest model trained as of `date` or earlier: what a run for `date` may score with, never a later one. */
async function newestModelAsOf<Parameters, Training = Record<string, unknown>>(
  outDir: string,
  model: ModelName,
  date: string,
): Promise<StoredModel<Parameters, Training> | null> {
  const eligible = (await listModels<Parameters, Training>(outDir, model)).filter((m) => m.trainedAsOf <= date);
  return eligible.at(-1) ?? null;
}

/** The run a model stage serves: its snapshot root, its date, and whether `segflow train` asked for a new version. */
export interface ModelRun {
  outDir: string;
  runDate: string;
  trainOnRequest?: boolean;
}

/** The newest version a run may score with, and the refit policy's word on it (lib/refitPolicy.ts). */
export async function chooseModel<Parameters, Training>(
  model: ModelName,
  run: ModelRun,
  configHash: string,
  refit: { everyDays: number },
): Promise<RefitDecision & { stored: StoredModel<Parameters, Training> | null }> {
  const stored = await newestModelAsOf<Parameters, Training>(run.outDir, model, run.runDate);
  const question = { model, runDate: run.runDate, configHash, everyDays: refit.everyDays, onRequest: run.trainOnRequest ?? false };
  return { stored, ...refitDecision(stored, question) };
}

/**
 * Writes a model version atomically (a temporary file renamed into place). A version that exists already is
 * left as it is: versions are immutable, and the same date and configuration train the same model.
 */
async function saveModel(outDir: string, stored: StoredModel<unknown, unknown>): Promise<string> {
  const dir = path.join(modelsRoot(outDir), stored.model, stored.version);
  const file = path.join(dir, MODEL_FILE);
  await fs.mkdir(dir, { recursive: true });
  const exists = await fs.stat(file).then(() => true, () => false);
  if (!exists) {
    const temporary = `${file}.${randomUUID()}.tmp`; // two activities of one worker may write at once
    await fs.writeFile(temporary, `${JSON.stringify(stored, null, 2)}\n`);
    await fs.rename(temporary, file);
  }
  return file;
}

/** What a run trained, to be stored as a version of its model trained as of the run date. */
export interface TrainedModel<Parameters, Training> {
  model: ModelName;
  runDate: string;
  configHash: string;
  reason: string;
  previous: StoredModel<unknown, unknown> | null;
  training: Training;
  parameters: Parameters;
}

/** Stores a trained model as a new version, with the code that trained it; returns the version as stored. */
export async function storeNewVersion<Parameters, Training>(
  outDir: string,
  trained: TrainedModel<Parameters, Training>,
): Promise<StoredModel<Parameters, Training>> {
  const stored: StoredModel<Parameters, Training> = {
    model: trained.model,
    version: versionName(trained.runDate, trained.configHash),
    trainedAsOf: trained.runDate,
    configHash: trained.configHash,
    code: codeVersion(),
    reason: trained.reason,
    previousVersion: trained.previous?.version ?? null,
    training: trained.training,
    parameters: trained.parameters,
  };
  await saveModel(outDir, stored);
  return stored;
}

/** The manifest's word on a model a run scored with: its version, and the reason when the run trained it. */
export function modelUse(stored: StoredModel<unknown, unknown>, reason: string | null): ModelUse {
  return { version: stored.version, trainedAsOf: stored.trainedAsOf, refitted: reason !== null, reason };
}

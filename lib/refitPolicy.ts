import type { ModelName } from '../schemas/run';

/** What the policy reads of a stored version (lib/modelStore.ts). */
export interface VersionFacts {
  version: string;
  trainedAsOf: string;
  configHash: string;
}

export interface RefitQuestion {
  model: ModelName;
  runDate: string;
  /** The hash of today's configuration of the model (configHash in lib/modelStore.ts). */
  configHash: string;
  /** `<model>.refit.everyDays`. */
  everyDays: number;
  /** Train whatever the age and drift of the stored model (segflow train). */
  onRequest: boolean;
}

export interface RefitDecision {
  /** Why the run trains a new version; null when it scores with the stored one. */
  reason: string | null;
  /** Whether the stored model is to be checked for drift on today's data before it is used. */
  checkDrift: boolean;
}

export const TRAINED_ON_REQUEST = 'trained on request (segflow train)';

const DAY_MS = 86_400_000;

/**
 * Whether a run for `runDate` scores with `stored`, the newest version trained as of that date or earlier, or
 * trains a new one, and why. A version trained as of the run date itself with today's configuration is final for
 * that date: it learnt from the very data the run sees, so a rerun scores with it and publishes the same bytes,
 * and neither drift nor a request can teach a new one anything.
 */
export function refitDecision(stored: VersionFacts | null, question: RefitQuestion): RefitDecision {
  const { model, runDate, configHash, everyDays } = question;
  if (stored && stored.trainedAsOf === runDate && stored.configHash === configHash) return { reason: null, checkDrift: false };
  if (question.onRequest) return { reason: TRAINED_ON_REQUEST, checkDrift: false };
  if (!stored) return { reason: `no ${model} model trained as of ${runDate} or earlier`, checkDrift: false };
  if (stored.configHash !== configHash) {
    return { reason: `the ${model} configuration or its features changed since ${stored.version}`, checkDrift: false };
  }
  const age = (Date.parse(runDate) - Date.parse(stored.trainedAsOf)) / DAY_MS;
  if (age >= everyDays) return { reason: `${stored.version} is ${age} days old (${model}.refit.everyDays ${everyDays})`, checkDrift: false };
  return { reason: null, checkDrift: true };
}

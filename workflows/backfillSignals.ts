import { defineSignal } from '@temporalio/workflow';
import type { ModelName } from '../schemas/run';

/**
 * How the dates of a backfill take turns where one date needs what the date before it leaves behind. Dates run
 * side by side, but each model stage reads the model store its predecessor may have just written to, and the
 * campaigns and transitions read its published snapshot. The backfill relays between the two runs.
 */

/** Backfill to a date's run: the previous date of the range has published (or failed). */
export const predecessorSettledSignal = defineSignal('predecessorSettled');

/** Backfill to a date's run: the previous date has finished its stage of this model (stored a version or not). */
export const predecessorModelSettledSignal = defineSignal<[ModelName]>('predecessorModelSettled');

/** A date's run to its backfill: this date has finished its stage of this model. */
export const modelSettledSignal = defineSignal<[runDate: string, model: ModelName]>('modelSettled');

import { ApplicationFailure } from '@temporalio/common';
import { ConfigError, loadSettings } from '../lib/config';
import type { RunSettings, SettingsSource } from '../schemas/run';

/**
 * Reads the configuration when a scheduled run fires, not when the schedule was created: an edited
 * configuration applies from the next run on. A configuration error cannot be fixed by retrying.
 */
export async function loadRunSettings(source: SettingsSource): Promise<RunSettings> {
  try {
    return loadSettings(source);
  } catch (error) {
    if (error instanceof ConfigError) throw ApplicationFailure.nonRetryable(error.message, 'ConfigError');
    throw error;
  }
}

import type { RunSettings } from '../schemas/run';

/** What every analytic stage needs: the date, the settings, and the run's staging folder. */
export interface StageInput {
  runDate: string;
  settings: RunSettings;
  stagingDir: string;
}

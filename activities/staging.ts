import path from 'node:path';
import { removeStagingFolder } from '../lib/stagingFolders';

/**
 * A run's staging folder holds each stage's Parquet files as `<staging>/<stage>/<name>.parquet`.
 * Activities hand each other these paths, never the rows.
 */
export function stagingFile(stagingDir: string, stage: string, name: string): string {
  return path.join(stagingDir, stage, `${name}.parquet`);
}

/** Removes a run's staging folder once its snapshot is published (or the run is cancelled), leaving no empty folder. */
export async function discardStaging({ stagingDir }: { stagingDir: string }): Promise<void> {
  await removeStagingFolder(stagingDir);
}

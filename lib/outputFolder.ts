import { constants, promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Why this process cannot write into `dir`, or null when it can: the folder, or else the nearest folder above
 * it that exists (where it would be created), must be a folder this process may write to. Creates nothing.
 */
export async function outputFolderProblem(dir: string): Promise<string | null> {
  const folder = path.resolve(dir);
  for (let existing = folder; ; existing = path.dirname(existing)) {
    let stats;
    try {
      stats = await fs.stat(existing);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Missing, or below a file: the folder would be created from the nearest existing one up.
      if ((code === 'ENOENT' || code === 'ENOTDIR') && existing !== path.dirname(existing)) continue;
      return `${existing} cannot be examined (${(error as Error).message})`;
    }
    const where = existing === folder ? '' : ', so the folder cannot be created in it';
    if (!stats.isDirectory()) return `${existing} is a file, not a folder${where}`;
    try {
      await fs.access(existing, constants.W_OK | constants.X_OK);
      return null;
    } catch (error) {
      return `${existing} is not writable (${(error as NodeJS.ErrnoException).code})${where}`;
    }
  }
}

import path from 'node:path';

/** A path as the person at the terminal wants it: relative below the working folder, absolute elsewhere. */
export function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  if (relative === '') return '.';
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

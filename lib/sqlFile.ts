import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './projectRoot';

const cache = new Map<string, string>();

/** Reads a model from sql/, e.g. sqlFile('marts/rfm.sql'): the SQL that defines a table lives in its own file. */
export function sqlFile(relativePath: string): string {
  let sql = cache.get(relativePath);
  if (sql === undefined) {
    sql = readFileSync(path.join(PROJECT_ROOT, 'sql', relativePath), 'utf8');
    cache.set(relativePath, sql);
  }
  return sql;
}

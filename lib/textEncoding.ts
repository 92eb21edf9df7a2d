import { createReadStream, createWriteStream, openSync, readSync, closeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { TextEncoding } from '../schemas/config';

/** The encoding a file's byte order mark names, if it has one. */
export function byteOrderMark(file: string): 'utf-16le' | 'utf-16be' | null {
  const head = Buffer.alloc(2);
  const descriptor = openSync(file, 'r');
  try {
    readSync(descriptor, head, 0, 2, 0);
  } finally {
    closeSync(descriptor);
  }
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return null;
}

/**
 * Writes `file`, declared in `encoding`, as UTF-8 to `destination`, streaming. 'latin-1' is read as
 * Windows-1252, its superset for the printable range, as browsers do; UTF-16 follows its byte order mark.
 */
export async function convertToUtf8(file: string, encoding: Exclude<TextEncoding, 'utf-8'>, destination: string): Promise<void> {
  const label = encoding === 'utf-16' ? (byteOrderMark(file) ?? 'utf-16le') : 'windows-1252';
  const decoder = new TextDecoder(label);
  await mkdir(path.dirname(destination), { recursive: true });
  await pipeline(
    createReadStream(file),
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) yield decoder.decode(chunk, { stream: true });
      yield decoder.decode();
    },
    createWriteStream(destination),
  );
}

import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';

/** Characters buffered before a write to disk: few large writes are much faster than many small ones. */
const FLUSH_AT = 1 << 20;

export type Field = string | number;

/** One CSV line (RFC 4180 quoting where needed), without its line break. */
export function csvLine(fields: readonly Field[]): string {
  return fields
    .map((field) => {
      const text = String(field);
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',');
}

/**
 * Streams lines to a file. Lines are buffered synchronously; the owner calls flushIfFull() between batches,
 * which waits for the disk when it falls behind, so a million customers never pile up in memory.
 */
export class LineWriter {
  private readonly stream: WriteStream;
  private buffer: string[] = [];
  private buffered = 0;
  private repeats: string[] = [];
  private failure: Error | undefined;
  private written = 0;

  constructor(
    readonly file: string,
    header?: readonly string[],
  ) {
    this.stream = createWriteStream(file);
    // Without a listener a disk error would crash the process; it is reported by the next flush or close.
    this.stream.on('error', (error) => (this.failure = error));
    if (header) this.buffer.push(`${csvLine(header)}\n`);
  }

  /** Data lines written, repeats included, header not. */
  get rows(): number {
    return this.written;
  }

  write(line: string): void {
    this.buffer.push(`${line}\n`);
    this.buffered += line.length + 1;
    this.written++;
  }

  /** Writes the line again at the next flush, some way after its first copy, as overlapping exports do. */
  repeatLater(line: string): void {
    this.repeats.push(`${line}\n`);
    this.written++;
  }

  async flushIfFull(): Promise<void> {
    if (this.buffered >= FLUSH_AT) await this.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    const chunk = this.buffer.join('') + this.repeats.join('');
    this.buffer = [];
    this.repeats = [];
    this.buffered = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
}

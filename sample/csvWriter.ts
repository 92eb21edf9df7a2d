import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

const FLUSH_AT = 1 << 16;

function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Streams lines to a file in 64 KiB writes, honouring backpressure, so a million customers fit in memory. */
export class LineWriter {
  private readonly stream: WriteStream;
  private buffer: string[] = [];
  private size = 0;
  rows = 0;

  constructor(readonly file: string, header?: string[]) {
    this.stream = createWriteStream(file);
    if (header) this.buffer.push(`${header.join(',')}\n`);
  }

  async csv(values: (string | number | null)[]): Promise<void> {
    await this.line(values.map(csvField).join(','));
  }

  async line(text: string): Promise<void> {
    this.buffer.push(`${text}\n`);
    this.size += text.length + 1;
    this.rows++;
    if (this.size >= FLUSH_AT) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.stream.write(this.buffer.join(''))) await once(this.stream, 'drain');
    this.buffer = [];
    this.size = 0;
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

import type { DevServer } from '../lib/devServer';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { segflowTestServer?: DevServer }).segflowTestServer?.stop();
}

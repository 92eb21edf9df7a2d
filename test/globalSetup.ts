import { startDevServer, type DevServer } from '../lib/devServer';

/** One real Temporal dev server for the whole test run; test files connect through TEMPORAL_TEST_ADDRESS. */
export default async function globalSetup(): Promise<void> {
  const server: DevServer = await startDevServer({ log: (line) => process.stderr.write(`${line}\n`) });
  process.env.TEMPORAL_TEST_ADDRESS = server.endpoint.address;
  (globalThis as { segflowTestServer?: DevServer }).segflowTestServer = server;
}

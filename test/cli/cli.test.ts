import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The command line as a user runs it: the compiled bin/segflow.js (npm test builds dist/ first). */
const BIN = path.join(__dirname, '..', '..', 'bin', 'segflow.js');
const segflow = (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const { TEMPORAL_ADDRESS: _ignored, ...inherited } = process.env;
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...inherited, ...env }, timeout: 170_000 });
};

test.each(['run', 'worker', 'generate', 'server'])('segflow %s --help describes its options', (command) => {
  const result = segflow([command, '--help']);
  expect(result.status).toBe(0);
  expect(result.stdout).toContain(`Usage: segflow ${command}`.replace('segflow worker', 'TEMPORAL_ADDRESS=host:7233 segflow worker'));
  expect(result.stdout).toContain('-h, --help');
});

test('segflow --help lists the commands; an unknown command says so', () => {
  expect(segflow(['--help']).stdout).toMatch(/run .*\n.*worker .*\n.*generate .*\n.*server /);
  const unknown = segflow(['rnu']);
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toContain("unknown command 'rnu'");
});

test('a configuration mistake exits 2 with the field named, before any server starts', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'segflow-cli-config-'));
  const config = path.join(dir, 'bad.json');
  writeFileSync(config, JSON.stringify({ sources: { orders: { path: 'o.csv', columns: { member: 'CustomerID' } } } }));
  const result = segflow(['run', '--config', config, '--date', '2024-01-01']);
  expect(result.status).toBe(2);
  expect(result.stderr).toContain("sources.orders.columns.member: 'member' is not a column of orders");
});

test('segflow run starts its own dev server and worker, prints each stage and the summary', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'segflow-cli-run-'));
  const out = path.join(work, 'out');
  const fixture = path.join(__dirname, '..', 'fixtures', 'handmade');
  const result = segflow(['run', '--data', fixture, '--date', '2024-06-30', '--out', out], {
    SEGFLOW_STATE_DIR: path.join(work, 'state'),
  });
  expect(result.stderr).toContain('Starting a Temporal dev server');
  expect(result.stderr).toMatch(/✓ ingest[\s\S]*✓ publish/);
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('Run 2024-06-30 published.');
  expect(result.stdout).toMatch(/orders\s+16\s+11\s+4\s+1/);
  expect(result.stdout).toMatch(/Champions\s+2/);
  expect(result.stdout).toContain('Segments (6 customers scored; top 20% bring 56.8% of revenue):');
  expect(result.stdout).toMatch(/Clusters \(k = 2 as configured, silhouette \d\.\d{3}\):/);
  expect(existsSync(path.join(out, '_runs', 'run_date=2024-06-30', 'manifest.json'))).toBe(true);
  expect(existsSync(path.join(work, 'state', 'temporal.sqlite'))).toBe(true);
});

test('a run for a date before any purchase publishes an empty snapshot and says so', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'segflow-cli-early-'));
  const out = path.join(work, 'out');
  const fixture = path.join(__dirname, '..', 'fixtures', 'handmade');
  const result = segflow(['run', '--data', fixture, '--date', '2023-06-02', '--out', out], {
    SEGFLOW_STATE_DIR: path.join(work, 'state'),
  });
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('Segments (0 customers scored):\n  (none)');
  expect(result.stdout).toMatch(/rfm\s+0\n/);
  expect(result.stdout).toMatch(/cluster_profiles\s+0\n/);
});

import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { settingsForDataDir } from '../../lib/config';
import { generateSample } from '../../sample/generateSample';
import type { SegmentationRunResult } from '../../schemas/run';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

/**
 * The report of 1,000 generated customers on two dates (so that transitions, the churn model and the
 * lifetime-value holdout all have rows), opened from disk in a real headless Chromium.
 */
const CHROMIUM_CANDIDATES = [process.env.SEGFLOW_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

function chromium(): string {
  const found = CHROMIUM_CANDIDATES.find((candidate): candidate is string => !!candidate && existsSync(candidate));
  if (!found) throw new Error('no Chromium: install it (apt-get install -y chromium, as .ci/run does) or set SEGFLOW_CHROMIUM');
  return found;
}

let temporal: TestTemporal;
let outDir: string;
let result: SegmentationRunResult;
let browser: Browser;

beforeAll(async () => {
  temporal = await startTestTemporal();
  outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-report-browser-'));
  const data = path.join(outDir, 'generated');
  await generateSample({ customers: 1000, outDir: data });
  await temporal.run({ runDate: '2026-09-30', outDir, settings: settingsForDataDir(data) });
  result = await temporal.run({ runDate: '2026-10-31', outDir, settings: settingsForDataDir(data) });
  browser = await puppeteer.launch({ executablePath: chromium(), headless: true, args: ['--no-sandbox', '--disable-gpu'] });
});

afterAll(async () => {
  await browser?.close();
  await temporal.stop();
  // The screenshot stays for whoever wants to look at the page; the snapshot goes.
  await fs.rm(outDir, { recursive: true, force: true });
});

test('every chart renders with a size, with no network request and no console error, and a screenshot is saved', async () => {
  const page = await browser.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => void requests.push(request.url()));
  page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
  page.on('pageerror', (error) => void errors.push(String(error)));
  page.on('requestfailed', (request) => void errors.push(`failed: ${request.url()}`));
  const url = pathToFileURL(result.reportPath).href;
  await page.setViewport({ width: 1200, height: 900 });
  await page.goto(url, { waitUntil: 'load' });

  const charts = await page.$$eval('figure', (figures) =>
    figures.map((figure) => {
      const svg = figure.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      return { title: figure.previousElementSibling?.previousElementSibling?.textContent, width: box?.width ?? 0, height: box?.height ?? 0 };
    }),
  );
  const sections = await page.$$eval('section', (all) => all.map((s) => s.id));
  expect(sections).toEqual([
    'run', 'segments', 'rfm', 'transitions', 'clusters', 'clv', 'churn', 'campaigns', 'results', 'demographics', 'channels', 'discounts', 'cohorts',
  ]);
  expect(charts.map((chart) => chart.title)).toContain('Churn model: ROC curve on the evaluation date');
  expect(charts.length).toBeGreaterThanOrEqual(18);
  for (const chart of charts) {
    expect({ chart: chart.title, sized: chart.width > 0 && chart.height > 0 }).toEqual({ chart: chart.title, sized: true });
  }
  // The page itself is the one request: nothing else, from anywhere.
  expect(requests).toEqual([url]);
  expect(errors).toEqual([]);

  const shots = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-report-screenshot-'));
  const screenshot = path.join(shots, 'report.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  expect((await fs.stat(screenshot)).size).toBeGreaterThan(10_000);
  process.stdout.write(`Report screenshot: ${screenshot}\n`);
});

test('charts aggregate: the page stays small and shows no customer id', async () => {
  const html = await fs.readFile(result.reportPath, 'utf8');
  expect(Buffer.byteLength(html)).toBeLessThanOrEqual(2 * 1024 * 1024);
  expect(html).not.toMatch(/M\d{6}/);
});

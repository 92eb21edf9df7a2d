/**
 * `npm run bench`: the segmentationRun workflow as users run it (a real dev server, a worker in a process of
 * its own, generated data), at 10k and 100k customers, and at 1M with `--scale L` (or SEGFLOW_BENCH_SCALE=L);
 * a 500k-line export in the UCI Online Retail layout; association rules on 10M order lines; and, with `--backfill`,
 * a 30-date backfill at 100k, twice: with the default refit policy of the three models and with a refit of every
 * model on every date (`--customers N` and `--dates N` for a smaller one).
 * Each run is set against the floor: DuckDB alone reading the same files and writing one aggregated table.
 * A stage's seconds are its activity's on the worker, from the run's history, without its wait for a free slot.
 * Prints the figures, writes them as JSON for comparing two runs, and exits with 1 when a target is missed.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { DateTime } from 'luxon';
import { failureMessage } from '../cli/failureMessage';
import { settingsForDataDir } from '../lib/config';
import { startDevServer } from '../lib/devServer';
import { runDatesBetween } from '../lib/runDate';
import { connectClient, logTemporalWarningsOnly } from '../lib/temporalConnection';
import { startWorkerProcess } from '../lib/workerProcess';
import { readManifest } from '../lib/snapshots';
import { MODEL_NAMES, type ModelName, type RunSettings } from '../schemas/run';
import { backfill, backfillProgressQuery, segmentationRun } from '../workflows';
import { measureBasketRules, type BasketRulesMeasure } from './basketRules';
import { BENCH_RUN_DATE, sampleData, uciExport } from './benchData';
import { measureFloor } from './floor';
import { compareKMeans, type KMeansComparison } from './kmeansComparison';
import { stageRunSeconds } from './stageRunSeconds';

/** Targets are ratios to the floor where they can be, so that the machine's speed cancels out. */
const TARGETS = {
  totalOverFloor: 4,
  peakRssBytesAtLargestScale: 3e9,
  /** Seconds of a stage at 1M customers over its seconds at 100k: linear work grows about 10 times. */
  stageGrowth: 12,
  uciStagesSeconds: 2,
  /** Issue 11: BG/NBD and Gamma-Gamma on a million customers. */
  clvFitSecondsAtLargestScale: 5,
  backfillSecondsPerDate: 1.5,
  /** Issue 14: association rules (sql/marts/association_rules.sql) over 10M order lines. */
  basketRulesSeconds: 10,
};
const SCALES: Record<string, number> = { S: 10_000, M: 100_000, L: 1_000_000 };
const UCI_LINES = 500_000;
const BACKFILL_DATES = 30;
const BASKET_LINES = 10_000_000;

interface RunMeasure {
  name: string;
  /** Each stage's seconds as the workflow saw them: from scheduling, so with any wait for a worker slot. */
  stages: Record<string, number>;
  /** Each stage's seconds on the worker (bench/stageRunSeconds.ts): what the table prints and growth compares. */
  stagesRan: Record<string, number>;
  /** From the first stage's start to the last one's end: stages side by side count once, as a user waits. */
  stagesSeconds: number;
  totalSeconds: number;
  floorSeconds: number;
  totalOverFloor: number;
  peakRssBytes: number | null;
  /** Lifetime value's model fits (statistics.lifetimeValue.fitSeconds); null when it fell back to its heuristic. */
  clvFitSeconds: number | null;
}

interface BackfillMeasure {
  policy: string;
  /** Dates whose run trained each model, read from the manifests. */
  refits: Record<ModelName, number>;
  customers: number;
  dates: number;
  ingestAndCleanSeconds: number;
  datesSeconds: number;
  secondsPerDate: number;
}

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

class Bench {
  private constructor(
    private readonly client: Client,
    private readonly address: string,
    private readonly scratch: string,
  ) {}

  static async start(scratch: string): Promise<{ bench: Bench; stop(): Promise<void> }> {
    logTemporalWarningsOnly();
    const server = await startDevServer();
    const client = await connectClient(server.endpoint);
    return {
      bench: new Bench(client, server.endpoint.address, scratch),
      async stop() {
        await client.connection.close();
        await server.stop();
      },
    };
  }

  /** Runs `work` with a fresh worker process on a task queue of its own; returns its result and peak memory. */
  private async withWorker<T>(work: (taskQueue: string) => Promise<T>): Promise<[T, number | null]> {
    const taskQueue = `segflow-bench-${randomUUID()}`;
    const worker = await startWorkerProcess(this.address, taskQueue);
    try {
      const result = await work(taskQueue);
      return [result, worker.peakRss()];
    } finally {
      await worker.stop();
    }
  }

  async run(name: string, settings: RunSettings): Promise<RunMeasure> {
    const floorSeconds = await measureFloor(settings);
    const outDir = await fs.mkdtemp(path.join(this.scratch, 'out-'));
    const [{ result, totalSeconds, history }, peakRssBytes] = await this.withWorker(async (taskQueue) => {
      const started = process.hrtime.bigint();
      const handle = await this.client.workflow.start(segmentationRun, {
        workflowId: `segflow-bench-${name}-${randomUUID()}`,
        taskQueue,
        args: [{ runDate: BENCH_RUN_DATE, outDir, settings }],
      });
      const result = await handle.result();
      return { result, totalSeconds: seconds(started), history: await handle.fetchHistory() };
    });
    const manifest = JSON.parse(await fs.readFile(result.manifestPath, 'utf8')) as { statistics: { lifetimeValue: { fitSeconds: number | null } } };
    await fs.rm(outDir, { recursive: true, force: true });
    const stages = Object.fromEntries(result.stages.map((s) => [s.stage, s.seconds]));
    const starts = result.stages.map((s) => Date.parse(s.startedAt));
    const ends = result.stages.map((s, i) => starts[i]! + s.seconds * 1000);
    const stagesSeconds = (Math.max(...ends) - Math.min(...starts)) / 1000;
    return {
      name,
      stages,
      stagesRan: stageRunSeconds(history),
      stagesSeconds,
      totalSeconds,
      floorSeconds,
      totalOverFloor: totalSeconds / floorSeconds,
      peakRssBytes,
      clvFitSeconds: manifest.statistics.lifetimeValue.fitSeconds,
    };
  }

  /** A backfill of the last `dateCount` dates: how long the dates take after the shared ingest and clean. */
  async backfill(policy: string, settings: RunSettings, customers: number, dateCount: number): Promise<BackfillMeasure> {
    const first = DateTime.fromISO(BENCH_RUN_DATE).minus({ days: dateCount - 1 }).toISODate()!;
    const dates = runDatesBetween(first, BENCH_RUN_DATE);
    const outDir = await fs.mkdtemp(path.join(this.scratch, 'backfill-'));
    const [measure] = await this.withWorker(async (taskQueue) => {
      const started = process.hrtime.bigint();
      const handle = await this.client.workflow.start(backfill, {
        workflowId: `segflow-bench-backfill-${randomUUID()}`,
        taskQueue,
        args: [{ from: dates[0]!, to: dates.at(-1)!, outDir, settings, concurrency: 2, force: true }],
      });
      let datesStarted: bigint | null = null;
      const done = handle.result();
      let settled = false;
      void done.finally(() => (settled = true)).catch(() => undefined);
      while (!settled) {
        const progress = await handle.query(backfillProgressQuery).catch(() => null);
        if (!datesStarted && progress?.phase === 'running dates') datesStarted = process.hrtime.bigint();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const result = await done;
      if (result.failed.length > 0) throw new Error(`backfill dates failed: ${result.failed.map((f) => f.runDate).join(', ')}`);
      const datesSeconds = datesStarted ? seconds(datesStarted) : seconds(started);
      const refits = Object.fromEntries(MODEL_NAMES.map((model) => [model, 0])) as Record<ModelName, number>;
      for (const date of dates) {
        for (const [model, use] of Object.entries((await readManifest(outDir, date)).models ?? {})) if (use?.refitted) refits[model as ModelName]++;
      }
      return {
        policy,
        refits,
        customers,
        dates: dates.length,
        ingestAndCleanSeconds: seconds(started) - datesSeconds,
        datesSeconds,
        secondsPerDate: datesSeconds / dates.length,
      };
    });
    await fs.rm(outDir, { recursive: true, force: true });
    return measure;
  }
}

function printRuns(runs: RunMeasure[]): void {
  const stageNames = [...new Set(runs.flatMap((run) => Object.keys(run.stagesRan)))];
  const header = 'stage seconds on the worker';
  const width = Math.max(...stageNames.map((s) => s.length + 2), header.length);
  const row = (label: string, cells: string[]) => `${label.padEnd(width)} ${cells.map((c) => c.padStart(12)).join('')}`;
  const lines = [
    row(header, runs.map((r) => r.name)),
    ...stageNames.map((stage) => row(`  ${stage}`, runs.map((r) => (r.stagesRan[stage] === undefined ? '' : r.stagesRan[stage]!.toFixed(2))))),
    row('stages, wall clock (s)', runs.map((r) => r.stagesSeconds.toFixed(2))),
    row('total through Temporal (s)', runs.map((r) => r.totalSeconds.toFixed(2))),
    row('floor (s)', runs.map((r) => r.floorSeconds.toFixed(2))),
    row('total / floor', runs.map((r) => r.totalOverFloor.toFixed(2))),
    row('worker peak RSS (GB)', runs.map((r) => (r.peakRssBytes === null ? 'n/a' : (r.peakRssBytes / 1e9).toFixed(2)))),
    row('clv model fit (s)', runs.map((r) => (r.clvFitSeconds === null ? 'heuristic' : r.clvFitSeconds.toFixed(2)))),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Every target a measurement misses, as sentences. */
function missedTargets(runs: RunMeasure[], uci: RunMeasure | null, backfillMeasure: BackfillMeasure | undefined): string[] {
  const missed: string[] = [];
  for (const run of runs.filter((r) => r.name !== 'S')) {
    if (run.totalOverFloor > TARGETS.totalOverFloor) {
      missed.push(`${run.name}: total ${run.totalSeconds.toFixed(1)} s is ${run.totalOverFloor.toFixed(2)} x the floor (target ${TARGETS.totalOverFloor})`);
    }
  }
  const largest = runs.at(-1);
  if (largest?.peakRssBytes && largest.peakRssBytes > TARGETS.peakRssBytesAtLargestScale && largest.name === 'L') {
    missed.push(`L: worker peak RSS ${(largest.peakRssBytes / 1e9).toFixed(2)} GB (target ${TARGETS.peakRssBytesAtLargestScale / 1e9} GB)`);
  }
  if (largest?.name === 'L' && largest.clvFitSeconds !== null && largest.clvFitSeconds > TARGETS.clvFitSecondsAtLargestScale) {
    missed.push(`L: lifetime value's model fit took ${largest.clvFitSeconds.toFixed(2)} s (target ${TARGETS.clvFitSecondsAtLargestScale} s)`);
  }
  const [medium, large] = [runs.find((r) => r.name === 'M'), runs.find((r) => r.name === 'L')];
  if (medium && large) {
    for (const [stage, largeSeconds] of Object.entries(large.stagesRan)) {
      const growth = largeSeconds / Math.max(medium.stagesRan[stage] ?? 0, 0.05);
      if (growth > TARGETS.stageGrowth) missed.push(`${stage}: ${growth.toFixed(1)} x slower at 1M than at 100k (target ${TARGETS.stageGrowth})`);
    }
  }
  if (uci && uci.stagesSeconds > TARGETS.uciStagesSeconds) {
    missed.push(`UCI export: stages took ${uci.stagesSeconds.toFixed(2)} s (target ${TARGETS.uciStagesSeconds} s)`);
  }
  if (backfillMeasure && backfillMeasure.secondsPerDate > TARGETS.backfillSecondsPerDate) {
    missed.push(`backfill: ${backfillMeasure.secondsPerDate.toFixed(2)} s per date (target ${TARGETS.backfillSecondsPerDate} s)`);
  }
  return missed;
}

/** The settings with every model's refit.everyDays at 1: each date trains its own models. */
function refitEveryDate(settings: RunSettings): RunSettings {
  return {
    ...settings,
    clustering: { ...settings.clustering, refit: { ...settings.clustering.refit, everyDays: 1 } },
    clv: { ...settings.clv, refit: { ...settings.clv.refit, everyDays: 1 } },
    churn: { ...settings.churn, refit: { ...settings.churn.refit, everyDays: 1 } },
  };
}

/** A whole number above 0 given on the command line, or undefined when not given. */
function positiveOption(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number above 0, got '${raw}'`);
  return value;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string' },
      backfill: { type: 'boolean' },
      customers: { type: 'string' },
      dates: { type: 'string' },
      json: { type: 'string' },
    },
  });
  const withLarge = (values.scale ?? process.env.SEGFLOW_BENCH_SCALE ?? '').toUpperCase() === 'L';
  const cacheDir = path.resolve(process.env.SEGFLOW_BENCH_DIR ?? path.join('.segflow', 'bench'));
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-bench-'));
  const { bench, stop } = await Bench.start(scratch);
  try {
    let runs: RunMeasure[] = [];
    let uci: RunMeasure | null = null;
    const backfills: BackfillMeasure[] = [];
    let kmeans: KMeansComparison | null = null;
    let basketRules: BasketRulesMeasure | null = null;
    if (values.backfill) {
      // The default policy (every model refitted every 7 days, or on drift) and a refit on every date: what the
      // model store saves a backfill.
      const customers = positiveOption(values.customers, '--customers') ?? SCALES.M!;
      const dateCount = positiveOption(values.dates, '--dates') ?? BACKFILL_DATES;
      const settings = settingsForDataDir(await sampleData(cacheDir, customers));
      for (const [policy, policySettings] of [['default refit policy', settings], ['a refit of every model on every date', refitEveryDate(settings)]] as const) {
        const measure = await bench.backfill(policy, policySettings, customers, dateCount);
        backfills.push(measure);
        const refits = MODEL_NAMES.map((model) => `${model} ${measure.refits[model]}`).join(', ');
        process.stdout.write(
          `backfill of ${measure.dates} dates at ${customers.toLocaleString('en')} customers, ${policy}: ingest and clean once ` +
            `${measure.ingestAndCleanSeconds.toFixed(1)} s, then ${measure.datesSeconds.toFixed(1)} s for the dates: ` +
            `${measure.secondsPerDate.toFixed(2)} s per date (dates that trained: ${refits})\n`,
        );
      }
    } else {
      for (const scale of withLarge ? ['S', 'M', 'L'] : ['S', 'M']) {
        runs.push(await bench.run(scale, settingsForDataDir(await sampleData(cacheDir, SCALES[scale]!))));
      }
      uci = await bench.run('UCI 500k', settingsForDataDir(await uciExport(cacheDir, UCI_LINES)));
      runs = [...runs, uci];
      printRuns(runs);
      kmeans = compareKMeans();
      process.stdout.write(
        `one k-means fit, k = 6, ${kmeans.rows.toLocaleString('en')} rows x 3 features: segflow ${kmeans.segflowSeconds.toFixed(2)} s, ` +
          `ml-kmeans ${kmeans.mlKMeansSeconds.toFixed(2)} s\n`,
      );
      basketRules = await measureBasketRules(cacheDir, BASKET_LINES, scratch);
      process.stdout.write(
        `association rules on ${basketRules.lines.toLocaleString('en')} order lines (${basketRules.orders.toLocaleString('en')} orders, ` +
          `${basketRules.rules} rules): ${basketRules.seconds.toFixed(2)} s (target ${TARGETS.basketRulesSeconds} s)\n`,
      );
    }
    const scaleRuns = runs.filter((r) => r !== uci);
    const missed = missedTargets(scaleRuns, uci, backfills[0]);
    if (basketRules && basketRules.seconds > TARGETS.basketRulesSeconds) {
      missed.push(`association rules: ${basketRules.seconds.toFixed(2)} s on ${BASKET_LINES.toLocaleString('en')} lines (target ${TARGETS.basketRulesSeconds} s)`);
    }
    const report = { measuredAt: new Date().toISOString(), cpus: os.cpus().length, targets: TARGETS, runs, backfills, kmeans, basketRules, missed };
    const jsonFile = path.resolve(values.json ?? path.join(cacheDir, `bench-${report.measuredAt.replace(/[:.]/g, '-')}.json`));
    await fs.mkdir(path.dirname(jsonFile), { recursive: true });
    await fs.writeFile(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`figures written to ${jsonFile}\n`);
    if (missed.length > 0) {
      process.stderr.write(`bench: missed target(s):\n${missed.map((m) => `  - ${m}`).join('\n')}\n`);
      return 1;
    }
    process.stdout.write('bench: every target met\n');
    return 0;
  } finally {
    await stop();
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    const why = error instanceof WorkflowFailedError ? `\n${failureMessage('A benchmark run', error)}` : '';
    process.stderr.write(`bench failed: ${error.stack ?? error.message}${why}\n`);
    process.exit(1);
  },
);

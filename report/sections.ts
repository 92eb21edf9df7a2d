import type { TopLevelSpec } from 'vega-lite';
import { DISCOUNT_LEVELS } from '../schemas/config';
import { count, percent, type Figure, type Section } from './figure';
import type { SnapshotTables } from './snapshotTables';
import { renderSvg } from './svg';

/** A Vega-Lite specification without its data; loosely typed, since Vega-Lite's own types reject step sizes in layers. */
type Spec = Record<string, unknown>;
const WIDE = 560;

/** A chart of a few aggregated rows: the rows go into the spec as inline values, and out as SVG. */
async function chart(values: object[], spec: Spec): Promise<string> {
  return renderSvg({ width: WIDE, height: 220, ...spec, data: { values } } as TopLevelSpec);
}

// '+ 0' turns -0 (a tiny negative rounded) into 0.
const round = (value: number | null, digits = 2) => (value === null ? null : Number(value.toFixed(digits)) + 0);

/**
 * Counts of `column` in `bins` equal-width bins from its minimum to its 99th percentile (or a fixed range);
 * values above fall in the last bin, so one outlier does not squeeze the rest into a single bar.
 */
async function histogram(t: SnapshotTables, table: string, column: string, bins = 20, range?: [number, number]) {
  const bounds = range ? `SELECT ${range[0]}::DOUBLE AS lo, ${range[1]}::DOUBLE AS hi` : `SELECT min(x) AS lo, quantile_cont(x, 0.99) AS hi FROM v`;
  return t.rows<{ lo: number; hi: number; customers: number }>(`
    WITH v AS (SELECT CAST(${column} AS DOUBLE) AS x FROM ${t.from(table)} WHERE ${column} IS NOT NULL),
    b AS (${bounds}),
    binned AS (SELECT least(greatest(coalesce(floor((x - lo) / nullif((hi - lo) / ${bins}, 0)), 0), 0), ${bins - 1}) AS bin, lo, hi FROM v, b)
    SELECT any_value(lo) + bin * (any_value(hi) - any_value(lo)) / ${bins} AS lo,
           any_value(lo) + (bin + 1) * (any_value(hi) - any_value(lo)) / ${bins} AS hi, count(*) AS customers
    FROM binned GROUP BY bin ORDER BY bin`);
}

function histogramSpec(title: string): Spec {
  return {
    height: 160,
    mark: { type: 'bar', color: '#4c78a8' },
    encoding: {
      x: { field: 'lo', type: 'quantitative', bin: { binned: true }, title },
      x2: { field: 'hi' },
      y: { field: 'customers', type: 'quantitative', title: 'customers' },
    },
  };
}

async function runSection(t: SnapshotTables): Promise<Section> {
  const inputs = t.manifest.inputs.filter((i) => i.rowsIn > 0);
  const kept = inputs.flatMap((i) => [
    { source: i.source, rows: i.rowsKept, fate: 'kept' },
    { source: i.source, rows: i.rowsQuarantined, fate: 'quarantined' },
  ]);
  const quarantined = inputs.reduce((sum, i) => sum + i.rowsQuarantined, 0);
  const rowsIn = inputs.reduce((sum, i) => sum + i.rowsIn, 0);
  const figures: Figure[] = [{
    title: 'Input rows by source',
    reading: `${rowsIn} rows read from ${inputs.length} sources; ${quarantined} (${percent(quarantined / rowsIn)}) quarantined.`,
    svg: await chart(kept, {
      height: { step: 18 },
      mark: 'bar',
      encoding: {
        y: { field: 'source', type: 'nominal', sort: '-x', title: null },
        x: { field: 'rows', type: 'quantitative', stack: 'zero', title: 'rows' },
        color: { field: 'fate', type: 'nominal', scale: { domain: ['kept', 'quarantined'], range: ['#4c78a8', '#e45756'] }, title: null },
      },
    }),
    table: { header: ['source', 'in', 'kept', 'quarantined', 'after the run date'], rows: inputs.map((i) => [i.source, i.rowsIn, i.rowsKept, i.rowsQuarantined, i.rowsAfterRunDate]) },
  }];
  if (t.has('quarantine')) {
    const reasons = await t.rows<{ source: string; reason: string; severity: string; rows: number }>(
      `SELECT source, reason, severity, count(*) AS rows FROM ${t.from('quarantine')} GROUP BY ALL ORDER BY rows DESC, source, reason LIMIT 10`,
    );
    const top = reasons[0]!;
    figures.push({
      title: 'Top quarantine reasons',
      reading: `The most frequent problem is ${top.reason} in ${top.source} (${count(top.rows, 'row')}, ${top.severity === 'error' ? 'removed' : 'field set to NULL'}).`,
      svg: await chart(reasons.map((r) => ({ ...r, label: `${r.source}: ${r.reason}` })), {
        height: { step: 18 },
        mark: 'bar',
        encoding: {
          y: { field: 'label', type: 'nominal', sort: '-x', title: null },
          x: { field: 'rows', type: 'quantitative', title: 'rows' },
          color: { field: 'severity', type: 'nominal', scale: { domain: ['error', 'warning'], range: ['#e45756', '#f2cf5b'] } },
        },
      }),
      table: { header: ['source', 'reason', 'severity', 'rows'], rows: reasons.map((r) => [r.source, r.reason, r.severity, r.rows]) },
    });
  }
  return { id: 'run', title: `The run of ${t.manifest.runDate}`, figures };
}

/** The share of customers beside the share of revenue for each group (segment, age band), in the order given. */
async function shareChart(groups: { group: string; customer_share: number; revenue_share: number | null }[]): Promise<string> {
  const long = groups.flatMap((g) => [
    { group: g.group, measure: 'customers', share: g.customer_share },
    { group: g.group, measure: 'revenue', share: g.revenue_share },
  ]);
  return chart(long, {
    height: { step: 10 },
    mark: 'bar',
    encoding: {
      y: { field: 'group', type: 'nominal', sort: groups.map((g) => g.group), title: null },
      yOffset: { field: 'measure' },
      x: { field: 'share', type: 'quantitative', axis: { format: '%' }, title: 'share' },
      color: { field: 'measure', type: 'nominal', scale: { range: ['#4c78a8', '#f58518'] }, title: null },
    },
  });
}

async function segmentSection(t: SnapshotTables): Promise<Section | null> {
  if (!t.has('rfm_segments')) return null;
  const segments = await t.rows<{ segment: string; customers: number; customer_share: number; revenue: number; revenue_share: number }>(
    `SELECT segment, customers, customer_share, revenue, revenue_share FROM ${t.from('rfm_segments')} ORDER BY revenue_share DESC`,
  );
  const pareto = t.manifest.statistics?.paretoTop20RevenueShare ?? null;
  const top = segments[0]!;
  return {
    id: 'segments',
    title: 'RFM segments',
    figures: [{
      title: 'Share of customers and of revenue by segment',
      reading: `${top.segment} are ${percent(top.customer_share)} of customers and bring ${percent(top.revenue_share)} of revenue` +
        (pareto === null ? '.' : `; the top 20% of customers bring ${percent(pareto)} of revenue (Pareto share).`),
      svg: await shareChart(segments.map((s) => ({ group: s.segment, ...s }))),
      table: {
        header: ['segment', 'customers', 'share of customers', 'revenue', 'share of revenue'],
        rows: segments.map((s) => [s.segment, s.customers, percent(s.customer_share), Math.round(s.revenue), percent(s.revenue_share)]),
      },
    }],
  };
}

async function rfmSection(t: SnapshotTables): Promise<Section | null> {
  if (!t.has('rfm')) return null;
  const measures = [['recency_days', 'recency (days since the last order)'], ['frequency', 'frequency'], ['monetary', 'monetary']] as const;
  const quantiles = await t.rows<{ measure: string; min: number; p25: number; median: number; p75: number; p95: number; max: number }>(
    measures.map(([column]) => `SELECT '${column}' AS measure, min(${column})::DOUBLE AS min, quantile_cont(${column}, 0.25) AS p25,
      median(${column})::DOUBLE AS median, quantile_cont(${column}, 0.75) AS p75, quantile_cont(${column}, 0.95) AS p95, max(${column})::DOUBLE AS max
      FROM ${t.from('rfm')}`).join(' UNION ALL '),
  );
  const q = Object.fromEntries(quantiles.map((row) => [row.measure, row]));
  const figures: Figure[] = [];
  for (const [column, title] of measures) {
    figures.push({
      title: `Distribution of ${title}`,
      reading: column === 'recency_days'
        ? `Half the customers ordered within the last ${round(q.recency_days!.median, 0)} days; a quarter not for ${round(q.recency_days!.p75, 0)} days or more.`
        : column === 'frequency'
          ? `The median customer ordered ${count(round(q.frequency!.median, 1)!, 'time')}; the top 5% ${round(q.frequency!.p95, 1)} times or more.`
          : `The median customer spent ${round(q.monetary!.median, 0)}; the top 5% ${round(q.monetary!.p95, 0)} or more (bars stop at the 99th percentile).`,
      svg: await chart(await histogram(t, 'rfm', column), histogramSpec(title)),
      table: {
        header: ['min', '25%', 'median', '75%', '95%', 'max'],
        rows: [[q[column]!.min, q[column]!.p25, q[column]!.median, q[column]!.p75, q[column]!.p95, q[column]!.max].map((v) => round(v))],
      },
    });
  }
  return { id: 'rfm', title: 'Recency, frequency and monetary value', figures };
}

async function transitionSection(t: SnapshotTables): Promise<Section | null> {
  if (!t.has('segment_transitions')) return null;
  const cells = await t.rows<{ from_segment: string; to_segment: string; customers: number; previous_run_date: string }>(
    `SELECT coalesce(from_segment, '(new)') AS from_segment, to_segment, customers, CAST(previous_run_date AS VARCHAR) AS previous_run_date
     FROM ${t.from('segment_transitions')} ORDER BY customers DESC`,
  );
  const moves = cells.filter((c) => c.from_segment !== c.to_segment && c.from_segment !== '(new)');
  const moved = moves.reduce((sum, c) => sum + c.customers, 0);
  const biggest = moves[0];
  return {
    id: 'transitions',
    title: `Segment transitions since ${cells[0]!.previous_run_date}`,
    figures: [{
      title: 'Customers from segment (rows) to segment (columns)',
      reading: `${moved} customers changed segment` + (biggest ? `; the largest flow is ${biggest.from_segment} → ${biggest.to_segment} (${biggest.customers}).` : '.'),
      svg: await chart(cells, {
        width: { step: 34 },
        height: { step: 22 },
        encoding: {
          y: { field: 'from_segment', type: 'nominal', title: 'from' },
          x: { field: 'to_segment', type: 'nominal', title: 'to', axis: { labelAngle: -40 } },
        },
        layer: [
          { mark: 'rect', encoding: { color: { field: 'customers', type: 'quantitative', scale: { scheme: 'blues' } } } },
          { mark: { type: 'text', fontSize: 10 }, encoding: { text: { field: 'customers', type: 'quantitative' } } },
        ],
      }),
      table: { header: ['from', 'to', 'customers'], rows: moves.slice(0, 10).map((c) => [c.from_segment, c.to_segment, c.customers]) },
    }],
  };
}

async function clusterSection(t: SnapshotTables): Promise<Section | null> {
  const figures: Figure[] = [];
  if (t.has('clusters')) {
    // The scaled columns are what k-means saw: their mean per cluster is the standardized profile.
    const profile = await t.rows<{ cluster: string; feature: string; z: number; customers: number }>(`
      SELECT cluster || ' ' || cluster_name AS cluster, replace(feature, '_scaled', '') AS feature, avg(z) AS z, count(*) AS customers
      FROM (UNPIVOT (SELECT cluster, cluster_name, COLUMNS('_scaled$') FROM ${t.from('clusters')}) ON COLUMNS('_scaled$') INTO NAME feature VALUE z)
      GROUP BY ALL ORDER BY cluster, feature`);
    const extreme = profile.reduce((a, b) => (Math.abs(b.z) > Math.abs(a.z) ? b : a));
    const features = [...new Set(profile.map((p) => p.feature))];
    figures.push({
      title: 'Cluster profiles: mean of each standardized feature',
      reading: `Cluster ${extreme.cluster} stands out most: its ${extreme.feature} is ${round(extreme.z)} standard deviations from the average customer.`,
      svg: await chart(profile, {
        width: { step: 44 },
        height: { step: 24 },
        encoding: {
          y: { field: 'cluster', type: 'nominal', title: null },
          x: { field: 'feature', type: 'nominal', title: null, axis: { labelAngle: -40 } },
        },
        layer: [
          { mark: 'rect', encoding: { color: { field: 'z', type: 'quantitative', scale: { scheme: 'redblue', domainMid: 0, reverse: true }, title: 'z' } } },
          { mark: { type: 'text', fontSize: 10 }, encoding: { text: { field: 'z', type: 'quantitative', format: '.2f' } } },
        ],
      }),
      table: {
        header: ['cluster', ...features],
        rows: [...new Set(profile.map((p) => p.cluster))].map((c) => [c, ...features.map((f) => round(profile.find((p) => p.cluster === c && p.feature === f)?.z ?? null))]),
      },
    });
  }
  if (t.has('cluster_selection')) {
    const candidates = await t.rows<{ k: number; inertia: number; silhouette: number | null; chosen: boolean }>(
      `SELECT k, inertia, silhouette, chosen FROM ${t.from('cluster_selection')} ORDER BY k`,
    );
    const chosen = candidates.find((c) => c.chosen);
    const long = candidates.flatMap((c) => [{ k: c.k, measure: 'inertia (elbow)', value: c.inertia }, { k: c.k, measure: 'silhouette', value: c.silhouette }]);
    figures.push({
      title: 'Elbow and silhouette by k',
      reading: chosen ? `k = ${chosen.k} was chosen, silhouette ${round(chosen.silhouette, 3) ?? '-'}.` : 'No k was marked chosen.',
      svg: await chart(long, {
        height: 140,
        width: 260,
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'k', type: 'ordinal' },
          y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
          column: { field: 'measure', type: 'nominal', title: null },
        },
        resolve: { scale: { y: 'independent' } },
      }),
      table: { header: ['k', 'inertia', 'silhouette', 'chosen'], rows: candidates.map((c) => [c.k, round(c.inertia, 1), round(c.silhouette, 3), c.chosen ? 'yes' : '']) },
    });
  }
  return figures.length === 0 ? null : { id: 'clusters', title: 'Clusters', figures };
}

async function modelMetrics(t: SnapshotTables, model: string) {
  if (!t.has('model_metrics')) return [];
  return t.rows<{ method: string; is_baseline: boolean; metric: string; value: number }>(
    `SELECT method, is_baseline, metric, value FROM ${t.from('model_metrics')} WHERE model = '${model}' ORDER BY is_baseline, method, metric`,
  );
}

function metricsTable(metrics: { method: string; is_baseline: boolean; metric: string; value: number }[]) {
  const names = [...new Set(metrics.map((m) => m.metric))];
  const methods = [...new Set(metrics.map((m) => m.method))];
  return {
    header: ['method', ...names],
    rows: methods.map((method) => [
      method + (metrics.find((m) => m.method === method)!.is_baseline ? ' (baseline)' : ''),
      ...names.map((n) => round(metrics.find((m) => m.method === method && m.metric === n)?.value ?? null, 3)),
    ]),
  };
}

async function clvSection(t: SnapshotTables): Promise<Section | null> {
  if (!t.has('clv')) return null;
  const tiers = await t.rows<{ clv_tier: string; customers: number; clv: number; share: number }>(
    `SELECT clv_tier, count(*) AS customers, sum(predicted_clv) AS clv, sum(predicted_clv) / sum(sum(predicted_clv)) OVER () AS share
     FROM ${t.from('clv')} GROUP BY clv_tier ORDER BY clv DESC`,
  );
  const figures: Figure[] = [{
    title: 'Predicted customer lifetime value',
    reading: `The ${tiers[0]!.clv_tier} tier (${tiers[0]!.customers} customers) holds ${percent(tiers[0]!.share)} of the predicted lifetime value.`,
    svg: await chart(await histogram(t, 'clv', 'predicted_clv'), histogramSpec('predicted CLV')),
    table: { header: ['tier', 'customers', 'predicted CLV', 'share'], rows: tiers.map((r) => [r.clv_tier, r.customers, Math.round(r.clv), percent(r.share)]) },
  }];
  const holdout = (await modelMetrics(t, 'clv_purchases')).filter((m) => m.metric === 'predicted_purchases' || m.metric === 'actual_purchases');
  if (holdout.length > 0) {
    const actual = holdout.find((m) => m.metric === 'actual_purchases')!.value;
    const bars = [{ method: 'actual', value: actual }, ...holdout.filter((m) => m.metric === 'predicted_purchases').map((m) => ({ method: m.method, value: m.value }))];
    const model = holdout.find((m) => !m.is_baseline && m.metric === 'predicted_purchases');
    figures.push({
      title: 'Purchases in the holdout: predicted against actual',
      reading: model ? `${model.method} predicted ${round(model.value, 0)} purchases in the holdout; customers made ${actual}.` : `Customers made ${actual} purchases in the holdout.`,
      svg: await chart(bars, {
        height: { step: 22 },
        mark: 'bar',
        encoding: {
          y: { field: 'method', type: 'nominal', sort: null, title: null },
          x: { field: 'value', type: 'quantitative', title: 'purchases' },
          color: { condition: { test: "datum.method === 'actual'", value: '#f58518' }, value: '#4c78a8' },
        },
      }),
      table: metricsTable(await modelMetrics(t, 'clv_purchases')),
    });
  }
  return { id: 'clv', title: 'Customer lifetime value', figures };
}

type MetricRow = Awaited<ReturnType<typeof modelMetrics>>[number];

/** model_metrics' ROC figures: the true-positive rate at the false-positive rate in the name (tpr_at_fpr_0.05). */
const ROC_METRIC = 'tpr_at_fpr_';

/** The churn model's ROC curve and its baselines', against the diagonal of a random guess; null without the figures. */
async function rocFigure(metrics: MetricRow[]): Promise<Figure | null> {
  const label = (m: MetricRow) => m.method + (m.is_baseline ? ' (baseline)' : '');
  const points = metrics.filter((m) => m.metric.startsWith(ROC_METRIC))
    .map((m) => ({ method: label(m), fpr: Number(m.metric.slice(ROC_METRIC.length)), tpr: m.value }))
    .sort((a, b) => a.fpr - b.fpr);
  if (points.length === 0) return null;
  const methods = [...new Set(metrics.filter((m) => m.metric.startsWith(ROC_METRIC)).map(label))];
  const aucs = metrics.filter((m) => m.metric === 'auc');
  const model = aucs.find((m) => !m.is_baseline);
  const baselines = aucs.filter((m) => m.is_baseline).map((m) => `${m.method} ${round(m.value, 3)}`);
  const axis = (title: string) => ({ type: 'quantitative', title, axis: { format: '%' }, scale: { domain: [0, 1] } });
  return {
    title: 'Churn model: ROC curve on the evaluation date',
    reading: (model ? `The ${model.method} model's AUC is ${round(model.value, 3)}` : 'The model has no AUC') +
      (baselines.length > 0 ? ` (baselines: ${baselines.join(', ')})` : '') + '; the dashed diagonal is a random guess.',
    svg: await chart(points, {
      width: 260,
      height: 260,
      layer: [
        {
          data: { values: [{ fpr: 0, tpr: 0 }, { fpr: 1, tpr: 1 }] },
          mark: { type: 'line', color: '#bab0ac', strokeDash: [4, 4] },
          encoding: { x: { field: 'fpr', ...axis('false-positive rate') }, y: { field: 'tpr', ...axis('true-positive rate') } },
        },
        {
          mark: { type: 'line', point: { size: 12 } },
          encoding: {
            x: { field: 'fpr', type: 'quantitative' },
            y: { field: 'tpr', type: 'quantitative' },
            color: { field: 'method', type: 'nominal', sort: methods, title: null, legend: { labelLimit: 260 } },
          },
        },
      ],
    }),
    table: {
      header: ['false-positive rate', ...methods.map((m) => `true-positive rate: ${m}`)],
      rows: [...new Set(points.map((p) => p.fpr))].map((fpr) =>
        [percent(fpr, 0), ...methods.map((m) => percent(points.find((p) => p.method === m && p.fpr === fpr)?.tpr ?? null))]),
    },
  };
}

async function churnSection(t: SnapshotTables): Promise<Section | null> {
  if (!t.has('churn_features')) return null;
  const bins = await histogram(t, 'churn_features', 'churn_probability', 20, [0, 1]);
  const total = bins.reduce((sum, b) => sum + b.customers, 0);
  const high = bins.filter((b) => b.lo >= 0.7 - 1e-9).reduce((sum, b) => sum + b.customers, 0);
  const all = await modelMetrics(t, 'churn');
  const metrics = all.filter((m) => !m.metric.startsWith(ROC_METRIC));
  const auc = metrics.find((m) => !m.is_baseline && m.metric === 'auc');
  const figures: Figure[] = [{
    title: 'Churn probability',
    reading: `${high} of ${total} buying customers (${percent(high / total)}) have a churn probability of 70% or more` +
      (auc ? `; the ${auc.method} model's AUC on the holdout is ${round(auc.value, 3)}.` : '.'),
    svg: await chart(bins, histogramSpec('churn probability')),
    table: metrics.length > 0 ? metricsTable(metrics) : { header: ['from', 'to', 'customers'], rows: bins.map((b) => [round(b.lo), round(b.hi), b.customers]) },
  }];
  const roc = await rocFigure(all);
  if (roc) figures.push(roc);
  if (t.has('churn_model')) {
    const effects = await t.rows<{ feature: string; standardized_effect: number; coefficient: number }>(
      `SELECT feature, standardized_effect, coefficient FROM ${t.from('churn_model')} WHERE feature <> '(intercept)'
       ORDER BY abs(standardized_effect) DESC LIMIT 12`,
    );
    const top = effects[0]!;
    figures.push({
      title: 'Churn model: standardized effects (largest 12)',
      reading: `${top.feature} moves churn most: one standard deviation more ${top.standardized_effect > 0 ? 'raises' : 'lowers'} the log-odds by ${round(Math.abs(top.standardized_effect))}.`,
      svg: await chart(effects, {
        height: { step: 16 },
        mark: 'bar',
        encoding: {
          y: { field: 'feature', type: 'nominal', sort: null, title: null },
          x: { field: 'standardized_effect', type: 'quantitative', title: 'effect on log-odds per standard deviation' },
          color: { condition: { test: 'datum.standardized_effect > 0', value: '#e45756' }, value: '#4c78a8' },
        },
      }),
      table: { header: ['feature', 'standardized effect', 'coefficient'], rows: effects.map((e) => [e.feature, round(e.standardized_effect, 3), Number(e.coefficient.toPrecision(3))]) },
    });
  }
  return { id: 'churn', title: 'Churn', figures };
}

async function campaignSection(t: SnapshotTables): Promise<Section | null> {
  if (!t.has('campaign_plan')) return null;
  const plan = await t.rows<{ campaign: string; eligible: number; suppressed: number; treatment: number; control: number; expected_revenue: number }>(
    `SELECT campaign, sum(eligible) AS eligible, sum(suppressed) AS suppressed, sum(treatment) AS treatment, sum(control) AS control,
       sum(expected_revenue) AS expected_revenue FROM ${t.from('campaign_plan')} GROUP BY campaign ORDER BY treatment DESC`,
  );
  const treatment = plan.reduce((sum, p) => sum + p.treatment, 0);
  const control = plan.reduce((sum, p) => sum + p.control, 0);
  const long = plan.flatMap((p) => [{ campaign: p.campaign, group: 'treatment', customers: p.treatment }, { campaign: p.campaign, group: 'control', customers: p.control }]);
  return {
    id: 'campaigns',
    title: 'Campaign plan',
    figures: [{
      title: 'Customers to contact (treatment) and to hold out (control) by campaign',
      reading: `${treatment} customers are to be contacted across ${plan.length} campaigns, ${control} held out as control to measure uplift.`,
      svg: await chart(long, {
        height: { step: 18 },
        mark: 'bar',
        encoding: {
          y: { field: 'campaign', type: 'nominal', sort: plan.map((p) => p.campaign), title: null },
          x: { field: 'customers', type: 'quantitative', stack: 'zero' },
          color: { field: 'group', type: 'nominal', scale: { domain: ['treatment', 'control'], range: ['#4c78a8', '#bab0ac'] }, title: null },
        },
      }),
      table: {
        header: ['campaign', 'eligible', 'suppressed', 'treatment', 'control', 'expected revenue'],
        rows: plan.map((p) => [p.campaign, p.eligible, p.suppressed, p.treatment, p.control, Math.round(p.expected_revenue)]),
      },
    }],
  };
}

const AGE_BAND_READING: Record<string, string> = { '10s': 'Customers under 20', '50+': 'Customers aged 50 and over', unknown: 'Customers of unknown age' };

async function demographicsSection(t: SnapshotTables): Promise<Section | null> {
  if (!t.has('age_band_profile')) return null;
  const bands = await t.rows<{
    age_band: string; customers: number; customer_share: number; revenue_share: number | null; mean_r_score: number | null;
    mean_f_score: number | null; mean_m_score: number | null; promo_order_share: number | null; top_categories: string;
  }>(
    `SELECT age_band, customers, customer_share, revenue_share, mean_r_score, mean_f_score, mean_m_score, promo_order_share,
       array_to_string(top_categories, ', ') AS top_categories
     FROM ${t.from('age_band_profile')} ORDER BY age_band`,
  );
  const top = bands.reduce((best, band) => ((band.revenue_share ?? 0) > (best.revenue_share ?? 0) ? band : best));
  const women = t.has('target_women_2030')
    ? (await t.rows<{ women: number; reached: number }>(
        `SELECT count(*) AS women, count(*) FILTER (WHERE assignment = 'treatment') AS reached FROM ${t.from('target_women_2030')}`,
      ))[0]!
    : { women: 0, reached: 0 };
  return {
    id: 'demographics',
    title: 'Age bands',
    figures: [{
      title: 'Share of customers and of revenue by age band (age reached in the run year)',
      reading: `${AGE_BAND_READING[top.age_band] ?? `Customers in their ${top.age_band}`} are ${percent(top.customer_share)} of ` +
        `customers and bring ${percent(top.revenue_share)} of revenue. Women aged 20 to 39: ${women.women}, ${women.reached} of them ` +
        'contacted by a campaign today (target_women_2030).',
      svg: await shareChart(bands.map((b) => ({ group: b.age_band, ...b }))),
      table: {
        header: ['age band', 'customers', 'share of customers', 'share of revenue', 'mean R', 'mean F', 'mean M', 'orders with a promotion', 'top categories'],
        rows: bands.map((b) => [
          b.age_band, b.customers, percent(b.customer_share), percent(b.revenue_share), round(b.mean_r_score), round(b.mean_f_score),
          round(b.mean_m_score), percent(b.promo_order_share), b.top_categories,
        ]),
      },
    }],
  };
}

const points = (share: number | null) => (share === null ? null : round(share * 100, 1));

/** The latest target date's results (its complete window, else the interim one): conversion uplift with its interval. */
async function campaignResultsSection(t: SnapshotTables): Promise<Section | null> {
  if (!t.has('campaign_results')) return null;
  const results = await t.rows<{
    campaign: string; target_date: string; days_observed: number; window_days: number; treatment_customers: number; control_customers: number;
    treatment_conversion: number | null; control_conversion: number | null; uplift: number | null; low: number | null; high: number | null;
  }>(
    `SELECT campaign, strftime(target_date, '%Y-%m-%d') AS target_date, days_observed, window_days, treatment_customers, control_customers,
            treatment_conversion, control_conversion, conversion_uplift AS uplift, conversion_uplift_low AS low, conversion_uplift_high AS high
     FROM ${t.from('campaign_results')}
     WHERE target_date = (SELECT target_date FROM ${t.from('campaign_results')} ORDER BY window_complete DESC, target_date DESC LIMIT 1)
     ORDER BY campaign`,
  );
  const { target_date: targetDate, days_observed: observed, window_days: windowDays } = results[0]!;
  const above = results.filter((r) => r.low !== null && r.low > 0).length;
  const below = results.filter((r) => r.high !== null && r.high < 0).length;
  const window = observed < windowDays ? `the first ${observed} of ${windowDays} days (interim)` : `the ${windowDays} days`;
  return {
    id: 'results',
    title: 'Campaign results',
    figures: [{
      title: `Conversion uplift, treatment − control, with its 95% interval: the targets of ${targetDate}`,
      reading: `Over ${window} after ${targetDate}, the treatment of ${above} of ${count(results.length, 'campaign')} bought more than its ` +
        `control beyond the 95% interval${below > 0 ? `, of ${below} less` : ''}.`,
      svg: await chart(results.map((r) => ({ campaign: r.campaign, uplift: points(r.uplift), low: points(r.low), high: points(r.high) })), {
        height: { step: 18 },
        encoding: { y: { field: 'campaign', type: 'nominal', title: null } },
        layer: [
          { mark: 'rule', encoding: { x: { field: 'low', type: 'quantitative', title: 'conversion uplift (points)' }, x2: { field: 'high' } } },
          { mark: { type: 'point', filled: true }, encoding: { x: { field: 'uplift', type: 'quantitative' } } },
        ],
      }),
      table: {
        header: ['campaign', 'treatment', 'control', 'treatment bought', 'control bought', 'uplift (points)', '95% low', '95% high'],
        rows: results.map((r) => [r.campaign, r.treatment_customers, r.control_customers, percent(r.treatment_conversion),
          percent(r.control_conversion), points(r.uplift), points(r.low), points(r.high)]),
      },
    }],
  };
}

async function cohortSection(t: SnapshotTables): Promise<Section | null> {
  if (!t.has('cohort_retention')) return null;
  const cells = await t.rows<{ cohort: string; month: number; retention_rate: number; cohort_size: number }>(
    `SELECT strftime(cohort_month, '%Y-%m') AS cohort, cohort_month_number AS month, retention_rate, cohort_size
     FROM ${t.from('cohort_retention')} ORDER BY cohort, month`,
  );
  const byMonth = await t.rows<{ month: number; cohorts: number; retention: number }>(
    `SELECT cohort_month_number AS month, count(*) AS cohorts, sum(active_customers) / sum(cohort_size) AS retention
     FROM ${t.from('cohort_retention')} WHERE cohort_month_number IN (1, 2, 3, 6, 12) GROUP BY month ORDER BY month`,
  );
  const first = byMonth.find((m) => m.month === 1);
  return {
    id: 'cohorts',
    title: 'Cohort retention',
    figures: [{
      title: 'Share of each acquisition month still ordering, by months since',
      reading: first ? `On average ${percent(first.retention)} of a cohort orders again in its second month.` : 'No cohort is old enough to show a second month.',
      svg: await chart(cells, {
        width: { step: 16 },
        height: { step: 12 },
        mark: 'rect',
        encoding: {
          y: { field: 'cohort', type: 'ordinal', title: 'cohort' },
          x: { field: 'month', type: 'ordinal', title: 'months since the first order' },
          color: { field: 'retention_rate', type: 'quantitative', scale: { scheme: 'greens', domain: [0, 0.5], clamp: true }, title: 'retained', legend: { format: '%' } },
        },
      }),
      table: { header: ['months since', 'cohorts', 'retained (weighted)'], rows: byMonth.map((m) => [m.month, m.cohorts, percent(m.retention)]) },
    }],
  };
}

/** Acquisition cost against lifetime value per channel, over everything known by the run date (period 'total'). */
async function channelSection(t: SnapshotTables): Promise<Section | null> {
  if (!t.has('channel_kpis')) return null;
  const channels = await t.rows<{
    channel: string; is_paid: boolean | null; new_customers: number; spend: number | null; cac: number | null; historic_ltv: number | null;
    predicted_clv: number | null; ltv_to_cac: number | null; payback_months: number | null;
  }>(
    `SELECT coalesce(kpis.channel, '(unknown)') AS channel, is_paid, new_customers, spend, cac, historic_ltv, predicted_clv, ltv_to_cac, payback_months
     FROM ${t.from('channel_kpis')} AS kpis WHERE period = 'total' ORDER BY kpis.channel NULLS LAST`,
  );
  const best = channels.filter((c) => c.ltv_to_cac !== null).sort((a, b) => b.ltv_to_cac! - a.ltv_to_cac!)[0];
  const unpaid = channels.filter((c) => c.is_paid === false).map((c) => c.channel);
  const bars = channels.flatMap((c) => [{ channel: c.channel, measure: 'CAC', value: c.cac }, { channel: c.channel, measure: 'LTV', value: c.historic_ltv }]);
  return {
    id: 'channels',
    title: 'Acquisition channels',
    figures: [{
      title: 'Acquisition cost (CAC) and lifetime value to date (LTV) of a customer, by channel',
      reading: (best
        ? `${best.channel} returns the most for what it costs: LTV ${round(best.historic_ltv, 0)} against CAC ${round(best.cac, 0)} (${round(best.ltv_to_cac)} times).`
        : 'No paid channel has both spend and new customers, so no LTV / CAC.') +
        (unpaid.length > 0 ? ` Unpaid channels (${unpaid.join(', ')}) cost nothing per customer: CAC 0.` : ''),
      svg: await chart(bars, {
        height: { step: 10 },
        mark: 'bar',
        encoding: {
          y: { field: 'channel', type: 'nominal', sort: null, title: null },
          yOffset: { field: 'measure' },
          x: { field: 'value', type: 'quantitative', title: 'per customer' },
          color: { field: 'measure', type: 'nominal', scale: { domain: ['CAC', 'LTV'], range: ['#e45756', '#4c78a8'] }, title: null },
        },
      }),
      table: {
        header: ['channel', 'paid', 'new customers', 'spend', 'CAC', 'LTV', 'predicted CLV', 'LTV / CAC', 'payback (months)'],
        rows: channels.map((c) => [
          c.channel, c.is_paid === null ? null : c.is_paid ? 'yes' : 'no (CAC 0)', c.new_customers, round(c.spend), round(c.cac), round(c.historic_ltv),
          round(c.predicted_clv), round(c.ltv_to_cac), round(c.payback_months, 1),
        ]),
      },
    }],
  };
}

/**
 * Each segment's mean probability of buying on a discount and the level campaigns offer it. Left out when no
 * segment has a probability (the discount-sensitivity model was unavailable): there is then nothing to draw.
 */
async function discountSection(t: SnapshotTables): Promise<Section | null> {
  if (!t.has('discount_levels')) return null;
  const segments = await t.rows<{
    segment: string; customers: number; promo_order_share: number | null; redemption_rate: number | null; mean_discount_probability: number | null;
    discount_level: string | null; recommended_discount_pct: number | null;
  }>(
    `SELECT segment, customers, promo_order_share, redemption_rate, mean_discount_probability, discount_level, recommended_discount_pct
     FROM ${t.from('discount_levels')} WHERE mean_discount_probability IS NOT NULL ORDER BY mean_discount_probability DESC, segment`,
  );
  if (segments.length === 0) return null;
  const top = segments[0]!;
  return {
    id: 'discounts',
    title: 'Discount levels',
    figures: [{
      title: 'Mean probability of buying on a discount, and the level offered, by segment',
      reading: `${top.segment} are the most drawn to discounts (mean probability ${percent(top.mean_discount_probability)}): ` +
        `they are offered the ${top.discount_level ?? 'no'} level (${round(top.recommended_discount_pct, 1) ?? 0}% off).`,
      svg: await chart(segments, {
        height: { step: 18 },
        mark: 'bar',
        encoding: {
          y: { field: 'segment', type: 'nominal', sort: null, title: null },
          x: { field: 'mean_discount_probability', type: 'quantitative', axis: { format: '%' }, title: 'mean discount probability' },
          color: { field: 'discount_level', type: 'ordinal', scale: { domain: [...DISCOUNT_LEVELS], scheme: 'oranges' }, title: 'level' },
        },
      }),
      table: {
        header: ['segment', 'customers', 'orders with a promotion', 'redemption rate', 'mean discount probability', 'level', 'discount %'],
        rows: segments.map((s) => [
          s.segment, s.customers, percent(s.promo_order_share), percent(s.redemption_rate), percent(s.mean_discount_probability), s.discount_level,
          round(s.recommended_discount_pct, 1),
        ]),
      },
    }],
  };
}

async function rulesSection(t: SnapshotTables): Promise<Section | null> {
  if (!t.has('association_rules')) return null;
  const rules = await t.rows<{ rule: string; support: number; confidence: number; lift: number; baskets: number }>(
    `SELECT concat_ws(' + ', antecedent_1, antecedent_2) || ' → ' || concat_ws(' + ', consequent_1, consequent_2) AS rule,
       support, confidence, lift, basket_count AS baskets
     FROM ${t.from('association_rules')} WHERE scope = 'all' ORDER BY lift DESC, confidence DESC LIMIT 10`,
  );
  if (rules.length === 0) return null;
  return {
    id: 'rules',
    title: 'Top association rules',
    figures: [{
      title: 'The ten rules with the highest lift, over all customers',
      reading: `Buying ${rules[0]!.rule.split(' → ')[0]} makes ${rules[0]!.rule.split(' → ')[1]} ${round(rules[0]!.lift, 1)} times as likely (confidence ${percent(rules[0]!.confidence)}).`,
      svg: await chart(rules, {
        height: { step: 18 },
        mark: 'bar',
        encoding: { y: { field: 'rule', type: 'nominal', sort: null, title: null }, x: { field: 'lift', type: 'quantitative' } },
      }),
      table: { header: ['rule', 'baskets', 'support', 'confidence', 'lift'], rows: rules.map((r) => [r.rule, r.baskets, percent(r.support, 2), percent(r.confidence), round(r.lift)]) },
    }],
  };
}

/** Every section the snapshot has the tables for, in reading order; a section without its table is left out. */
export async function buildSections(t: SnapshotTables): Promise<Section[]> {
  const sections = [
    await runSection(t),
    await segmentSection(t),
    await rfmSection(t),
    await transitionSection(t),
    await clusterSection(t),
    await clvSection(t),
    await churnSection(t),
    await campaignSection(t),
    await campaignResultsSection(t),
    await demographicsSection(t),
    await channelSection(t),
    await discountSection(t),
    await cohortSection(t),
    await rulesSection(t),
  ];
  return sections.filter((s): s is Section => s !== null);
}

import { percent } from '../report/figure';
import { MODEL_NAMES, type CampaignResultSummary, type SegmentationRunResult } from '../schemas/run';
import { shownPath } from './shownPath';
import { table } from './table';

function scored({ customers, notScoredNonPositive, paretoTop20RevenueShare }: SegmentationRunResult['scoring']): string {
  const parts = [`${customers} customers scored`];
  if (notScoredNonPositive > 0) parts.push(`${notScoredNonPositive} with revenue <= 0 left out`);
  if (paretoTop20RevenueShare !== null) parts.push(`top 20% bring ${(paretoTop20RevenueShare * 100).toFixed(1)}% of revenue`);
  return parts.join('; ');
}

function howChosen({ k, method, silhouette, candidates }: SegmentationRunResult['clusterSelection']): string {
  const quality = silhouette === null ? '' : `, silhouette ${silhouette.toFixed(3)}`;
  if (method === 'configured') return `k = ${k} as configured${quality}`;
  if (candidates.length === 0) return `k = ${k}: too few customers to compare k`;
  return `k = ${k}, the best silhouette of k = ${candidates[0]}..${candidates[candidates.length - 1]}${quality}`;
}

/** One line on the three models: the version each scored with, and whether and why this run trained it. */
function models(used: SegmentationRunResult['models']): string {
  const parts = MODEL_NAMES.map((name) => {
    const use = used[name];
    if (!use) return `${name} none (its fallback scored; the manifest says why)`;
    return use.refitted ? `${name} ${use.version} trained by this run, because ${use.reason}` : `${name} ${use.version} reused`;
  });
  return `Models: ${parts.join('; ')}.`;
}

function moves({ previousRunDate, moved, championsOrLoyalToAtRisk, clusterMoves }: SegmentationRunResult['transitions']): string {
  if (previousRunDate === null) return 'Segment moves: none to report, this is the first published date.';
  return `Segment moves since ${previousRunDate}: ${moved} customers changed segment, ${championsOrLoyalToAtRisk} of them ` +
    'from Champions or Loyal Customers to At Risk (tables segment_transitions, segment_moves); ' +
    `${clusterMoves} changed cluster (cluster_transitions, cluster_moves).`;
}

const points = (share: number) => `${share >= 0 ? '+' : ''}${(share * 100).toFixed(1)}`;

function uplift(result: CampaignResultSummary): string {
  if (result.controlCustomers === 0) return 'no control group to compare with';
  if (result.treatmentCustomers === 0) return 'no treatment to compare';
  const interval = result.conversionUpliftLow === null || result.conversionUpliftHigh === null
    ? 'no interval: too few customers or buyers'
    : `95% CI ${points(result.conversionUpliftLow)} to ${points(result.conversionUpliftHigh)}`;
  return `uplift ${points(result.conversionUplift!)} points (${interval})`;
}

/** Each campaign's latest result in one line: who bought after the target date, treatment against control. */
export function campaignResultLines(results: CampaignResultSummary[]): string {
  if (results.length === 0) return 'Campaign results: none yet; they measure the targets of earlier published dates.';
  const rows = results.map((r) => [
    r.campaign,
    `targets of ${r.targetDate}`,
    r.daysObserved < r.windowDays ? `day ${r.daysObserved} of ${r.windowDays} (interim)` : `${r.windowDays} days`,
    `${percent(r.treatmentConversion)} of ${r.treatmentCustomers} vs ${percent(r.controlConversion)} of ${r.controlCustomers}`,
    uplift(r),
  ]);
  return `Campaign results (bought in the window: treatment vs control; table campaign_results):\n${table(rows)}`;
}

/** The closing summary of a run: sources in / kept / quarantined, segments, clusters, and the snapshot. */
export function printSummary(result: SegmentationRunResult, out: NodeJS.WritableStream): void {
  const sources = result.sources.map((s) =>
    s.status !== 'loaded'
      ? [s.source, s.status, '-', '-', '-']
      : [s.source, s.rowsIn, s.rowsKept, s.rowsQuarantined, s.rowsAfterRunDate],
  );
  const lines = [
    '',
    `Run ${result.runDate} published.`,
    '',
    'Sources (rows in = kept + quarantined + after the run date):',
    table([['source', 'in', 'kept', 'quarantined', 'after date'], ...sources]),
    '',
    `Segments (${scored(result.scoring)}):`,
    table(result.segments.map((s) => [s.segment, s.customers])),
    '',
    `Clusters (${howChosen(result.clusterSelection)}):`,
    table(result.clusters.map((c) => [c.cluster, c.clusterName, c.customers])),
    '',
    models(result.models),
    '',
    moves(result.transitions),
    '',
    campaignResultLines(result.campaignResults),
    '',
    `Snapshot in ${shownPath(result.snapshotRoot)}/<table>/run_date=${result.runDate}/:`,
    table(Object.entries(result.tables).map(([name, rows]) => [name, rows])),
    `Manifest: ${shownPath(result.manifestPath)}`,
    `Report: ${shownPath(result.reportPath)}`,
    ...(result.retention.removed.length > 0 ? [`Retention removed the snapshots of ${result.retention.removed.join(', ')}.`] : []),
    ...(result.retention.staleStaging.length > 0
      ? [`Removed the staging folders of failed runs, unwritten for retention.stagingMaxAgeDays: ${result.retention.staleStaging.join(', ')}.`]
      : []),
    '',
  ];
  out.write(lines.join('\n'));
}

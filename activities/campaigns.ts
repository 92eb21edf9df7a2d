import { parquetFile, Warehouse, type WarehouseOptions } from '../lib/duckdb';
import type { CampaignResultSummary, PointInTimeCut } from '../schemas/run';
import { buildCampaignResults, latestCampaignResults } from './campaignResults';
import { knownAtCut } from './pointInTime';
import { previousTargetsQuery } from './previousTargets';
import type { StageInput } from './stageInput';
import { stageWarehouse } from './stageWarehouse';
import { stagingFile } from './staging';
import { buildTable, type SqlVariable, type TypedRows } from './tableBuilder';

export interface CampaignsInput extends StageInput {
  outDir: string;
  cut: PointInTimeCut;
}

export interface CampaignsResult {
  targets: number;
  treatment: number;
  control: number;
  suppressed: number;
  reengagement: number;
  /** campaign_results' rows, and each campaign's latest result for the run summary. */
  results: { rows: number; latest: CampaignResultSummary[] };
}

/** The configured campaigns as the models read them; typed, so that with no campaign the tables keep their columns. */
export const CAMPAIGN_COLUMNS: TypedRows['columns'] = {
  segment: 'VARCHAR', campaign: 'VARCHAR', message: 'VARCHAR', channels: 'VARCHAR', cadence: 'VARCHAR', discount_pct: 'DOUBLE',
  recommendation: 'VARCHAR', expected_response_rate: 'DOUBLE', priority: 'INTEGER', control_share: 'DOUBLE', cooldown_days: 'INTEGER',
};

async function assignmentCounts(options: WarehouseOptions, targets: string): Promise<{ treatment: number; control: number }> {
  return Warehouse.using(options, async (warehouse) => {
    const rows = await warehouse.rows<{ assignment: string; customers: bigint }>(
      `SELECT assignment, count(*) AS customers FROM ${parquetFile(targets)} GROUP BY assignment`,
    );
    const count = (assignment: string) => Number(rows.find((row) => row.assignment === assignment)?.customers ?? 0);
    return { treatment: count('treatment'), control: count('control') };
  });
}

/** Members who ordered through an app platform: push notifications reach only them. */
function appUsersQuery(cut: PointInTimeCut): string {
  return `SELECT DISTINCT lines.member_id FROM (${knownAtCut(cut, 'order_lines')}) AS lines
          JOIN (${knownAtCut(cut, 'platforms')}) AS platforms USING (platform_id)
          WHERE platforms.platform_type = 'app'`;
}

/**
 * Stage 9: decides, for every customer whose segment has a campaign, whether and how to reach them, with the
 * discount of the segment's level (sql/models/campaign_decisions.sql), and publishes its cuts: campaign_targets,
 * campaign_suppressed, campaign_plan; reengagement, the customers at risk ranked by value at risk; and
 * campaign_results, how the targets of earlier snapshots bought since, treatment against control.
 */
export async function planCampaigns(input: CampaignsInput): Promise<CampaignsResult> {
  const marts = (name: string) => stagingFile(input.stagingDir, 'marts', name);
  const { campaigns, campaignPolicy: policy, churn } = input.settings;
  const campaignRows: TypedRows = {
    columns: CAMPAIGN_COLUMNS,
    rows: campaigns.map(({ channels, ...campaign }) => ({ ...campaign, channels: channels.join('+') })),
  };
  const longestCooldown = Math.max(0, ...campaigns.map((c) => c.cooldown_days));
  const variables: Record<string, SqlVariable> = {
    run_date: { value: input.runDate, type: 'DATE' },
    global_control_share: { value: policy.globalControlShare, type: 'DOUBLE' },
    salt: { value: policy.salt, type: 'VARCHAR' },
    unknown_consent_given: { value: policy.unknownConsent === 'given', type: 'BOOLEAN' },
    no_discount_within_days: { value: policy.noDiscountWithinDays, type: 'INTEGER' },
    churn_cutoff: { value: churn.campaignCutoff, type: 'DOUBLE' },
    reengagement_campaign: { value: policy.reengagementCampaign, type: 'VARCHAR' },
    reengagement_discount_pct: { value: policy.reengagementDiscountPct, type: 'DOUBLE' },
  };
  const warehouse = stageWarehouse(input.settings, input.stagingDir);
  const scored = { rfm: marts('rfm'), clv: marts('clv'), churn_features: marts('churn_features') };
  await buildTable({
    warehouse,
    variables,
    tables: { campaigns: campaignRows },
    inputs: { ...scored, customers: marts('customers'), clusters: marts('clusters'), discount_levels: marts('discount_levels') },
    views: {
      app_users: appUsersQuery(input.cut),
      previous_targets: await previousTargetsQuery(input.outDir, input.runDate, longestCooldown),
    },
    model: 'models/campaign_decisions.sql',
    output: stagingFile(input.stagingDir, 'models', 'campaign_decisions'),
  });
  const fromDecisions = (table: 'campaign_plan' | 'campaign_targets' | 'campaign_suppressed') =>
    buildTable({
      warehouse,
      table,
      place: input,
      tables: { campaigns: campaignRows },
      inputs: { campaign_decisions: stagingFile(input.stagingDir, 'models', 'campaign_decisions') },
    });
  // The plan first: the targets and the suppressed are checked against it.
  await fromDecisions('campaign_plan');
  const targets = await fromDecisions('campaign_targets');
  const suppressed = await fromDecisions('campaign_suppressed');
  const reengagement = await buildTable({ warehouse, table: 'reengagement', place: input, variables, inputs: scored });
  const resultRows = await buildCampaignResults({
    warehouse,
    outDir: input.outDir,
    runDate: input.runDate,
    orderLines: knownAtCut(input.cut, 'order_lines'),
    windowDays: policy.resultWindowDays,
    lookbackDays: policy.resultLookbackDays,
    stagingDir: input.stagingDir,
  });
  return {
    targets,
    suppressed,
    reengagement,
    ...(await assignmentCounts(warehouse, marts('campaign_targets'))),
    results: { rows: resultRows, latest: await latestCampaignResults(warehouse, marts('campaign_results')) },
  };
}

import type { StageInput } from './stageInput';
import { stageWarehouse } from './stageWarehouse';
import { stagingFile } from './staging';
import { buildTable, type LiteralRow } from './tableBuilder';

/** Stage 9: per-customer target lists and per-segment strategies from the configured campaign table. */
export async function planCampaigns(input: StageInput): Promise<{ targets: number; strategies: number }> {
  const marts = (name: string) => stagingFile(input.stagingDir, 'marts', name);
  const campaigns: LiteralRow[] = input.settings.campaigns.map((c) => ({ ...c }));
  const common = { warehouse: stageWarehouse(input.settings, input.stagingDir), tables: { campaigns } };
  const targets = await buildTable({
    ...common,
    inputs: { rfm: marts('rfm'), churn_features: marts('churn_features'), customers: marts('customers') },
    model: 'marts/campaign_targets.sql',
    output: marts('campaign_targets'),
  });
  const strategies = await buildTable({
    ...common,
    inputs: { rfm: marts('rfm'), campaign_targets: marts('campaign_targets') },
    model: 'marts/campaign_strategies.sql',
    output: marts('campaign_strategies'),
  });
  return { targets, strategies };
}

import type { TableContract } from '../tableContract';
import { ageBandProfile } from './age_band_profile';
import { associationRules } from './association_rules';
import { campaignPlan } from './campaign_plan';
import { campaignResults } from './campaign_results';
import { campaignSuppressed } from './campaign_suppressed';
import { campaignTargets } from './campaign_targets';
import { channelKpis } from './channel_kpis';
import { churnFeatures } from './churn_features';
import { churnModel } from './churn_model';
import { clusterMoves } from './cluster_moves';
import { clusterProfiles } from './cluster_profiles';
import { clusterSegmentCrosstab } from './cluster_segment_crosstab';
import { clusterSelection } from './cluster_selection';
import { clusterTransitions } from './cluster_transitions';
import { clusters } from './clusters';
import { clv } from './clv';
import { cohortRetention } from './cohort_retention';
import { customers } from './customers';
import { discountLevels } from './discount_levels';
import { discountSensitivity } from './discount_sensitivity';
import { genderAgeProfile } from './gender_age_profile';
import { modelMetrics } from './model_metrics';
import { quarantine } from './quarantine';
import { recommendations } from './recommendations';
import { reengagement } from './reengagement';
import { rfm } from './rfm';
import { rfmSegments } from './rfm_segments';
import { salesTrends } from './sales_trends';
import { segmentMoves } from './segment_moves';
import { segmentTransitions } from './segment_transitions';
import { targetWomen2030 } from './target_women_2030';

/** The contract of every published table, in the order of the README's output data dictionary. */
export const TABLE_CONTRACTS: readonly TableContract[] = [
  customers,
  rfm,
  rfmSegments,
  clusters,
  clusterSelection,
  clusterProfiles,
  clusterSegmentCrosstab,
  clv,
  churnFeatures,
  churnModel,
  modelMetrics,
  discountSensitivity,
  discountLevels,
  campaignTargets,
  campaignPlan,
  campaignSuppressed,
  campaignResults,
  reengagement,
  ageBandProfile,
  genderAgeProfile,
  targetWomen2030,
  associationRules,
  recommendations,
  cohortRetention,
  salesTrends,
  channelKpis,
  segmentTransitions,
  segmentMoves,
  clusterTransitions,
  clusterMoves,
  quarantine,
];

/** The contract of a published table; every table in SNAPSHOT_TABLES has one (test/contracts). */
export function contractOf(table: string): TableContract {
  const contract = TABLE_CONTRACTS.find((c) => c.table === table);
  if (!contract) throw new Error(`schemas/tables has no contract for the table ${table}: add schemas/tables/${table}.ts to its index`);
  return contract;
}

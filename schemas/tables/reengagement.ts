import { column, NON_NEGATIVE, SHARE, type TableContract } from '../tableContract';

export const reengagement: TableContract = {
  table: 'reengagement',
  grain: 'scored customer at risk: churn probability ≥ churn.campaignCutoff, or a lapsing segment',
  key: ['member_id'],
  columns: [
    column('rank', 'INTEGER', 'By value_at_risk (where known), then monetary.', { min: 1 }),
    column('member_id', 'VARCHAR', 'Member identifier.'),
    column('segment', 'VARCHAR', 'RFM segment.'),
    column('loyalty_class', 'VARCHAR', 'rfm_class.', { values: ['silver', 'gold', 'platinum'] }),
    column('churn_probability', 'DOUBLE', 'From churn_features; NULL where it is.', { nullable: true, ...SHARE }),
    column('predicted_clv', 'DOUBLE', 'From clv.', NON_NEGATIVE),
    column('value_at_risk', 'DOUBLE', 'churn_probability × predicted_clv; NULL without a churn probability.', { nullable: true, ...NON_NEGATIVE }),
    column('monetary', 'DOUBLE', 'Revenue to date (rfm).', { above: 0 }),
    column('recency_days', 'BIGINT', 'Days since the last purchase (rfm).', NON_NEGATIVE),
    column('at_risk_by', 'VARCHAR', 'Why: a churn probability at or above the cutoff, or else the segment.', { values: ['churn_probability', 'segment'] }),
    column('proposed_campaign', 'VARCHAR', 'campaignPolicy.reengagementCampaign.'),
    column('channel', 'VARCHAR', 'Channels of the offer.', { values: ['email+sms'] }),
    column('discount_pct', 'DOUBLE', 'campaignPolicy.reengagementDiscountPct, or 0 for a customer who bought within noDiscountWithinDays.', {
      min: 0,
      max: 100,
    }),
  ],
  rowChecks: [
    {
      column: 'at_risk_by',
      description: "at risk by segment means At Risk, Cannot Lose Them or About to Sleep",
      holds: "at_risk_by <> 'segment' OR segment IN ('At Risk', 'Cannot Lose Them', 'About to Sleep')",
    },
  ],
  aggregateChecks: [
    { column: 'rank', description: 'rank numbers the rows 1 to n', holds: 'count(DISTINCT rank) = count(*) AND max(rank) = count(*)' },
  ],
  relationships: [{ columns: ['member_id', 'segment', 'loyalty_class'], table: 'rfm', references: ['member_id', 'segment', 'rfm_class'] }],
};

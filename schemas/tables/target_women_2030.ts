import { column, NON_NEGATIVE, type TableContract } from '../tableContract';

export const targetWomen2030: TableContract = {
  table: 'target_women_2030',
  grain: 'woman aged 20 to 39 on the run date (seed 001\'s campaign audience)',
  key: ['member_id'],
  columns: [
    column('member_id', 'VARCHAR', 'Member identifier.'),
    column('age', 'BIGINT', 'Her age (customers).', { min: 20, max: 39 }),
    column('age_band', 'VARCHAR', 'Her age band.', { values: ['20s', '30s'] }),
    column('region', 'VARCHAR', 'Region; NULL when not given.', { nullable: true }),
    column('marketing_opt_in', 'BOOLEAN', 'Marketing consent; NULL when unknown.', { nullable: true }),
    column('orders_count', 'BIGINT', 'Purchase orders.', NON_NEGATIVE),
    column('revenue', 'DOUBLE', 'Revenue by revenue.definition.'),
    column('recency_days', 'BIGINT', 'Days since the last purchase; NULL without one.', { nullable: true, ...NON_NEGATIVE }),
    column('segment', 'VARCHAR', 'RFM segment; NULL when not scored.', { nullable: true }),
    column('preferred_categories', 'VARCHAR[]', 'The three categories she spent most on; NULL without a categorised purchase.', { nullable: true }),
    column('preferred_platform', 'VARCHAR', 'Platform of the most purchase orders; NULL without one.', { nullable: true }),
    column('campaign', 'VARCHAR', 'The campaign campaign_targets gives her today; NULL when none does (not scored, no campaign, or suppressed).', {
      nullable: true,
    }),
    column('assignment', 'VARCHAR', 'Her group in it; NULL without a campaign.', { nullable: true, values: ['treatment', 'control'] }),
  ],
  rowChecks: [{ column: 'assignment', description: 'an assignment exactly with a campaign', holds: '(assignment IS NULL) = (campaign IS NULL)' }],
  relationships: [
    { columns: ['member_id'], table: 'customers', where: "gender = 'female' AND age BETWEEN 20 AND 39", complete: true },
    { columns: ['member_id', 'segment'], table: 'rfm' },
    { columns: ['member_id', 'campaign', 'assignment'], table: 'campaign_targets' },
  ],
};

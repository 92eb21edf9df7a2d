import { column, type TableContract } from '../tableContract';

export const campaignSuppressed: TableContract = {
  table: 'campaign_suppressed',
  grain: 'customer whose segment has a campaign but who is not targeted',
  key: ['member_id'],
  columns: [
    column('member_id', 'VARCHAR', 'Member identifier.'),
    column('segment', 'VARCHAR', 'The customer\'s RFM segment.'),
    column('loyalty_class', 'VARCHAR', 'rfm_class.', { values: ['silver', 'gold', 'platinum'] }),
    column('campaign', 'VARCHAR', 'The segment\'s campaign.'),
    column('reason', 'VARCHAR', 'The first reason that holds.', { values: ['consent_not_given', 'consent_unknown', 'cooldown', 'no_channel'] }),
    column('last_contacted_on', 'DATE', 'The last earlier run date the campaign targeted them, in treatment or control; NULL if none within the longest cooldown.', {
      nullable: true,
      below: 'run date',
    }),
  ],
  rowChecks: [
    { column: 'last_contacted_on', description: 'a cooldown has a last contact', holds: "reason <> 'cooldown' OR last_contacted_on IS NOT NULL" },
  ],
  relationships: [
    { columns: ['member_id', 'segment', 'loyalty_class'], table: 'rfm', references: ['member_id', 'segment', 'rfm_class'] },
    { columns: ['segment', 'loyalty_class', 'campaign'], table: 'campaign_plan' },
  ],
};

import { CAMPAIGN_CADENCES } from '../config';
import { column, NON_NEGATIVE, SHARE, type TableContract } from '../tableContract';
import { channelListHolds } from './campaign_targets';

export const campaignPlan: TableContract = {
  table: 'campaign_plan',
  grain: 'segment with a campaign × loyalty class',
  key: ['segment', 'loyalty_class'],
  columns: [
    column('segment', 'VARCHAR', 'RFM segment.'),
    column('loyalty_class', 'VARCHAR', 'rfm_class.', { values: ['silver', 'gold', 'platinum'] }),
    column('campaign', 'VARCHAR', 'The segment\'s campaign (configuration campaigns).'),
    column('message', 'VARCHAR', 'Its message.'),
    column('channels', 'VARCHAR', 'Its channels, joined by +.'),
    column('cadence', 'VARCHAR', 'How often it is sent.', { values: CAMPAIGN_CADENCES }),
    column('discount_pct', 'DOUBLE', 'Its configured discount in percent (campaign_targets may offer the segment\'s level instead).', { min: 0, max: 100 }),
    column('recommendation_type', 'VARCHAR', 'The kind of products it recommends.'),
    column('expected_response_rate', 'DOUBLE', 'Its expected response rate.', SHARE),
    column('priority', 'INTEGER', 'Seed 000\'s priority, scaled by the segment\'s size.', { min: 1, max: 30 }),
    column('eligible', 'INTEGER', 'Customers of the segment and class.', { min: 1 }),
    column('suppressed', 'INTEGER', 'Of them, not targeted (campaign_suppressed).', NON_NEGATIVE),
    column('treatment', 'INTEGER', 'Of them, to contact.', NON_NEGATIVE),
    column('control', 'INTEGER', 'Of them, held out.', NON_NEGATIVE),
    column('expected_revenue', 'DOUBLE', 'Sum of the treatment\'s expected_value; NULL without a treatment.', { nullable: true, ...NON_NEGATIVE }),
  ],
  rowChecks: [
    { column: 'eligible', description: 'eligible = suppressed + treatment + control', holds: 'eligible = suppressed + treatment + control' },
    { column: 'channels', description: 'channels lists known channels', holds: channelListHolds('channels') },
  ],
  aggregateChecks: [
    { column: 'campaign', description: 'one campaign per segment', holds: 'count(DISTINCT campaign) = 1', groupBy: ['segment'] },
  ],
  relationships: [{ columns: ['segment', 'loyalty_class'], table: 'rfm', references: ['segment', 'rfm_class'] }],
};

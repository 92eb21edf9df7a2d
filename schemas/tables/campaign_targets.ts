import { CAMPAIGN_CHANNELS } from '../config';
import { column, NON_NEGATIVE, SHARE, type TableContract } from '../tableContract';

/** A '+'-joined list of campaign channels, each known. */
export function channelListHolds(columnName: string): string {
  const known = CAMPAIGN_CHANNELS.map((channel) => `'${channel}'`).join(', ');
  return `list_bool_and(list_transform(string_split(${columnName}, '+'), channel -> channel IN (${known})))`;
}

export const campaignTargets: TableContract = {
  table: 'campaign_targets',
  grain: 'targeted customer, in treatment or control',
  key: ['member_id'],
  columns: [
    column('member_id', 'VARCHAR', 'Member identifier.'),
    column('segment', 'VARCHAR', 'The customer\'s RFM segment, whose campaign this is.'),
    column('cluster', 'INTEGER', 'The customer\'s cluster.', NON_NEGATIVE),
    column('loyalty_class', 'VARCHAR', 'rfm_class.', { values: ['silver', 'gold', 'platinum'] }),
    column('campaign', 'VARCHAR', 'The segment\'s campaign.'),
    column('channel', 'VARCHAR', 'The campaign\'s channels that reach the customer, joined by + (push: app users only).'),
    column('discount_pct', 'DOUBLE', 'The segment\'s recommended discount (discount_levels), else the campaign\'s; 0 for a customer who bought within campaignPolicy.noDiscountWithinDays.', {
      min: 0,
      max: 100,
    }),
    column('priority', 'INTEGER', 'Seed 000\'s priority: the campaign\'s weight × (1 + min(segment customers / 1000, 2)).', { min: 1, max: 30 }),
    column('expected_value', 'DOUBLE', 'expected_response_rate × predicted_clv.', NON_NEGATIVE),
    column('churn_probability', 'DOUBLE', 'From churn_features; NULL where it is.', { nullable: true, ...SHARE }),
    column('reason_codes', 'VARCHAR[]', 'Why this customer, campaign, discount and group: segment:…, loyalty_class:…, churn_risk:high, campaign_of_segment:…, discount:…, control:….'),
    column('assignment', 'VARCHAR', 'treatment: contact; control: hold out, to compare with.', { values: ['treatment', 'control'] }),
    column('send_order', 'INTEGER', 'Order of sending the treatment, 1 first: priority, then expected value, then monetary; NULL for control, which is not sent.', {
      nullable: true,
      min: 1,
    }),
  ],
  rowChecks: [
    { column: 'channel', description: 'channel lists known channels', holds: channelListHolds('channel') },
    { column: 'reason_codes', description: 'reason_codes name the segment', holds: "list_contains(reason_codes, 'segment:' || segment)" },
    { column: 'send_order', description: 'send_order is NULL exactly for control', holds: "(send_order IS NULL) = (assignment = 'control')" },
  ],
  aggregateChecks: [
    {
      column: 'send_order',
      description: 'send_order numbers the treatment 1 to n',
      holds: 'count(DISTINCT send_order) = count(send_order) AND coalesce(max(send_order), 0) = count(send_order)',
    },
  ],
  relationships: [
    { columns: ['member_id', 'segment', 'loyalty_class'], table: 'rfm', references: ['member_id', 'segment', 'rfm_class'] },
    { columns: ['member_id', 'cluster'], table: 'clusters' },
    { columns: ['segment', 'loyalty_class', 'campaign'], table: 'campaign_plan' },
  ],
};

import { ConfigError, parseConfigFile } from '../../lib/config';
import { DEFAULT_CAMPAIGNS } from '../../schemas/config';

const ORDERS = { orders: { path: 'orders.csv' } };
const parse = (config: object) => parseConfigFile(JSON.stringify({ sources: ORDERS, ...config }), 'segflow.config.json');
const problems = (config: object) => {
  try {
    parse(config);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be rejected');
};

const champions = DEFAULT_CAMPAIGNS[0]!;

test("the defaults are seed 000's strategies, each with a 10% control group and its cadence as cooldown", () => {
  const { campaigns, campaignPolicy } = parse({});
  expect(campaigns).toHaveLength(11);
  // A custom rule table keeps the default campaigns of the segments it produces.
  expect(parse({ rfm: { segments: [{ segment: 'Champions', r: [4, 5] }, { segment: 'Others' }] } }).campaigns.map((c) => c.segment)).toEqual(['Champions']);
  expect(campaigns[0]).toEqual({
    segment: 'Champions', campaign: 'vip_exclusive_benefits', message: '프리미엄 고객 전용 혜택을 준비했습니다',
    channels: ['email', 'sms', 'push'], cadence: 'weekly', discount_pct: 0, recommendation: 'premium',
    expected_response_rate: 0.25, priority: 10, control_share: 0.1, cooldown_days: 7,
  });
  expect(campaigns.find((c) => c.segment === 'Lost')).toMatchObject({ discount_pct: 25, expected_response_rate: 0.03, cooldown_days: 30 });
  expect(campaignPolicy).toEqual({
    globalControlShare: 0, salt: 'segflow', unknownConsent: 'not_given', noDiscountWithinDays: 14,
    reengagementCampaign: 'churn_prevention', reengagementDiscountPct: 15, resultWindowDays: 30, resultLookbackDays: 90,
  });
});

test('no campaign is a valid choice: an empty list, or rules whose segments have no default campaign', () => {
  // The campaign tables are then empty (test/marts/campaigns.test.ts), and campaign_results still measures the
  // campaigns that earlier snapshots targeted.
  expect(parse({ campaigns: [] }).campaigns).toEqual([]);
  expect(parse({ rfm: { segments: [{ segment: 'Best', r: [5, 5] }, { segment: 'Rest' }] } }).campaigns).toEqual([]);
});

test('a campaign for a segment no rule produces names the field and the segments that exist', () => {
  expect(problems({ campaigns: [{ ...champions, segment: 'Champs' }] })).toContain(
    "campaigns.0.segment: 'Champs' is not a segment of rfm.segments; expected one of: Champions, Loyal Customers",
  );
});

test('two campaigns for one segment name the second', () => {
  expect(problems({ campaigns: [champions, { ...champions, campaign: 'other' }] })).toContain(
    "campaigns.1.segment: segment 'Champions' has a campaign already; one campaign per segment",
  );
});

test('a repeated channel, a share above 1 and an unknown consent policy are named', () => {
  const message = problems({
    campaigns: [{ ...champions, channels: ['email', 'email'], control_share: 1.5 }],
    campaignPolicy: { unknownConsent: 'maybe' },
  });
  expect(message).toContain('campaigns.0.channels: a channel is listed twice');
  expect(message).toContain('campaigns.0.control_share:');
  expect(message).toContain('campaignPolicy.unknownConsent:');
});

test('discount levels: defaults, and thresholds that do not rise or discounts that fall are named', () => {
  const { discountSensitivity } = parse({});
  expect(discountSensitivity).toMatchObject({
    horizonDays: 90,
    promoShareThreshold: 0.5,
    levelThresholds: { low: 0.2, medium: 0.3, high: 0.4 },
    levelDiscountPct: { none: 0, low: 5, medium: 10, high: 20 },
  });
  const message = problems({
    discountSensitivity: {
      levelThresholds: { low: 0.3, medium: 0.2, high: 0.4 },
      levelDiscountPct: { none: 0, low: 15, medium: 10, high: 20 },
    },
  });
  expect(message).toContain('discountSensitivity.levelThresholds: must rise: low < medium < high');
  expect(message).toContain('discountSensitivity.levelDiscountPct: must not fall: none <= low <= medium <= high');
  expect(problems({ discountSensitivity: { levelDiscountPct: { none: 0, low: 5, medium: 10, high: 20, max: 30 } } })).toContain(
    'discountSensitivity.levelDiscountPct',
  );
});

test('a result lookback shorter than the result window is named, with what to do', () => {
  expect(problems({ campaignPolicy: { resultWindowDays: 30, resultLookbackDays: 20 } })).toContain(
    'campaignPolicy.resultLookbackDays: resultLookbackDays is shorter than resultWindowDays: no result window would ever be complete; make it at least as long',
  );
});

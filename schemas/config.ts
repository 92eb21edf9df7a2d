import { IANAZone } from 'luxon';
import { z } from 'zod';
import { columnsOf, LINE_PRICE_COLUMNS, SOURCE_NAMES, type SourceName } from './sources';

/**
 * The configuration file: where a user's files are, how their columns map onto our sources, the business
 * time zone, and the parameters of each analytic stage. Every object is strict so that a typo is an error
 * naming the field, never a silently ignored setting.
 */

export const FILE_FORMATS = ['csv', 'parquet', 'jsonl'] as const;

/** The encodings a text source may declare; DuckDB reads UTF-8, so the others are converted first. */
export const TEXT_ENCODINGS = ['utf-8', 'windows-1252', 'latin-1', 'utf-16'] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];
export type FileFormat = (typeof FILE_FORMATS)[number];

function sourceConfigSchema(source: SourceName) {
  const canonical = columnsOf(source).map((c) => c.name);
  return z
    .object({
      path: z.string().min(1).describe('File path, relative to dataDir'),
      format: z.enum(FILE_FORMATS).optional().describe('Defaults to the file extension'),
      columns: z
        .record(z.string(), z.string().min(1))
        .default({})
        .superRefine((mapping, ctx) => {
          for (const key of Object.keys(mapping)) {
            if (!canonical.includes(key)) {
              ctx.addIssue({
                code: 'custom',
                path: [key],
                message: `'${key}' is not a column of ${source}; expected one of: ${canonical.join(', ')}`,
              });
            }
          }
          if (LINE_PRICE_COLUMNS.every((column) => column in mapping)) {
            ctx.addIssue({
              code: 'custom',
              message: `${source} maps both unit_price and line_amount; a line is priced by one of them: map either the unit price or the amount of the whole line`,
            });
          }
        })
        .describe('Our column name -> the column name in your file; unmapped columns keep their own name'),
      timestampFormat: z
        .string()
        .min(2)
        .optional()
        .describe('strptime format of the timestamp columns, for example %m/%d/%Y %H:%M'),
      cancelledOrderPrefix: z
        .string()
        .min(1)
        .optional()
        .describe('orders only: an order id starting with this marks a cancellation (UCI Online Retail: C)'),
      delimiter: z.string().length(1).optional().describe('csv only: field delimiter, default ,'),
      encoding: z
        .enum(TEXT_ENCODINGS)
        .optional()
        .describe('csv and jsonl: the text encoding, default utf-8 (latin-1 is read as Windows-1252)'),
    })
    .strict();
}

const sourcesSchema = z
  .object(
    Object.fromEntries(SOURCE_NAMES.map((name) => [name, sourceConfigSchema(name).optional()])) as Record<
      SourceName,
      z.ZodOptional<ReturnType<typeof sourceConfigSchema>>
    >,
  )
  .strict()
  .refine((sources) => sources.orders !== undefined, { message: 'orders is required', path: ['orders'] });

const scoreRange = z
  .tuple([z.number().int().min(1).max(5), z.number().int().min(1).max(5)])
  .refine(([low, high]) => low <= high, { message: 'range must be [low, high] with low <= high' });

export const segmentRuleSchema = z
  .object({
    segment: z.string().min(1),
    r: scoreRange.default([1, 5]),
    f: scoreRange.default([1, 5]),
    m: scoreRange.default([1, 5]),
  })
  .strict();
export type SegmentRule = z.infer<typeof segmentRuleSchema>;

/** Every (R, F, M) score cell: 125 of them. */
const SCORE_CELLS = [1, 2, 3, 4, 5].flatMap((r) => [1, 2, 3, 4, 5].flatMap((f) => [1, 2, 3, 4, 5].map((m) => [r, f, m])));
const within = (score: number, [low, high]: [number, number]) => score >= low && score <= high;

/**
 * The segment table is ordered: a customer gets the first rule whose ranges all hold. A table that leaves a
 * cell without a segment, or holds a rule that earlier rules shadow completely, is a mistake worth naming
 * (seed 000's own order shadows 'Cannot Lose Them').
 */
export const segmentRulesSchema = z
  .array(segmentRuleSchema)
  .min(1)
  .superRefine((rules, context) => {
    const firstMatch = SCORE_CELLS.map(([r, f, m]) =>
      rules.findIndex((rule) => within(r!, rule.r) && within(f!, rule.f) && within(m!, rule.m)),
    );
    const uncovered = SCORE_CELLS.filter((_, cell) => firstMatch[cell] === -1).map((cell) => cell.join(''));
    if (uncovered.length > 0) {
      context.addIssue({
        code: 'custom',
        message: `no rule matches the score cells ${uncovered.slice(0, 10).join(', ')}${uncovered.length > 10 ? ', ...' : ''} (${uncovered.length} of 125): end the table with a catch-all rule such as { "segment": "Lost" }`,
      });
    }
    rules.forEach((rule, index) => {
      if (!firstMatch.includes(index)) {
        context.addIssue({
          code: 'custom',
          path: [index],
          message: `rule '${rule.segment}' can never match: earlier rules take every cell its ranges cover; move it up or narrow the rules before it`,
        });
      }
    });
  });

/**
 * Seed 000's rules in its order, except that 'Cannot Lose Them' is tested before 'At Risk': in seed 000 every
 * customer it would match (r<=2, f>=4, m>=4) is taken by 'At Risk' (r<=2, f>=3, m>=3) first.
 * The last rule catches everyone, so every customer gets a segment.
 */
export const DEFAULT_SEGMENT_RULES: SegmentRule[] = [
  { segment: 'Champions', r: [4, 5], f: [4, 5], m: [4, 5] },
  { segment: 'Loyal Customers', r: [3, 5], f: [3, 5], m: [3, 5] },
  { segment: 'Potential Loyalists', r: [3, 5], f: [2, 5], m: [2, 5] },
  { segment: 'New Customers', r: [4, 5], f: [1, 2], m: [1, 5] },
  { segment: 'Promising', r: [3, 5], f: [2, 5], m: [1, 2] },
  { segment: 'Need Attention', r: [3, 5], f: [1, 2], m: [1, 2] },
  { segment: 'About to Sleep', r: [2, 2], f: [2, 5], m: [1, 5] },
  { segment: 'Cannot Lose Them', r: [1, 2], f: [4, 5], m: [4, 5] },
  { segment: 'At Risk', r: [1, 2], f: [3, 5], m: [3, 5] },
  { segment: 'Hibernating', r: [1, 2], f: [1, 2], m: [2, 5] },
  { segment: 'Lost', r: [1, 5], f: [1, 5], m: [1, 5] },
];

export const CAMPAIGN_CHANNELS = ['email', 'sms', 'push'] as const;
export const CAMPAIGN_CADENCES = ['weekly', 'bi-weekly', 'monthly'] as const;

/** Days between two contacts at each cadence: a campaign's default cooldown. */
export const CADENCE_DAYS: Record<(typeof CAMPAIGN_CADENCES)[number], number> = { weekly: 7, 'bi-weekly': 14, monthly: 30 };

/** One segment's campaign: seed 000's PersonalizationEngine fields, plus its control share and cooldown. */
export const campaignSchema = z
  .object({
    segment: z.string().min(1),
    campaign: z.string().min(1),
    message: z.string().min(1),
    channels: z
      .array(z.enum(CAMPAIGN_CHANNELS))
      .min(1)
      .refine((channels) => new Set(channels).size === channels.length, { message: 'a channel is listed twice' }),
    cadence: z.enum(CAMPAIGN_CADENCES),
    discount_pct: z.number().min(0).max(100),
    recommendation: z.string().min(1).describe("The kind of products recommended, for example 'premium', 'cross_sell'"),
    expected_response_rate: z.number().min(0).max(1),
    priority: z.number().int().min(1).max(10).describe("Seed 000's weight by importance; campaign_plan scales it by segment size"),
    control_share: z.number().min(0).max(1).default(0.1).describe('Share of the eligible held out as this campaign\'s control group'),
    cooldown_days: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Do not target a customer this campaign reached (treatment) within this many days; default: its cadence'),
  })
  .strict()
  .transform((campaign) => ({ ...campaign, cooldown_days: campaign.cooldown_days ?? CADENCE_DAYS[campaign.cadence] }));
export type Campaign = z.infer<typeof campaignSchema>;

/**
 * Seed 000's PersonalizationEngine strategies (message, channels, cadence, discount, recommendation), response
 * rates (0.10 for segments it does not list) and priority weights, extended to all eleven segments. Messages
 * are seed 000's, with its two garbled words restored (돌아오세요, 감사했습니다).
 */
export const DEFAULT_CAMPAIGNS: z.input<typeof campaignSchema>[] = [
  { segment: 'Champions', campaign: 'vip_exclusive_benefits', message: '프리미엄 고객 전용 혜택을 준비했습니다', channels: ['email', 'sms', 'push'], cadence: 'weekly', discount_pct: 0, recommendation: 'premium', expected_response_rate: 0.25, priority: 10 },
  { segment: 'Cannot Lose Them', campaign: 'win_back_high_value', message: '소중한 고객님, 다시 만나고 싶습니다', channels: ['email', 'sms'], cadence: 'weekly', discount_pct: 20, recommendation: 'win_back', expected_response_rate: 0.1, priority: 9 },
  { segment: 'At Risk', campaign: 'win_back', message: '돌아오세요! 특별 혜택을 드립니다', channels: ['email', 'sms'], cadence: 'weekly', discount_pct: 20, recommendation: 'win_back', expected_response_rate: 0.08, priority: 8 },
  { segment: 'Loyal Customers', campaign: 'loyalty_cross_sell', message: '충성 고객님을 위한 특별 할인', channels: ['email', 'push'], cadence: 'bi-weekly', discount_pct: 10, recommendation: 'cross_sell', expected_response_rate: 0.2, priority: 7 },
  { segment: 'Potential Loyalists', campaign: 'membership_upgrade', message: '회원 등급 업그레이드 기회!', channels: ['email'], cadence: 'monthly', discount_pct: 15, recommendation: 'up_sell', expected_response_rate: 0.15, priority: 6 },
  { segment: 'Need Attention', campaign: 'personal_recommendations', message: '고객님께 맞춘 추천 상품을 확인하세요', channels: ['email'], cadence: 'bi-weekly', discount_pct: 10, recommendation: 'personalized', expected_response_rate: 0.1, priority: 5 },
  { segment: 'About to Sleep', campaign: 'reminder_with_offer', message: '잊지 마세요! 고객님을 위한 혜택이 기다립니다', channels: ['email', 'push'], cadence: 'bi-weekly', discount_pct: 15, recommendation: 'popular', expected_response_rate: 0.1, priority: 4 },
  { segment: 'New Customers', campaign: 'welcome_series', message: '가입을 환영합니다! 첫 구매 다음 혜택', channels: ['email'], cadence: 'weekly', discount_pct: 10, recommendation: 'onboarding', expected_response_rate: 0.12, priority: 3 },
  { segment: 'Promising', campaign: 'second_purchase_nudge', message: '두 번째 구매를 위한 특별 쿠폰', channels: ['email'], cadence: 'bi-weekly', discount_pct: 10, recommendation: 'best_sellers', expected_response_rate: 0.1, priority: 2 },
  { segment: 'Hibernating', campaign: 'reactivation', message: '오랜만이에요! 새로운 상품을 만나보세요', channels: ['email'], cadence: 'monthly', discount_pct: 20, recommendation: 'reactivation', expected_response_rate: 0.1, priority: 2 },
  { segment: 'Lost', campaign: 'last_chance_reactivation', message: '그동안 감사했습니다. 마지막 기회를 드립니다', channels: ['email'], cadence: 'monthly', discount_pct: 25, recommendation: 'reactivation', expected_response_rate: 0.03, priority: 1 },
];

const CAMPAIGN_POLICY_DEFAULTS = {
  globalControlShare: 0,
  salt: 'segflow',
  unknownConsent: 'not_given' as const,
  noDiscountWithinDays: 14,
  reengagementCampaign: 'churn_prevention',
  reengagementDiscountPct: 15,
  resultWindowDays: 30,
  resultLookbackDays: 90,
};

/** Rules that hold across campaigns: control groups, consent, when a discount is not offered, how results are measured. */
export const campaignPolicySchema = z
  .object({
    globalControlShare: z
      .number()
      .min(0)
      .max(1)
      .default(CAMPAIGN_POLICY_DEFAULTS.globalControlShare)
      .describe('Share of customers held out of every campaign (a hash of member id and salt)'),
    salt: z
      .string()
      .min(1)
      .default(CAMPAIGN_POLICY_DEFAULTS.salt)
      .describe('Mixed into the control hash; changing it draws new control groups'),
    unknownConsent: z
      .enum(['not_given', 'given'])
      .default(CAMPAIGN_POLICY_DEFAULTS.unknownConsent)
      .describe('How a missing marketing_opt_in counts'),
    noDiscountWithinDays: z
      .number()
      .int()
      .min(0)
      .default(CAMPAIGN_POLICY_DEFAULTS.noDiscountWithinDays)
      .describe('A customer who bought within this many days of the run date is offered no discount; 0 turns it off'),
    reengagementCampaign: z
      .string()
      .min(1)
      .default(CAMPAIGN_POLICY_DEFAULTS.reengagementCampaign)
      .describe("The campaign reengagement proposes (seed 001's churn prevention)"),
    reengagementDiscountPct: z
      .number()
      .min(0)
      .max(100)
      .default(CAMPAIGN_POLICY_DEFAULTS.reengagementDiscountPct)
      .describe('The coupon reengagement proposes'),
    resultWindowDays: z
      .number()
      .int()
      .min(1)
      .default(CAMPAIGN_POLICY_DEFAULTS.resultWindowDays)
      .describe("campaign_results counts each target's orders in this many days after the date that targeted them"),
    resultLookbackDays: z
      .number()
      .int()
      .min(1)
      .default(CAMPAIGN_POLICY_DEFAULTS.resultLookbackDays)
      .describe('campaign_results measures the targets published this many days before the run date, at most'),
  })
  .strict()
  .refine((policy) => policy.resultLookbackDays >= policy.resultWindowDays, {
    message: 'resultLookbackDays is shorter than resultWindowDays: no result window would ever be complete; make it at least as long',
    path: ['resultLookbackDays'],
  });

/** The default campaigns of the segments a (possibly custom) rule table produces. */
function defaultCampaignsFor(rules: SegmentRule[]): Campaign[] {
  const segments = new Set(rules.map((rule) => rule.segment));
  return DEFAULT_CAMPAIGNS.filter((campaign) => segments.has(campaign.segment)).map((campaign) => campaignSchema.parse(campaign));
}

/** Every configured campaign names a segment that a rule produces, and no segment has two campaigns. */
function checkCampaignSegments(
  config: { rfm: { segments: SegmentRule[] }; campaigns?: Campaign[] },
  context: z.RefinementCtx,
): void {
  const segments = new Set(config.rfm.segments.map((rule) => rule.segment));
  const seen = new Set<string>();
  config.campaigns?.forEach((campaign, index) => {
    const path = ['campaigns', index, 'segment'];
    if (!segments.has(campaign.segment)) {
      context.addIssue({
        code: 'custom',
        path,
        message: `'${campaign.segment}' is not a segment of rfm.segments; expected one of: ${[...segments].join(', ')}`,
      });
    }
    if (seen.has(campaign.segment)) {
      context.addIssue({ code: 'custom', path, message: `segment '${campaign.segment}' has a campaign already; one campaign per segment` });
    }
    seen.add(campaign.segment);
  });
}

const timeZone = z.string().refine((zone) => IANAZone.isValidZone(zone), {
  message: 'not an IANA time zone (for example Asia/Seoul, Europe/Berlin, UTC)',
});

/**
 * Which published snapshots to keep after each publish. A date is kept when any rule keeps it; with no rule,
 * every snapshot is kept. The newest snapshot and dates leased by a running backfill are never removed.
 */
export const retentionSchema = z
  .object({
    keepLast: z.number().int().min(1).optional().describe('Keep the newest N published run dates'),
    maxAgeDays: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Keep run dates at most this many days before the newest published run date'),
    stagingMaxAgeDays: z
      .number()
      .min(0)
      .optional()
      .describe("Remove a staging folder left by a failed or crashed run once unwritten this many days and its workflow is closed (default 7)"),
  })
  .strict();
export type RetentionPolicy = z.infer<typeof retentionSchema>;

/**
 * DuckDB's memory limit in each stage when the configuration gives none. A worker runs two stages at once by
 * default (SEGFLOW_MAX_CONCURRENT_ACTIVITIES), and its peak is up to about twice this plus 0.9 GB: in the
 * benchmark's million-customer run, 2.5 to 2.8 GB with 1 GB and 3.0 GB with 1.5 GB (README, Sizing a worker).
 */
export const DEFAULT_MEMORY_LIMIT = '1GB';

/**
 * How much of the worker DuckDB may use. The defaults suit a worker with 4 GB of memory: DuckDB keeps to
 * DEFAULT_MEMORY_LIMIT a stage and spills the rest of a large join, aggregation or sort to the run's staging folder.
 */
export const duckdbSchema = z
  .object({
    memoryLimit: z
      .string()
      .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, "a size such as '2GB' or '512MiB'")
      .default(DEFAULT_MEMORY_LIMIT)
      .describe("DuckDB's memory_limit in every stage; past it DuckDB spills to disk"),
    threads: z.number().int().min(1).max(256).optional().describe("DuckDB's threads; default: every core"),
  })
  .strict();
export type DuckdbSettings = z.infer<typeof duckdbSchema>;

/** What counts as plausible in the inputs. */
export const validationSchema = z
  .object({
    earliestEventDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 1990-01-01')
      .default('1990-01-01')
      .describe('Orders, reviews and sessions dated before this day (business time zone) are implausible'),
    maxFieldBytes: z
      .number()
      .int()
      .min(1)
      .max(8_000_000)
      .default(1_000_000)
      .describe('A CSV or JSONL field longer than this is quarantined as field_too_long'),
  })
  .strict();

/**
 * When a run trains a model instead of scoring with the stored one (lib/modelStore.ts, lib/refitPolicy.ts): what
 * every model's `refit` block has. Each model adds its own drift thresholds.
 */
const refitSchema = z.object({
  everyDays: z.number().int().min(1).default(7).describe('Refit a model this many days old'),
});

const CLUSTER_REFIT_DEFAULTS = { everyDays: 7, maxFarShare: 0.15, maxMeanDistanceIncrease: 0.25, matchMaxDistance: 1 };

/** When the cluster stage fits a new model instead of assigning customers with the stored one. */
export const clusterRefitSchema = refitSchema
  .extend({
    maxFarShare: z
      .number()
      .gt(0)
      .lt(1)
      .default(CLUSTER_REFIT_DEFAULTS.maxFarShare)
      .describe("Refit when more customers than this lie beyond their cluster's 95th-percentile training distance"),
    maxMeanDistanceIncrease: z
      .number()
      .gt(0)
      .default(CLUSTER_REFIT_DEFAULTS.maxMeanDistanceIncrease)
      .describe('Refit when the mean distance to the assigned centroid grew by more than this share'),
    matchMaxDistance: z
      .number()
      .gt(0)
      .default(CLUSTER_REFIT_DEFAULTS.matchMaxDistance)
      .describe('At a refit, a new cluster inherits an old id only within this distance (standardized units)'),
  })
  .strict();

/**
 * 0.25: on the generated data a fresh BG/NBD fit is already 15 to 20% off the purchases of its own holdout window
 * (customers drift away before they stop, which BG/NBD does not model), so a tighter threshold would refit sound
 * models; a quarter off leaves room for that and still catches customers whose purchase rate has moved.
 */
const CLV_REFIT_DEFAULTS = { everyDays: 7, maxPurchaseError: 0.25 };

/** When lifetime value fits BG/NBD and Gamma-Gamma anew instead of scoring with the stored parameters. */
export const clvRefitSchema = refitSchema
  .extend({
    maxPurchaseError: z
      .number()
      .gt(0)
      .default(CLV_REFIT_DEFAULTS.maxPurchaseError)
      .describe(
        "Refit when the stored model's purchases predicted over the last clv.holdoutDays are off the actual ones by more than this share",
      ),
  })
  .strict();

/**
 * 0.65: on the generated data the model ranks churners at 0.83 to 0.86, a third above chance (0.5); below 0.65 it
 * has lost more than half of that, and ranks worse than recency alone (the heuristic baseline, about 0.77).
 */
const CHURN_REFIT_DEFAULTS = { everyDays: 7, minAuc: 0.65 };

/** When churn trains a new logistic regression instead of scoring with the stored coefficients. */
export const churnRefitSchema = refitSchema
  .extend({
    minAuc: z
      .number()
      .gt(0)
      .lt(1)
      .default(CHURN_REFIT_DEFAULTS.minAuc)
      .describe("Refit when the stored model's AUC on the latest labelled date (run date - inactiveDays) falls below this"),
  })
  .strict();

/** Lifetime value (the clv table): BG/NBD + Gamma-Gamma, or seed 000's heuristic below these thresholds. */
const CLV_DEFAULTS = {
  horizonDays: 365,
  monthlyDiscountRate: 0,
  nextOrderMinPAlive: 0.5,
  holdoutDays: 90,
  minCustomers: 500,
  minHistoryDays: 180,
  minRepeatCustomers: 1,
  refit: CLV_REFIT_DEFAULTS,
};

const CLUSTERING_DEFAULTS = { k: 'auto' as const, seed: 42, restarts: 10, fitSampleSize: 20_000, silhouetteSampleSize: 5_000, refit: CLUSTER_REFIT_DEFAULTS };

export const clusteringSchema = z
  .object({
    k: z
      .union([z.literal('auto'), z.number().int().min(2).max(10)])
      .default('auto')
      .describe("'auto' picks k in 2..10 by silhouette; a number fixes it"),
    seed: z.number().int().default(42),
    restarts: z.number().int().min(10).max(100).default(10).describe('k-means++ starts; the lowest inertia wins'),
    fitSampleSize: z.number().int().min(1000).default(20_000).describe('Fit on at most this many customers'),
    silhouetteSampleSize: z.number().int().min(100).default(5_000).describe('Silhouette on at most this many'),
    refit: clusterRefitSchema.default(CLUSTER_REFIT_DEFAULTS),
  })
  .strict();

const CHURN_DEFAULTS = {
  inactiveDays: 90,
  trainingDates: 4,
  trainingStepDays: 30,
  sampleSize: 20_000,
  l2Penalty: 1,
  campaignCutoff: 0.5,
  minClassRows: 20,
  refit: CHURN_REFIT_DEFAULTS,
};

/** The churn label and its model (activities/churn.ts); defaults as documented in the README's churn section. */
export const churnSchema = z
  .object({
    inactiveDays: z
      .number()
      .int()
      .min(1)
      .default(CHURN_DEFAULTS.inactiveDays)
      .describe('No purchase within this many days after an as-of date counts as churned'),
    trainingDates: z
      .number()
      .int()
      .min(1)
      .max(24)
      .default(CHURN_DEFAULTS.trainingDates)
      .describe('Past as-of dates the churn model trains on, before the evaluation date'),
    trainingStepDays: z
      .number()
      .int()
      .min(1)
      .default(CHURN_DEFAULTS.trainingStepDays)
      .describe('Days between two training as-of dates'),
    sampleSize: z
      .number()
      .int()
      .min(1000)
      .default(CHURN_DEFAULTS.sampleSize)
      .describe('Customers drawn once for training and evaluation; each as-of date uses those who had bought by then'),
    l2Penalty: z.number().positive().default(CHURN_DEFAULTS.l2Penalty).describe("L2 penalty on standardized coefficients (scikit-learn's 1 / C)"),
    campaignCutoff: z
      .number()
      .gt(0)
      .lt(1)
      .default(CHURN_DEFAULTS.campaignCutoff)
      .describe('A churn probability at or above this counts as at risk; precision and recall are reported here'),
    minClassRows: z
      .number()
      .int()
      .min(1)
      .default(CHURN_DEFAULTS.minClassRows)
      .describe('Train the model when training and evaluation each have this many churned and retained rows'),
    refit: churnRefitSchema.default(CHURN_REFIT_DEFAULTS),
  })
  .strict();

const DISCOUNT_SENSITIVITY_DEFAULTS = {
  horizonDays: 90,
  promoShareThreshold: 0.5,
  minLabelOrders: 1,
  sampleSize: 20_000,
  l2Penalty: 1,
  cutoff: 0.5,
  minClassRows: 20,
  levelThresholds: { low: 0.2, medium: 0.3, high: 0.4 },
  levelDiscountPct: { none: 0, low: 5, medium: 10, high: 20 },
};

export const DISCOUNT_LEVELS = ['none', 'low', 'medium', 'high'] as const;
export type DiscountLevel = (typeof DISCOUNT_LEVELS)[number];

const probability = z.number().gt(0).lt(1);
const percent = z.number().min(0).max(100);

/** Discount sensitivity and the per-segment discount level (activities/discountSensitivity.ts; README, Definitions). */
export const discountSensitivitySchema = z
  .object({
    horizonDays: z
      .number()
      .int()
      .min(1)
      .default(DISCOUNT_SENSITIVITY_DEFAULTS.horizonDays)
      .describe('The label looks at the purchase orders of this many days after an as-of date; training and validation are this far apart'),
    promoShareThreshold: z
      .number()
      .gt(0)
      .max(1)
      .default(DISCOUNT_SENSITIVITY_DEFAULTS.promoShareThreshold)
      .describe('A customer is discount sensitive when at least this share of those orders used a promotion'),
    minLabelOrders: z
      .number()
      .int()
      .min(1)
      .default(DISCOUNT_SENSITIVITY_DEFAULTS.minLabelOrders)
      .describe('A customer is labelled when they placed at least this many purchase orders in the label window'),
    sampleSize: z
      .number()
      .int()
      .min(1000)
      .default(DISCOUNT_SENSITIVITY_DEFAULTS.sampleSize)
      .describe('Buyers drawn once, in the hash order of their ids, for training and validation'),
    l2Penalty: z.number().positive().default(DISCOUNT_SENSITIVITY_DEFAULTS.l2Penalty).describe("L2 penalty on standardized coefficients (scikit-learn's 1 / C)"),
    cutoff: probability
      .default(DISCOUNT_SENSITIVITY_DEFAULTS.cutoff)
      .describe('A probability at or above this counts as discount sensitive; accuracy, precision, recall and F1 are taken here'),
    minClassRows: z
      .number()
      .int()
      .min(1)
      .default(DISCOUNT_SENSITIVITY_DEFAULTS.minClassRows)
      .describe('Train the model when training and validation each have this many sensitive and insensitive customers'),
    levelThresholds: z
      .object({ low: probability, medium: probability, high: probability })
      .strict()
      .refine(({ low, medium, high }) => low < medium && medium < high, { message: 'must rise: low < medium < high' })
      .default(DISCOUNT_SENSITIVITY_DEFAULTS.levelThresholds)
      .describe("A segment's mean probability at or above a threshold gets that level; below low, 'none'"),
    levelDiscountPct: z
      .object({ none: percent, low: percent, medium: percent, high: percent })
      .strict()
      .refine(({ none, low, medium, high }) => none <= low && low <= medium && medium <= high, {
        message: 'must not fall: none <= low <= medium <= high',
      })
      .default(DISCOUNT_SENSITIVITY_DEFAULTS.levelDiscountPct)
      .describe("The discount campaign_targets offers at each segment's level"),
  })
  .strict();

export const clvSchema = z
  .object({
    horizonDays: z.number().int().min(1).default(CLV_DEFAULTS.horizonDays).describe('Predict purchases and value over this many days'),
    monthlyDiscountRate: z
      .number()
      .min(0)
      .max(1)
      .default(CLV_DEFAULTS.monthlyDiscountRate)
      .describe('Discount per 30-day month of predicted value; 0 = undiscounted'),
    nextOrderMinPAlive: z
      .number()
      .min(0)
      .max(1)
      .default(CLV_DEFAULTS.nextOrderMinPAlive)
      .describe('No expected next order date below this P(alive)'),
    holdoutDays: z
      .number()
      .int()
      .min(1)
      .default(CLV_DEFAULTS.holdoutDays)
      .describe('Validate by fitting on history up to this many days before the run date and predicting those days'),
    minCustomers: z.number().int().min(1).default(CLV_DEFAULTS.minCustomers).describe('Fit the models from this many scored customers'),
    minHistoryDays: z
      .number()
      .int()
      .min(1)
      .default(CLV_DEFAULTS.minHistoryDays)
      .describe('Fit the models when the first purchase is at least this many days before the end of the run date'),
    minRepeatCustomers: z
      .number()
      .int()
      .min(1)
      .default(CLV_DEFAULTS.minRepeatCustomers)
      .describe('Fit the models when at least this many customers bought on 3 or more distinct days'),
    refit: clvRefitSchema.default(CLV_REFIT_DEFAULTS),
  })
  .strict();

/**
 * The revenue every table counts (RFM's monetary, customers' revenue, lifetime value, churn's revenue windows,
 * campaign revenue): one definition for all, so that no two tables disagree on what a customer spent.
 */
export const REVENUE_DEFINITIONS = ['net', 'gross'] as const;
export type RevenueDefinition = (typeof REVENUE_DEFINITIONS)[number];

export const revenueSchema = z
  .object({
    definition: z
      .enum(REVENUE_DEFINITIONS)
      .default('net')
      .describe(
        "'net': purchases less cancellations and returns; 'gross': purchases only, cancellation and return lines ignored (as most notebooks compute it)",
      ),
  })
  .strict();

/** Association rules and recommendations (activities/baskets.ts); defaults as seed 002's market basket analysis. */
export const basketsSchema = z
  .object({
    minSupport: z
      .number()
      .gt(0)
      .max(1)
      .default(0.2)
      .describe('Keep item sets bought in at least this share of orders (seed 002: 0.2, which leaves few rules on a large catalogue)'),
    minConfidence: z.number().min(0).max(1).default(0.7).describe('Keep rules at least this confident (seed 002: 0.7)'),
    recommendationsPerCustomer: z.number().int().min(1).max(100).default(5).describe('Products recommended per customer'),
  })
  .strict();

/** The sales_trends table (activities/salesKpis.ts). */
export const salesTrendsSchema = z
  .object({
    topProducts: z.number().int().min(1).max(1000).default(10).describe('Products listed by revenue and by quantity'),
  })
  .strict();

/**
 * Which values of members.gender mean female and which male, matched ignoring case (F, f; Female, FEMALE);
 * any other value, and none, is unknown. Seed 001 targets women in their 20s and 30s, and exports write gender
 * every which way, in Korean too. A list given replaces that gender's default.
 */
export const DEFAULT_GENDER_VALUES = {
  female: ['F', 'female', 'W', 'woman', '여', '여성'],
  male: ['M', 'male', 'man', '남', '남성'],
};

const genderValueList = (gender: string) =>
  z.array(z.string().trim().min(1)).min(1).describe(`Values of members.gender that mean ${gender}, any case`);

export const genderValuesSchema = z
  .object({
    female: genderValueList('female').default(DEFAULT_GENDER_VALUES.female),
    male: genderValueList('male').default(DEFAULT_GENDER_VALUES.male),
  })
  .strict()
  .superRefine((values, context) => {
    const female = new Set(values.female.map((value) => value.toLowerCase()));
    values.male.forEach((value, index) => {
      if (female.has(value.toLowerCase())) {
        context.addIssue({
          code: 'custom',
          path: ['male', index],
          message: `'${value}' is listed under female too; a value means one gender`,
        });
      }
    });
  });
export type GenderValues = z.infer<typeof genderValuesSchema>;

/** A channel name as every source's is compared: trimmed and lower-cased. */
const channelName = z.string().trim().toLowerCase().min(1);

/** Google Analytics' default channel grouping by medium, in seed 003's channel names. */
export const DEFAULT_GA_MEDIUMS: Record<string, string> = {
  organic: 'organic',
  cpc: 'paid_search',
  ppc: 'paid_search',
  paidsearch: 'paid_search',
  social: 'social_media',
  'social-network': 'social_media',
  email: 'email',
  newsletter: 'email',
  referral: 'referral',
  '(none)': 'direct',
};

const CHANNELS_DEFAULTS = { unpaid: ['organic', 'referral'], gaMediums: DEFAULT_GA_MEDIUMS };

/** Acquisition channels: customers.acquisition_channel and the channel_kpis table (activities/salesKpis.ts). */
export const channelsSchema = z
  .object({
    unpaid: z
      .array(channelName)
      .default(CHANNELS_DEFAULTS.unpaid)
      .describe('Channels that cost nothing per customer: their CAC is 0, with no LTV / CAC or payback (seed 003)'),
    gaMediums: z
      .record(z.string().trim().toLowerCase().min(1), channelName)
      .default(CHANNELS_DEFAULTS.gaMediums)
      .describe("GA medium (the part after ' / ' of a traffic source) -> acquisition channel; a medium not listed is its own channel"),
  })
  .strict();

/** Checks before a snapshot replaces what BI tools read: a failed check publishes nothing. */
export const guardsSchema = z
  .object({
    maxScoredDrop: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe('Fail when the customers scored fall by more than this share against the previous published date'),
  })
  .strict();

export const configFileSchema = z
  .object({
    dataDir: z.string().default('.').describe('Folder of the input files, relative to the configuration file'),
    allowPathsOutsideDataDir: z
      .boolean()
      .default(false)
      .describe('Let sources name files outside dataDir (by default such a path is a configuration error)'),
    businessTimeZone: timeZone.default('UTC'),
    sources: sourcesSchema,
    rfm: z
      .object({
        frequency: z.enum(['orders', 'lines']).default('orders'),
        segments: segmentRulesSchema.default(DEFAULT_SEGMENT_RULES),
      })
      .strict()
      .default({ frequency: 'orders', segments: DEFAULT_SEGMENT_RULES }),
    clustering: clusteringSchema.default(CLUSTERING_DEFAULTS),
    revenue: revenueSchema.default({ definition: 'net' }),
    churn: churnSchema.default(CHURN_DEFAULTS),
    discountSensitivity: discountSensitivitySchema.default(DISCOUNT_SENSITIVITY_DEFAULTS),
    clv: clvSchema.default(CLV_DEFAULTS),
    campaigns: z.array(campaignSchema).optional().describe("Default: seed 000's campaigns of the segments rfm.segments produces"),
    campaignPolicy: campaignPolicySchema.default(CAMPAIGN_POLICY_DEFAULTS),
    retention: retentionSchema.default({}),
    duckdb: duckdbSchema.default({ memoryLimit: DEFAULT_MEMORY_LIMIT }),
    validation: validationSchema.default({ earliestEventDate: '1990-01-01', maxFieldBytes: 1_000_000 }),
    guards: guardsSchema.default({ maxScoredDrop: 0.5 }),
    baskets: basketsSchema.default({ minSupport: 0.2, minConfidence: 0.7, recommendationsPerCustomer: 5 }),
    salesTrends: salesTrendsSchema.default({ topProducts: 10 }),
    genderValues: genderValuesSchema.default(DEFAULT_GENDER_VALUES),
    channels: channelsSchema.default(CHANNELS_DEFAULTS),
  })
  .strict()
  .superRefine(checkCampaignSegments)
  .transform(({ campaigns, ...config }) => ({ ...config, campaigns: campaigns ?? defaultCampaignsFor(config.rfm.segments) }));

export type ConfigFile = z.infer<typeof configFileSchema>;
export type SourceConfig = NonNullable<ConfigFile['sources'][SourceName]>;

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

export const campaignSchema = z
  .object({
    segment: z.string().min(1),
    campaign: z.string().min(1),
    channel: z.enum(['email', 'sms', 'push', 'email+sms', 'email+push', 'email+sms+push']),
    discount_pct: z.number().min(0).max(100),
    priority: z.number().int().min(1).max(10),
  })
  .strict();
export type Campaign = z.infer<typeof campaignSchema>;

/** Seed 000's PersonalizationEngine strategies and priority weights, extended to all eleven segments. */
export const DEFAULT_CAMPAIGNS: Campaign[] = [
  { segment: 'Champions', campaign: 'vip_exclusive_benefits', channel: 'email+sms+push', discount_pct: 0, priority: 10 },
  { segment: 'Cannot Lose Them', campaign: 'win_back_high_value', channel: 'email+sms', discount_pct: 20, priority: 9 },
  { segment: 'At Risk', campaign: 'win_back', channel: 'email+sms', discount_pct: 20, priority: 8 },
  { segment: 'Loyal Customers', campaign: 'loyalty_cross_sell', channel: 'email+push', discount_pct: 10, priority: 7 },
  { segment: 'Potential Loyalists', campaign: 'membership_upgrade', channel: 'email', discount_pct: 15, priority: 6 },
  { segment: 'Need Attention', campaign: 'personal_recommendations', channel: 'email', discount_pct: 10, priority: 5 },
  { segment: 'About to Sleep', campaign: 'reminder_with_offer', channel: 'email+push', discount_pct: 15, priority: 4 },
  { segment: 'New Customers', campaign: 'welcome_series', channel: 'email', discount_pct: 10, priority: 3 },
  { segment: 'Promising', campaign: 'second_purchase_nudge', channel: 'email', discount_pct: 10, priority: 2 },
  { segment: 'Hibernating', campaign: 'reactivation', channel: 'email', discount_pct: 20, priority: 2 },
  { segment: 'Lost', campaign: 'last_chance_reactivation', channel: 'email', discount_pct: 25, priority: 1 },
];

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
 * How much of the worker DuckDB may use. The defaults suit a worker with 4 GB of memory: DuckDB keeps to 1.5 GB
 * and spills the rest of a large join, aggregation or sort to the run's staging folder.
 */
export const duckdbSchema = z
  .object({
    memoryLimit: z
      .string()
      .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, "a size such as '2GB' or '512MiB'")
      .default('1.5GB')
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

/** Lifetime value (the clv table): BG/NBD + Gamma-Gamma, or seed 000's heuristic below these thresholds. */
const CLV_DEFAULTS = {
  horizonDays: 365,
  monthlyDiscountRate: 0,
  nextOrderMinPAlive: 0.5,
  holdoutDays: 90,
  minCustomers: 500,
  minHistoryDays: 180,
  minRepeatCustomers: 1,
};

const CHURN_DEFAULTS = {
  inactiveDays: 90,
  trainingDates: 4,
  trainingStepDays: 30,
  sampleSize: 20_000,
  l2Penalty: 1,
  campaignCutoff: 0.5,
  minClassRows: 20,
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
  })
  .strict();

const clvSchema = z
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
    clustering: z
      .object({
        k: z
          .union([z.literal('auto'), z.number().int().min(2).max(10)])
          .default('auto')
          .describe("'auto' picks k in 2..10 by silhouette; a number fixes it"),
        seed: z.number().int().default(42),
        restarts: z.number().int().min(10).max(100).default(10).describe('k-means++ starts; the lowest inertia wins'),
        fitSampleSize: z.number().int().min(1000).default(20_000).describe('Fit on at most this many customers'),
        silhouetteSampleSize: z.number().int().min(100).default(5_000).describe('Silhouette on at most this many'),
      })
      .strict()
      .default({ k: 'auto', seed: 42, restarts: 10, fitSampleSize: 20_000, silhouetteSampleSize: 5_000 }),
    revenue: revenueSchema.default({ definition: 'net' }),
    churn: churnSchema.default(CHURN_DEFAULTS),
    clv: clvSchema.default(CLV_DEFAULTS),
    campaigns: z.array(campaignSchema).default(DEFAULT_CAMPAIGNS),
    retention: retentionSchema.default({}),
    duckdb: duckdbSchema.default({ memoryLimit: '1.5GB' }),
    validation: validationSchema.default({ earliestEventDate: '1990-01-01', maxFieldBytes: 1_000_000 }),
    guards: guardsSchema.default({ maxScoredDrop: 0.5 }),
    baskets: basketsSchema.default({ minSupport: 0.2, minConfidence: 0.7, recommendationsPerCustomer: 5 }),
    salesTrends: salesTrendsSchema.default({ topProducts: 10 }),
  })
  .strict();

export type ConfigFile = z.infer<typeof configFileSchema>;
export type SourceConfig = NonNullable<ConfigFile['sources'][SourceName]>;

import { z } from 'zod';

/**
 * The input sources, described once. Each zod schema is the shape of one *cleaned* row of that source;
 * the metadata on every column drives ingestion (which columns a file must have), the cleaning SQL's casts,
 * the README's data dictionary, and the tests that check cleaned rows conform.
 */

export type SqlType = 'VARCHAR' | 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'DATE' | 'TIMESTAMPTZ';

interface ColumnMeta {
  sqlType: SqlType;
  description: string;
}

const registry = z.registry<ColumnMeta>();

function column<T extends z.ZodType>(schema: T, sqlType: SqlType, description: string): T {
  registry.add(schema, { sqlType, description });
  return schema;
}

const id = (description: string) => column(z.string().min(1), 'VARCHAR', description);
const text = (description: string) => column(z.string(), 'VARCHAR', description);
const integer = (description: string) => column(z.number().int(), 'BIGINT', description);
const decimal = (description: string) => column(z.number(), 'DOUBLE', description);
const flag = (description: string) => column(z.boolean(), 'BOOLEAN', description);
const day = (description: string) => column(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), 'DATE', description);
const instant = (description: string) => column(z.date(), 'TIMESTAMPTZ', description);

/** Channel names are compared after trimming and lower-casing, in every source that names one. */
const CHANNEL_HELP = 'Compared trimmed and lower-cased.';

export const TIMESTAMP_HELP =
  'ISO 8601; with a UTC offset, or without one meaning the business time zone; or the source\'s configured timestampFormat';

const LINE_AMOUNT_HELP =
  'the amount paid for the whole line, which is its revenue; negative for a cancellation or return line, as its ' +
  'quantity. Its unit price is amount / quantity; a line of quantity 0 is quarantined';

export const ordersSchema = z.object({
  order_id: id('Order (invoice) identifier. With the line-level layout a value repeats once per line.'),
  ordered_at: instant(`When the order was placed. ${TIMESTAMP_HELP}.`),
  member_id: id('The ordering member. Rows without one (guest checkouts) are quarantined: they cannot be attributed.').nullable(),
  status: text('completed, cancelled or returned. A cancelled order counts for nothing; a return line has a negative quantity. Empty means completed.').optional(),
  platform_id: text('Sales platform the order came through (see platforms).').nullable().optional(),
  promotion_id: text('Promotion applied to the order, if any (see promotions).').nullable().optional(),
  product_id: text('Line-level layout only: the product sold on this line.').nullable().optional(),
  quantity: integer('Line-level layout only: units; negative for a cancellation or return line.').optional(),
  unit_price: decimal('Line-level layout only: price per unit, greater than zero. Or map line_amount instead.').optional(),
  line_amount: decimal(`Line-level layout only, instead of unit_price: ${LINE_AMOUNT_HELP}.`).optional(),
});

export const orderItemsSchema = z.object({
  order_id: id('The order this line belongs to (see orders).'),
  line_number: integer('Position of the line within its order; defaults to the row order in the file.').optional(),
  product_id: text('The product sold on this line (see products).').nullable(),
  quantity: integer('Units; negative for a cancellation or return line. Zero is quarantined.'),
  unit_price: decimal('Price per unit in the shop currency; zero or negative prices are quarantined. Or map line_amount instead.').optional(),
  line_amount: decimal(`Instead of unit_price: ${LINE_AMOUNT_HELP}.`).optional(),
});

export const membersSchema = z.object({
  member_id: id('Member (customer) identifier; the key of every customer-level table.'),
  joined_at: instant(`When the member signed up. ${TIMESTAMP_HELP}. Members who join after the run date are not yet known.`).nullable().optional(),
  birth_year: integer('Year of birth, 1900 to the run year; used for age bands.').nullable().optional(),
  gender: text('Free text as exported (F, M, female, 여성, ...); genderValues says which values mean female and male, any other is unknown.').nullable().optional(),
  region: text('Region or country.').nullable().optional(),
  marketing_opt_in: flag('Whether the member accepts marketing messages (true/false, yes/no, 1/0). Missing means unknown.').nullable().optional(),
  acquisition_channel: text(
    `The channel that brought the member (for example paid_search, organic). ${CHANNEL_HELP} Missing: the channel of the member's first GA session.`,
  ).nullable().optional(),
});

export const reviewsSchema = z.object({
  review_id: text('Review identifier; defaults to the row reference.').optional(),
  member_id: id('The reviewing member (see members).'),
  product_id: text('The reviewed product (see products).').nullable().optional(),
  rating: integer('Star rating from 1 to 5.'),
  reviewed_at: instant(`When the review was written. ${TIMESTAMP_HELP}.`),
});

export const productsSchema = z.object({
  product_id: id('Product (SKU, stock code) identifier.'),
  product_name: text('Display name.').nullable().optional(),
  category: text('Product category, used for each customer\'s favourite category.').nullable().optional(),
  list_price: decimal('Catalogue price.').nullable().optional(),
});

export const promotionsSchema = z.object({
  promotion_id: id('Promotion identifier.'),
  promotion_name: text('Display name.').nullable().optional(),
  promotion_type: text('For example coupon, seasonal, bundle.').nullable().optional(),
  discount_pct: decimal('Discount in percent, 0 to 100.').nullable().optional(),
  starts_on: day('First day of the promotion (YYYY-MM-DD).').nullable().optional(),
  ends_on: day('Last day of the promotion (YYYY-MM-DD).').nullable().optional(),
});

export const platformsSchema = z.object({
  platform_id: id('Sales platform identifier.'),
  platform_name: text('Display name, for example own web shop, app, a marketplace.').nullable().optional(),
  platform_type: text('web, app or marketplace.').nullable().optional(),
  commission_pct: decimal('Commission the platform takes, in percent.').nullable().optional(),
});

export const gaSessionsSchema = z.object({
  session_id: text('Google Analytics session identifier; defaults to the row reference.').optional(),
  member_id: text('Logged-in member (GA user id mapped to members). Anonymous sessions are kept but not attributed.').nullable(),
  session_start: instant(`When the session started. ${TIMESTAMP_HELP}.`),
  traffic_source: text('GA source / medium, for example google / organic.').nullable().optional(),
  pageviews: integer('Pages viewed in the session.').nullable().optional(),
  session_duration_sec: integer('Session length in seconds.').nullable().optional(),
});

export const marketingSpendSchema = z.object({
  date: day(
    'The day (YYYY-MM-DD) or month (YYYY-MM) the row\'s spend is for; each row is known from the first day of its period. ' +
      'A month row is spread evenly over its days: a run within the month counts the days up to the run date. ' +
      'A day of a channel whose month has a month row is quarantined (overlapping_period).',
  ),
  channel: id(`Acquisition channel the money was spent on, as members.acquisition_channel names it. ${CHANNEL_HELP}`),
  spend: decimal('Money spent, in the shop currency; negative spend is quarantined. One row per date and channel.'),
  impressions: integer('Ad impressions reported for the period.').nullable().optional(),
  clicks: integer('Ad clicks reported for the period.').nullable().optional(),
  conversions: decimal('Conversions the ad platform reports (may be fractional under data-driven attribution).').nullable().optional(),
});

export const serviceContactsSchema = z.object({
  contact_id: text('Service contact (ticket) identifier; defaults to the row reference.').optional(),
  member_id: id('The member who contacted customer service (see members).'),
  contacted_at: instant(`When the member made contact. ${TIMESTAMP_HELP}.`),
  reason: text('Why they made contact, as exported (for example billing, shipping, product).').nullable().optional(),
  satisfaction: decimal('Satisfaction score from 1 to 5; decimals allowed.').nullable().optional(),
  resolution_hours: decimal('Hours until the contact was resolved; not negative.').nullable().optional(),
  repeat_contact: flag('Whether this contact repeats an earlier one about the same matter (true/false, yes/no, 1/0).').nullable().optional(),
});

export const SOURCES = {
  orders: ordersSchema,
  order_items: orderItemsSchema,
  members: membersSchema,
  reviews: reviewsSchema,
  products: productsSchema,
  promotions: promotionsSchema,
  platforms: platformsSchema,
  ga_sessions: gaSessionsSchema,
  marketing_spend: marketingSpendSchema,
  service_contacts: serviceContactsSchema,
} as const;

export type SourceName = keyof typeof SOURCES;
export const SOURCE_NAMES = Object.keys(SOURCES) as SourceName[];

export interface ColumnSpec {
  name: string;
  sqlType: SqlType;
  /** The file must contain this column (after mapping). */
  required: boolean;
  /** The column may be present with empty values. */
  nullable: boolean;
  description: string;
}

function unwrap(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return unwrap(schema.unwrap() as z.ZodType);
  return schema;
}

export function columnsOf(source: SourceName): ColumnSpec[] {
  return Object.entries(SOURCES[source].shape).map(([name, schema]) => {
    const meta = registry.get(unwrap(schema as z.ZodType));
    if (!meta) throw new Error(`schemas/sources.ts: column ${source}.${name} has no metadata`);
    return {
      name,
      sqlType: meta.sqlType,
      required: !(schema as z.ZodType).safeParse(undefined).success,
      nullable: (schema as z.ZodType).safeParse(null).success,
      description: meta.description,
    };
  });
}

/** Columns that only the line-level orders layout needs (when no order_items source is given). */
export const LINE_LEVEL_ORDER_COLUMNS = ['product_id', 'quantity'] as const;

/**
 * How an order line is priced: exactly one of these columns, the unit price or the amount of the whole line
 * (many exports carry the latter), in order_items or in the line-level orders layout.
 */
export const LINE_PRICE_COLUMNS = ['unit_price', 'line_amount'] as const;

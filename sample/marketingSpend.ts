import { DEFAULT_GA_MEDIUMS } from '../schemas/config';
import type { Random } from '../lib/random';
import { UNPARSEABLE_MONTHS, type DirtPlan } from './dirt';
import { csvLine, LineWriter, type Field } from './lineWriter';
import { DAY, seoulDate, type HistoryWindow } from './timestamps';

export const SPEND_COLUMNS = ['date', 'channel', 'spend', 'impressions', 'clicks', 'conversions'];

/** The acquisition channel of a GA traffic source ('source / medium'), by the pipeline's default medium grouping. */
export function channelOfTrafficSource(trafficSource: string): string {
  const medium = trafficSource.split('/').pop()!.trim().toLowerCase();
  return DEFAULT_GA_MEDIUMS[medium] ?? medium;
}

interface PaidChannel {
  /** Typical cost of acquiring one customer, in won. */
  cac: number;
  /** Cost of a thousand impressions (for email: of a thousand mails sent), in won. */
  cpm: number;
  clickThroughRate: number;
  /** Search ads are exported per day; the others as monthly invoices (YYYY-MM). */
  period: 'day' | 'month';
}

/** The channels the shop pays for. Organic, referral and direct traffic cost nothing per customer. */
const PAID_CHANNELS: Record<string, PaidChannel> = {
  paid_search: { cac: 140_000, cpm: 3_500, clickThroughRate: 0.035, period: 'day' },
  social_media: { cac: 180_000, cpm: 6_000, clickThroughRate: 0.012, period: 'month' },
  email: { cac: 45_000, cpm: 900, clickThroughRate: 0.02, period: 'month' },
};

/** A month without a new customer still costs this share of one customer's acquisition: the ads ran. */
const IDLE_SPEND_CUSTOMERS = 0.5;
/** Ad platforms claim more conversions than there are new customers (view-through, several touches). */
const REPORTED_CONVERSIONS_PER_CUSTOMER = 1.2;

/**
 * Collects who each paid channel acquired (a customer's first order) and writes marketing_spend.csv: spend that
 * follows acquisitions at about each channel's cost per customer, so that the sample's CAC is realistic at any
 * number of customers.
 */
export class MarketingSpend {
  /** Customers whose first order was on a Seoul day or in a month, by `${channel} ${YYYY-MM-DD or YYYY-MM}`. */
  private readonly acquired = new Map<string, number>();

  constructor(
    private readonly random: Random,
    private readonly dirt: DirtPlan,
    private readonly window: HistoryWindow,
  ) {}

  recordAcquisition(channel: string, firstOrderAt: number): void {
    const day = seoulDate(firstOrderAt);
    for (const period of [day, day.slice(0, 7)]) this.acquired.set(`${channel} ${period}`, this.customers(channel, period) + 1);
  }

  /** Writes one row per paid channel and day or month of the history, in date order; returns the rows written. */
  async write(file: string): Promise<number> {
    const writer = new LineWriter(file, SPEND_COLUMNS);
    let previousMonth = '';
    for (let day = 0; day < this.window.days; day++) {
      const date = seoulDate(this.window.start + day * DAY);
      const month = date.slice(0, 7);
      for (const [channel, economics] of Object.entries(PAID_CHANNELS)) {
        const inMonth = this.customers(channel, month);
        const paidFor = Math.max(inMonth, IDLE_SPEND_CUSTOMERS);
        if (economics.period === 'day') this.writeRow(writer, date, channel, economics, paidFor / daysInMonth(month), this.customers(channel, date));
        else if (month !== previousMonth) this.writeRow(writer, month, channel, economics, paidFor, inMonth);
      }
      previousMonth = month;
    }
    await writer.close();
    return writer.rows;
  }

  private customers(channel: string, period: string): number {
    return this.acquired.get(`${channel} ${period}`) ?? 0;
  }

  /** One row: spend for `paidFor` customers at the channel's CAC, give or take; `converted` customers it brought. */
  private writeRow(writer: LineWriter, date: string, channel: string, economics: PaidChannel, paidFor: number, converted: number): void {
    const row = writer.rows;
    const spend = Math.round((paidFor * economics.cac * this.random.logNormal(1, 0.25)) / 100) * 100;
    const impressions = Math.round((spend / economics.cpm) * 1000);
    const clicks = Math.round(impressions * economics.clickThroughRate * this.random.logNormal(1, 0.1));
    const conversions = Math.round(converted * REPORTED_CONVERSIONS_PER_CUSTOMER);
    const fields: Field[] = [
      this.dirt.plant('unparseableSpendDate', row) ? this.dirt.choose(UNPARSEABLE_MONTHS) : date,
      this.dirt.plant('missingChannel', row) ? '' : channel,
      this.dirt.plant('negativeSpend', row) ? -spend : spend,
      impressions,
      clicks,
      conversions,
    ];
    writer.write(csvLine(fields));
    // The same date and channel exported again with a corrected amount.
    if (this.dirt.plant('duplicateSpend', row)) writer.write(csvLine([date, channel, Math.round(spend * 1.1), impressions, clicks, conversions]));
  }
}

function daysInMonth(month: string): number {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
}

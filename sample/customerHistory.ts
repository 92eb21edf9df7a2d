import type { Catalog, Product } from './catalog';
import { UNPARSEABLE_TIMESTAMPS, type DirtKind, type DirtPlan } from './dirt';
import { memberId, orderId, reviewId, sessionId } from './ids';
import { csvLine, type Field, type LineWriter } from './lineWriter';
import { DRIFTING, ENGAGED, engagement, lastVisitBefore, type Behaviour } from './drift';
import { channelOfTrafficSource, type MarketingSpend } from './marketingSpend';
import { drawLifetime, type Lifetime, type Persona } from './personas';
import { PLATFORMS, type Platform } from './platforms';
import { DEAL_SEEKER, FULL_PRICE, type PriceSensitivity } from './priceSensitivity';
import { eventAt, type Promotion, type PromotionCalendar } from './promotions';
import type { ServiceDesk } from './serviceContacts';
import type { Random, Weighted } from '../lib/random';
import { DAY, exportedTimestamp, MINUTE, seoulDate, timeOfDay, utcTimestamp, type HistoryWindow } from './timestamps';

export interface HistoryFiles {
  members: LineWriter;
  orders: LineWriter;
  orderItems: LineWriter;
  reviews: LineWriter;
  /** CSV with instants in UTC, converted to Parquet at the end. */
  sessions: LineWriter;
  serviceContacts: LineWriter;
}

/**
 * What the history also feeds, drawing from a random stream of its own, so that these sources came to the sample
 * without changing a row of the others: how members.csv records the acquisition channel, the service contacts
 * that follow orders, and the spend that paid for each channel's new customers.
 */
export interface CrmFeeds {
  random: Random;
  serviceDesk: ServiceDesk;
  marketingSpend: MarketingSpend;
}

export const MEMBER_COLUMNS = ['member_id', 'joined_at', 'birth_year', 'gender', 'region', 'marketing_opt_in', 'acquisition_channel'];
export const ORDER_COLUMNS = ['order_id', 'ordered_at', 'member_id', 'status', 'platform_id', 'promotion_id'];
export const ORDER_ITEM_COLUMNS = ['order_id', 'line_number', 'product_id', 'quantity', 'unit_price'];
/** GA session columns with their types in the Parquet file, which stores instants rather than text. */
export const SESSION_COLUMNS = {
  session_id: 'VARCHAR',
  member_id: 'VARCHAR',
  session_start: 'TIMESTAMPTZ',
  traffic_source: 'VARCHAR',
  pageviews: 'BIGINT',
  session_duration_sec: 'BIGINT',
} as const;

const CANCELLED_SHARE = 0.02;
/** Of the returns, the share that send back one product rather than everything returnable in the order. */
const SINGLE_PRODUCT_RETURN_SHARE = 0.7;
/** Visits that see one page and leave; the visit that ends in an order never does. */
const BOUNCE_RATE = 0.35;
/** Members who skipped the optional birth year at sign-up. */
const NO_BIRTH_YEAR_SHARE = 0.04;
/** Visits that end in no order, per cadence of orders, while the customer is engaged (deal seekers visit more). */
const BROWSING_VISITS_PER_ORDER = 0.8;
/** Most customers keep to one platform; the rest of their orders spread like everyone's. */
const HOME_PLATFORM_SHARE = 0.75;
/** Lines from the customer's favourite category, when not premium: favourites are what clusters pick up. */
const FAVOURITE_CATEGORY_SHARE = 0.6;

const LINES_PER_ORDER: Weighted<number>[] = [[1, 50], [2, 25], [3, 13], [4, 8], [5, 4]];
const QUANTITY: Weighted<number>[] = [[1, 80], [2, 14], [3, 4], [4, 2]];
const RATING_AFTER_RETURN: Weighted<number>[] = [[1, 40], [2, 35], [3, 20], [4, 5]];
const GENDER: Weighted<string>[] = [['F', 55], ['M', 40], ['', 5]];
/** Real exports spell the flag every way the systems behind them ever did, and leave it empty when unknown. */
const MARKETING_OPT_IN: Weighted<string>[] = [['true', 15], ['yes', 15], ['1', 15], ['false', 15], ['no', 15], ['0', 15], ['', 10]];
/** Roughly the population share (percent) of each Korean province and metropolitan city. */
const REGION: Weighted<string>[] = [
  ['Gyeonggi', 26.5], ['Seoul', 18.2], ['Busan', 6.4], ['Gyeongnam', 6.3], ['Incheon', 5.8], ['Gyeongbuk', 5.0],
  ['Daegu', 4.6], ['Chungnam', 4.2], ['Jeonnam', 3.5], ['Jeonbuk', 3.4], ['Chungbuk', 3.1], ['Gangwon', 3.0],
  ['Daejeon', 2.8], ['Gwangju', 2.8], ['Ulsan', 2.2], ['Jeju', 1.3], ['Sejong', 0.8],
];
/** Members whose CRM row records the channel that brought them; for the others it is their first GA session's. */
const RECORDED_CHANNEL_SHARE = 0.7;
/** The CRM spells a channel as whoever typed it did; the pipeline trims and lower-cases. */
const CHANNEL_SPELLINGS: Weighted<(channel: string) => string>[] = [
  [(channel) => channel, 85],
  [(channel) => channel.charAt(0).toUpperCase() + channel.slice(1), 10],
  [(channel) => ` ${channel.toUpperCase()} `, 5],
];
const TRAFFIC_SOURCE: Weighted<string>[] = [
  ['naver / organic', 24], ['(direct) / (none)', 20], ['google / organic', 18], ['naver / cpc', 10], ['google / cpc', 6],
  ['kakao / social', 6], ['instagram / social', 6], ['email / newsletter', 5], ['coupang / referral', 5],
];

interface Customer {
  index: number;
  memberId: string;
  persona: Persona;
  joinedAt: number;
  favouriteCategory: string;
  homePlatform: Platform;
  priceSensitivity: PriceSensitivity;
}

interface OrderLine {
  productId: string;
  quantity: number;
  unitPrice: number;
  /** No dirt planted on the line: it may be returned or reviewed. */
  clean: boolean;
}

/** Writes each customer's rows: their member row, orders with lines, returns, reviews and GA sessions. */
export class CustomerHistory {
  private orders = 0;
  private reviews = 0;
  private sessions = 0;
  private readonly endYear: number;
  /** The current customer's earliest logged-in visit: the one that tells how they came. */
  private firstVisit: { at: number; trafficSource: string } | undefined;

  constructor(
    private readonly random: Random,
    private readonly dirt: DirtPlan,
    private readonly catalog: Catalog,
    private readonly promotions: PromotionCalendar,
    private readonly window: HistoryWindow,
    private readonly files: HistoryFiles,
    private readonly crm: CrmFeeds,
  ) {
    this.endYear = Number(seoulDate(window.end - DAY).slice(0, 4));
  }

  /** The customer with this index (from 0). */
  write(index: number): void {
    const lifetime = drawLifetime(this.random, this.window);
    const { persona, joinedAt, orderInstants, driftsFrom } = lifetime;
    const customer: Customer = {
      index,
      memberId: memberId(index + 1),
      persona,
      joinedAt,
      favouriteCategory: this.random.pick(this.catalog.categories),
      homePlatform: this.random.weighted(PLATFORMS),
      priceSensitivity: this.random.chance(persona.dealSeekerShare) ? DEAL_SEEKER : FULL_PRICE,
    };
    const withdrawn = orderInstants.length > 0 && this.dirt.plant('withdrawnMember', index);
    const member = withdrawn ? undefined : this.drawMember(customer);
    for (const orderedAt of orderInstants) {
      this.writeOrder(customer, orderedAt, driftsFrom !== undefined && orderedAt >= driftsFrom ? DRIFTING : ENGAGED);
    }
    if (orderInstants.length > 0) this.writeBrowsingVisits(customer, lifetime);
    else {
      // Window shoppers come back a few times in the months after signing up.
      for (let visits = this.random.integer(1, 4); visits > 0; visits--) {
        this.writeSession(customer, joinedAt + this.random.integer(0, 90) * DAY + timeOfDay(this.random));
      }
    }
    // Visitors who never log in: not attributable, but real traffic.
    for (let visits = this.random.integer(0, 2); visits > 0; visits--) {
      this.writeSession(null, this.window.start + Math.floor(this.random.next() * this.window.days) * DAY + timeOfDay(this.random));
    }
    const channel = channelOfTrafficSource(this.firstVisit?.trafficSource ?? this.crm.random.weighted(TRAFFIC_SOURCE));
    this.firstVisit = undefined;
    if (orderInstants.length > 0) this.crm.marketingSpend.recordAcquisition(channel, orderInstants[0]!);
    if (member) this.files.members.write(csvLine([...member, this.recordedChannel(channel)]));
  }

  /** The member's row but its acquisition channel, which their visits tell. */
  private drawMember(customer: Customer): Field[] {
    const age = Math.min(79, Math.max(17, Math.round(this.random.normal(37, 11))));
    const birthYear = this.random.chance(NO_BIRTH_YEAR_SHARE) ? '' : this.endYear - age;
    return [
      customer.memberId,
      exportedTimestamp(this.random, customer.joinedAt),
      birthYear,
      this.random.weighted(GENDER),
      this.random.weighted(REGION),
      this.random.weighted(MARKETING_OPT_IN),
    ];
  }

  /** The channel as members.csv records it, or '' when the CRM did not. */
  private recordedChannel(channel: string): string {
    return this.crm.random.chance(RECORDED_CHANNEL_SHARE) ? this.crm.random.weighted(CHANNEL_SPELLINGS)(channel) : '';
  }

  private writeOrder(customer: Customer, orderedAt: number, behaviour: Behaviour): void {
    const id = orderId(++this.orders);
    const status = this.random.chance(CANCELLED_SHARE) ? 'cancelled' : 'completed';
    const platform = this.random.chance(HOME_PLATFORM_SHARE) ? customer.homePlatform : this.random.weighted(PLATFORMS);
    const promotion = this.choosePromotion(customer, orderedAt, behaviour);

    const guest = this.dirt.plant('guestOrder', customer.index);
    const orderedAtText = this.dirt.plant('unparseableOrderDate', customer.index)
      ? this.dirt.choose(UNPARSEABLE_TIMESTAMPS)
      : exportedTimestamp(this.random, orderedAt);
    const header = [id, orderedAtText, guest ? '' : customer.memberId, status, platform.id, promotion?.id ?? ''];
    this.writeRow(this.files.orders, header, 'duplicateOrder', customer);

    const lines = Array.from({ length: this.random.weighted(LINES_PER_ORDER) }, () => this.drawLine(customer, promotion));
    lines.forEach((line, position) => {
      this.writeRow(this.files.orderItems, [id, position + 1, line.productId, line.quantity, line.unitPrice], 'duplicateItem', customer);
    });

    // The visit that ended in the order.
    this.writeSession(customer, orderedAt - this.random.integer(2, 45) * MINUTE, true);
    if (!guest) this.crm.serviceDesk.afterOrder(customer.index, customer.memberId, orderedAt, behaviour);
    if (status === 'cancelled') return;
    // A guest order belongs to no one, so no member can return it.
    const returned = !guest && this.writeReturn(customer, orderedAt, platform, lines, behaviour);
    this.writeReview(customer, orderedAt, lines, returned, behaviour);
  }

  /** A running seasonal event or, between events, the member coupon, if the customer bothers to use it. */
  private choosePromotion(customer: Customer, orderedAt: number, behaviour: Behaviour): Promotion | undefined {
    const event = eventAt(this.promotions.events, orderedAt);
    const { eventUptake, couponUptake } = customer.priceSensitivity;
    const uptake = (event ? eventUptake : couponUptake) * behaviour.promotionAppeal;
    return this.random.chance(uptake) ? (event ?? this.promotions.memberCoupon) : undefined;
  }

  private drawLine(customer: Customer, promotion: Promotion | undefined): OrderLine {
    const product = this.drawProduct(customer);
    const quantity = this.random.weighted(QUANTITY);
    const unitPrice = Math.round((product.listPrice * (1 - (promotion?.discountPct ?? 0) / 100)) / 10) * 10;
    const badPrice = this.dirt.plant('nonPositivePrice', customer.index);
    const noQuantity = this.dirt.plant('zeroQuantity', customer.index);
    const discontinued = this.dirt.plant('discontinuedProduct', customer.index);
    return {
      productId: discontinued ? this.dirt.choose(this.catalog.discontinued).id : product.id,
      quantity: noQuantity ? 0 : quantity,
      unitPrice: badPrice ? this.dirt.choose([0, -unitPrice]) : unitPrice,
      clean: !badPrice && !noQuantity && !discontinued,
    };
  }

  private drawProduct(customer: Customer): Product {
    if (this.random.chance(customer.persona.premiumShare * customer.priceSensitivity.premiumFactor)) return this.random.pick(this.catalog.premium);
    if (this.random.chance(FAVOURITE_CATEGORY_SHARE)) return this.random.pick(this.catalog.inCategory(customer.favouriteCategory));
    return this.random.pick(this.catalog.products);
  }

  /** Writes a row, and when dirt of that kind is planted, its verbatim duplicate right after or further on. */
  private writeRow(file: LineWriter, fields: Field[], duplicate: DirtKind, customer: Customer): void {
    const line = csvLine(fields);
    file.write(line);
    if (!this.dirt.plant(duplicate, customer.index)) return;
    if (this.dirt.choose([true, false])) file.write(line);
    else file.repeatLater(line);
  }

  /**
   * Sometimes part of an order comes back: a separate, later order with status returned whose lines carry
   * negative quantities of products bought in the original order, at the price paid. Returns whether it did.
   */
  private writeReturn(customer: Customer, orderedAt: number, platform: Platform, lines: OrderLine[], behaviour: Behaviour): boolean {
    const returnable = lines.filter((line) => line.clean);
    if (returnable.length === 0 || !this.random.chance(behaviour.returnShare)) return false;
    const returnedAt = orderedAt + this.random.integer(1, 30) * DAY + this.random.integer(0, 600) * MINUTE;
    if (returnedAt >= this.window.end) return false;
    const id = orderId(++this.orders);
    this.files.orders.write(csvLine([id, exportedTimestamp(this.random, returnedAt), customer.memberId, 'returned', platform.id, '']));
    const givenBack = this.random.chance(SINGLE_PRODUCT_RETURN_SHARE) ? [this.random.pick(returnable)] : returnable;
    givenBack.forEach((line, position) => {
      const quantity = -this.random.integer(1, line.quantity);
      this.files.orderItems.write(csvLine([id, position + 1, line.productId, quantity, line.unitPrice]));
    });
    return true;
  }

  private writeReview(customer: Customer, orderedAt: number, lines: OrderLine[], returned: boolean, behaviour: Behaviour): void {
    const reviewable = lines.filter((line) => line.clean);
    if (reviewable.length === 0 || !this.random.chance(behaviour.reviewShare)) return;
    const reviewedAt = orderedAt + this.random.integer(2, 21) * DAY + this.random.integer(0, 600) * MINUTE;
    if (reviewedAt >= this.window.end) return;
    const rating = this.dirt.plant('invalidRating', customer.index)
      ? this.dirt.choose([0, 6])
      : this.random.weighted(returned ? RATING_AFTER_RETURN : behaviour.ratings);
    const reviewedAtText = this.dirt.plant('unparseableReviewDate', customer.index)
      ? this.dirt.choose(UNPARSEABLE_TIMESTAMPS)
      : exportedTimestamp(this.random, reviewedAt);
    const review = {
      review_id: reviewId(++this.reviews),
      member_id: customer.memberId,
      product_id: this.random.pick(reviewable).productId,
      rating,
      reviewed_at: reviewedAtText,
    };
    this.files.reviews.write(JSON.stringify(review));
  }

  /**
   * Visits that end in no order: at random times, about one cycle before the first order until the history ends,
   * at a steady rate while engaged that fades once the customer drifts away (a Poisson process, thinned).
   */
  private writeBrowsingVisits(customer: Customer, { cadenceDays, orderInstants, driftsFrom }: Lifetime): void {
    const meanWait = (cadenceDays / (BROWSING_VISITS_PER_ORDER * customer.priceSensitivity.visitFactor)) * DAY;
    const until = driftsFrom === undefined ? this.window.end : Math.min(this.window.end, lastVisitBefore(driftsFrom));
    for (let at = orderInstants[0]! - cadenceDays * DAY; ; ) {
      at += Math.round(-Math.log(1 - this.random.next()) * meanWait / 1000) * 1000;
      if (at >= until) return;
      if (this.random.chance(engagement(driftsFrom, at))) this.writeSession(customer, at);
    }
  }

  /** A GA session; a member counts as logged in only once they have signed up. */
  private writeSession(customer: Customer | null, startedAt: number, purchase = false): void {
    if (startedAt < this.window.start || startedAt >= this.window.end) return;
    const member = customer && startedAt >= customer.joinedAt ? customer.memberId : '';
    const bounced = !purchase && this.random.chance(BOUNCE_RATE);
    const pageviews = bounced ? 1 : this.random.integer(purchase ? 4 : 2, purchase ? 30 : 15);
    // GA measures a session up to its last hit, so a one-page visit lasts 0 seconds.
    const seconds = bounced ? 0 : pageviews * this.random.integer(15, 90);
    const trafficSource = this.random.weighted(TRAFFIC_SOURCE);
    if (member && !(this.firstVisit && this.firstVisit.at <= startedAt)) this.firstVisit = { at: startedAt, trafficSource };
    this.files.sessions.write(csvLine([sessionId(++this.sessions), member, utcTimestamp(startedAt), trafficSource, pageviews, seconds]));
  }
}

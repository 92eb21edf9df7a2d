import { promotionId } from './ids';
import type { Random } from '../lib/random';
import { DAY, seoulDate, type HistoryWindow } from './timestamps';

export interface Promotion {
  id: string;
  name: string;
  type: string;
  discountPct: number;
  /** First instant of starts_on and the instant after ends_on, Seoul time. */
  startsAt: number;
  endsBefore: number;
}

/** The seasonal events, and the member coupon open to every member on every day of the history. */
export interface PromotionCalendar {
  events: Promotion[];
  memberCoupon: Promotion;
}

const EVENT_COUNT = 10;
const MEMBER_COUPON_DISCOUNT_PCT = 10;

/** The event a Korean shop typically runs in each calendar month, January first. */
const THEME_OF_MONTH = [
  'New Year Sale', 'Seollal Gift Week', 'Spring Festa', 'Spring Festa', 'Family Month', 'Summer Kick-off',
  'Summer Clearance', 'Summer Clearance', 'Chuseok Gift Week', 'Autumn Festa', 'Black Friday', 'Year-end Sale',
];
const TYPES = ['coupon', 'seasonal', 'bundle', 'flash'];
const DISCOUNTS = [5, 10, 15, 20, 25, 30];

/** Ten events spread over the history, each running for three days to three weeks; then the member coupon. */
export function createPromotions(random: Random, window: HistoryWindow): PromotionCalendar {
  const events = Array.from({ length: EVENT_COUNT }, (_, index) => {
    const startsAt = window.start + Math.floor(((index + random.next()) / EVENT_COUNT) * window.days) * DAY;
    const endsBefore = startsAt + random.integer(3, 21) * DAY;
    const [year, month] = seoulDate(startsAt).split('-').map(Number) as [number, number];
    return {
      id: promotionId(index + 1),
      name: `${THEME_OF_MONTH[month - 1]} ${year}`,
      type: random.pick(TYPES),
      discountPct: random.pick(DISCOUNTS),
      startsAt,
      endsBefore,
    };
  });
  const memberCoupon = {
    id: promotionId(EVENT_COUNT + 1),
    name: 'Member Coupon',
    type: 'coupon',
    discountPct: MEMBER_COUPON_DISCOUNT_PCT,
    startsAt: window.start,
    endsBefore: window.end,
  };
  return { events, memberCoupon };
}

/** The event running at an instant, if any; the earlier one when two overlap. */
export function eventAt(events: readonly Promotion[], instant: number): Promotion | undefined {
  return events.find((promotion) => promotion.startsAt <= instant && instant < promotion.endsBefore);
}

export const startsOn = (promotion: Promotion) => seoulDate(promotion.startsAt);
export const endsOn = (promotion: Promotion) => seoulDate(promotion.endsBefore - DAY);

import type { Random, Weighted } from '../lib/random';
import { GAP_STRETCH } from './drift';
import { DAY, MINUTE, timeOfDay, type HistoryWindow } from './timestamps';

type Range = readonly [number, number];

/** A kind of customer. Their mix is what gives RFM scores, clusters and churn models something to find. */
export interface Persona {
  name: string;
  /** Typical days between orders while engaged; null for those who never buy. */
  cadenceDays: Range | null;
  /** When the first order falls, as a fraction of the history (0 its first day, 1 its last). */
  firstOrder: Range;
  /** Mean days from the first order to the disappointing one that starts the drift away (see drift.ts). */
  engagedDays: number;
  /** How many more orders a drifting customer still places. */
  fadingOrders: Range;
  /** Longest time between signing up and the first order, in days. */
  signUpLeadDays: number;
  /** Share of order lines taken from the premium products of the catalogue. */
  premiumShare: number;
  /** Share of these customers who are deal seekers (priceSensitivity.ts). */
  dealSeekerShare: number;
}

/** The kinds, each with its share of customers in percent. */
export const PERSONAS: Weighted<Persona>[] = [
  [{ name: 'loyal', cadenceDays: [20, 50], firstOrder: [0, 0.45], engagedDays: 1500, fadingOrders: [0, 2], signUpLeadDays: 365, premiumShare: 0.2, dealSeekerShare: 0.15 }, 15],
  [{ name: 'big spender', cadenceDays: [30, 70], firstOrder: [0, 0.6], engagedDays: 1000, fadingOrders: [0, 2], signUpLeadDays: 365, premiumShare: 0.75, dealSeekerShare: 0.05 }, 5],
  [{ name: 'regular', cadenceDays: [35, 120], firstOrder: [0, 0.8], engagedDays: 600, fadingOrders: [0, 2], signUpLeadDays: 180, premiumShare: 0.15, dealSeekerShare: 0.25 }, 43],
  // Disappointed by their first order: they never come back.
  [{ name: 'one-time', cadenceDays: [60, 180], firstOrder: [0, 1], engagedDays: 0, fadingOrders: [0, 0], signUpLeadDays: 60, premiumShare: 0.1, dealSeekerShare: 0.35 }, 16],
  [{ name: 'lapsed', cadenceDays: [25, 70], firstOrder: [0, 0.3], engagedDays: 150, fadingOrders: [0, 2], signUpLeadDays: 365, premiumShare: 0.15, dealSeekerShare: 0.25 }, 9],
  [{ name: 'new', cadenceDays: [20, 90], firstOrder: [0.93, 1], engagedDays: 450, fadingOrders: [0, 2], signUpLeadDays: 14, premiumShare: 0.1, dealSeekerShare: 0.25 }, 8],
  [{ name: 'window shopper', cadenceDays: null, firstOrder: [0, 1], engagedDays: 0, fadingOrders: [0, 0], signUpLeadDays: 0, premiumShare: 0, dealSeekerShare: 0 }, 4],
];

/** Many people sign up in the visit in which they first buy. */
const SIGN_UP_WHILE_BUYING = 0.35;
/** Spread (log scale) of a gap around the cadence: people keep a rhythm, loosely. */
const GAP_SPREAD = 0.5;
/** Gaps in which an engaged customer takes a break (busy, away, buying elsewhere for a while) and then comes back. */
const BREAK_SHARE = 0.06;
/** How many cadences a break lasts. */
const BREAK_CADENCES: Range = [2.5, 5];
/** Orders followed the same day by another, for something forgotten. */
const SAME_DAY_REORDER = 0.02;

/** One customer's life with the shop: when they signed up, when they ordered (sorted), when they began drifting. */
export interface Lifetime {
  persona: Persona;
  joinedAt: number;
  /** Typical days between orders while engaged; also sets how often they visit. */
  cadenceDays: number;
  orderInstants: number[];
  /** The disappointing order, for customers who began drifting away within the history. */
  driftsFrom: number | undefined;
}

export function drawLifetime(random: Random, window: HistoryWindow): Lifetime {
  const persona = random.weighted(PERSONAS);
  if (persona.cadenceDays === null) {
    // Never bought: signed up at any time, some before the history begins.
    const joinedDay = Math.floor(random.between([-0.2, 1]) * window.days);
    return { persona, joinedAt: window.start + joinedDay * DAY + timeOfDay(random), cadenceDays: 0, orderInstants: [], driftsFrom: undefined };
  }
  const cadenceDays = random.between(persona.cadenceDays);
  const { days, disappointing } = orderDays(random, persona, cadenceDays, Math.floor(random.between(persona.firstOrder) * window.days), window.days);
  const orderInstants = days.map((day) => window.start + day * DAY + timeOfDay(random));
  const driftsFrom = disappointing === undefined ? undefined : orderInstants[disappointing];
  // Same-day orders come in any order of time.
  orderInstants.sort((a, b) => a - b);

  const lead = random.chance(SIGN_UP_WHILE_BUYING)
    ? random.integer(3, 40) * MINUTE
    : random.integer(1, persona.signUpLeadDays) * DAY + random.integer(-720, 720) * MINUTE;
  return { persona, joinedAt: orderInstants[0]! - lead, cadenceDays, orderInstants, driftsFrom };
}

/**
 * The days (from the history's first) with an order, from the first on, while they fall in the history: gaps
 * of about the cadence until the disappointing order, longer and longer after it, until the last fading order.
 * Also the index of the disappointing order, if it falls in the history.
 */
function orderDays(random: Random, persona: Persona, cadenceDays: number, first: number, historyDays: number) {
  const driftDay = first - Math.log(1 - random.next()) * persona.engagedDays;
  const days: number[] = [];
  let disappointing: number | undefined;
  let stretch = 1;
  let fadingLeft = Infinity;
  for (let day = first; day < historyDays && fadingLeft >= 0; fadingLeft--) {
    const whole = Math.floor(day);
    days.push(whole);
    if (disappointing === undefined && day >= driftDay) {
      disappointing = days.length - 1;
      fadingLeft = random.integer(...persona.fadingOrders);
    }
    if (random.chance(SAME_DAY_REORDER)) days.push(whole);
    if (disappointing !== undefined) stretch *= GAP_STRETCH;
    const cadences = disappointing === undefined && random.chance(BREAK_SHARE) ? random.between(BREAK_CADENCES) : stretch;
    day += cadenceDays * cadences * random.logNormal(1, GAP_SPREAD);
  }
  return { days, disappointing };
}

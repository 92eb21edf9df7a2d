import type { Random, Weighted } from '../lib/random';
import { DAY, MINUTE, timeOfDay, type HistoryWindow } from './timestamps';

type Range = readonly [number, number];

/** A kind of customer. Their mix is what gives RFM scores, clusters and churn risk something to find. */
export interface Persona {
  name: string;
  /** How many orders the customer places over the history. */
  orders: Range;
  /** When the first and the last order fall, as fractions of the history (0 its first day, 1 its last). */
  firstOrder: Range;
  lastOrder: Range;
  /** Longest time between signing up and the first order, in days. */
  signUpLeadDays: number;
  /** Share of order lines taken from the premium products of the catalogue. */
  premiumShare: number;
}

/** The kinds, each with its share of customers in percent. */
export const PERSONAS: Weighted<Persona>[] = [
  [{ name: 'loyal', orders: [10, 30], firstOrder: [0, 0.4], lastOrder: [0.96, 1], signUpLeadDays: 365, premiumShare: 0.2 }, 12],
  [{ name: 'big spender', orders: [4, 12], firstOrder: [0, 0.6], lastOrder: [0.85, 1], signUpLeadDays: 365, premiumShare: 0.75 }, 4],
  [{ name: 'regular', orders: [2, 6], firstOrder: [0, 0.7], lastOrder: [0.6, 1], signUpLeadDays: 180, premiumShare: 0.15 }, 28],
  [{ name: 'one-time', orders: [1, 1], firstOrder: [0, 1], lastOrder: [0, 1], signUpLeadDays: 60, premiumShare: 0.1 }, 30],
  [{ name: 'lapsed', orders: [2, 8], firstOrder: [0, 0.25], lastOrder: [0.3, 0.65], signUpLeadDays: 365, premiumShare: 0.15 }, 14],
  [{ name: 'new', orders: [1, 2], firstOrder: [0.93, 1], lastOrder: [0.96, 1], signUpLeadDays: 14, premiumShare: 0.1 }, 8],
  [{ name: 'window shopper', orders: [0, 0], firstOrder: [0, 1], lastOrder: [0, 1], signUpLeadDays: 0, premiumShare: 0 }, 4],
];

/** Many people sign up in the visit in which they first buy. */
const SIGN_UP_WHILE_BUYING = 0.35;

/** One customer's life with the shop: when they signed up and when they ordered (sorted). */
export interface Lifetime {
  persona: Persona;
  joinedAt: number;
  orderInstants: number[];
}

export function drawLifetime(random: Random, window: HistoryWindow): Lifetime {
  const persona = random.weighted(PERSONAS);
  const orderCount = random.integer(...persona.orders);
  const dayWithin = (range: Range) => Math.min(window.days - 1, Math.floor(random.between(range) * window.days));
  const first = dayWithin(persona.firstOrder);
  const last = Math.max(first, dayWithin(persona.lastOrder));
  const orderInstants = orderDays(random, orderCount, first, last)
    .map((day) => window.start + day * DAY + timeOfDay(random))
    .sort((a, b) => a - b);

  const firstOrderAt = orderInstants[0];
  if (firstOrderAt === undefined) {
    // Never bought: signed up at any time, some before the history begins.
    const joinedDay = Math.floor(random.between([-0.2, 1]) * window.days);
    return { persona, joinedAt: window.start + joinedDay * DAY + timeOfDay(random), orderInstants };
  }
  const lead = random.chance(SIGN_UP_WHILE_BUYING)
    ? random.integer(3, 40) * MINUTE
    : random.integer(1, persona.signUpLeadDays) * DAY + random.integer(-720, 720) * MINUTE;
  return { persona, joinedAt: firstOrderAt - lead, orderInstants };
}

/** `count` days (from the history's first) with an order: the first and the last, the rest anywhere between. */
function orderDays(random: Random, count: number, first: number, last: number): number[] {
  if (count === 0) return [];
  if (count === 1) return [first];
  return [first, last, ...Array.from({ length: count - 2 }, () => random.integer(first, last))];
}

import type { Weighted } from '../lib/random';
import { DAY } from './timestamps';

/**
 * Churn as a process with warning signs, so churn models have something real to find. A customer keeps a
 * cadence until a disappointing order; from it on they drift away: each later gap is longer than the one
 * before, visits thin out, reviews turn sour and come more often, returns rise, promotions stop tempting
 * them, they call customer service more and leave it less satisfied, and after a few such orders (or none) they
 * buy no more. Customers who stay keep their cadence.
 */

/** Each gap after the disappointing order is this many times the one before (before the usual jitter). */
export const GAP_STRETCH = 1.8;

/** Visits fall by a factor e every this many days after the disappointing order. */
const VISIT_FADE_DAYS = 45;
/** Below this share of their engaged rate a drifting customer's visits are too rare to draw. */
const NEGLIGIBLE_ENGAGEMENT = 0.03;

/** How a customer shops: engaged, or drifting away. */
export interface Behaviour {
  /** Multiplies the customer's uptake of promotions (priceSensitivity.ts). */
  promotionAppeal: number;
  /** Of the completed orders, the share that something comes back from. */
  returnShare: number;
  /** Of the completed orders, the share reviewed. Unhappy customers speak up more. */
  reviewShare: number;
  ratings: Weighted<number>[];
  /** Of the orders (cancelled ones too), the share after which the customer contacts customer service. */
  serviceContactShare: number;
  /** Mean satisfaction score (1 to 5) of those contacts. */
  meanSatisfaction: number;
}

export const ENGAGED: Behaviour = {
  promotionAppeal: 1,
  returnShare: 0.03,
  reviewShare: 0.18,
  ratings: [[1, 3], [2, 5], [3, 13], [4, 33], [5, 46]],
  serviceContactShare: 0.06,
  meanSatisfaction: 4.2,
};

export const DRIFTING: Behaviour = {
  promotionAppeal: 0.4,
  returnShare: 0.1,
  reviewShare: 0.35,
  ratings: [[1, 18], [2, 24], [3, 30], [4, 18], [5, 10]],
  serviceContactShare: 0.3,
  meanSatisfaction: 2.7,
};

/** The customer's engagement at an instant, from 1 (engaged) towards 0, given when they began drifting, if ever. */
export function engagement(driftsFrom: number | undefined, instant: number): number {
  if (driftsFrom === undefined || instant < driftsFrom) return 1;
  return Math.exp(-(instant - driftsFrom) / (VISIT_FADE_DAYS * DAY));
}

/** The instant after which a customer who began drifting at driftsFrom no longer visits. */
export function lastVisitBefore(driftsFrom: number): number {
  return driftsFrom - Math.log(NEGLIGIBLE_ENGAGEMENT) * VISIT_FADE_DAYS * DAY;
}

/**
 * Price sensitivity as a trait, so a discount-sensitivity model has something real to find. Deal seekers use a
 * promotion on most orders (a seasonal event when one runs, else the standing member coupon), keep to everyday
 * products, so their orders are smaller, and visit more often to look for deals. Everyone else takes up a running
 * event half the time and seldom bothers with the coupon. How common deal seekers are depends on the persona
 * (personas.ts); a drifting customer is tempted less by either (drift.ts).
 */
export interface PriceSensitivity {
  /** Of the orders placed while a seasonal event runs, the share that use it (while engaged). */
  eventUptake: number;
  /** Of the other orders, the share that use the member coupon (while engaged). */
  couponUptake: number;
  /** Multiplies the persona's share of premium products. */
  premiumFactor: number;
  /** Multiplies the browsing visits per order. */
  visitFactor: number;
}

export const DEAL_SEEKER: PriceSensitivity = { eventUptake: 0.95, couponUptake: 0.85, premiumFactor: 0.2, visitFactor: 1.5 };

export const FULL_PRICE: PriceSensitivity = { eventUptake: 0.5, couponUptake: 0.03, premiumFactor: 1, visitFactor: 1 };

import type { Random } from '../lib/random';

/**
 * The kinds of dirt planted in the sample, each at a small rate per opportunity (a row, or for withdrawnMember
 * a customer who ordered), and each forced onto its first opportunity from customer `forcedFrom` on (for the
 * spend kinds: from row `forcedFrom` of the spend file) if chance has not planted it yet: any sample of 50
 * customers or more holds every kind.
 */
const DIRT = {
  /** The member deleted their account: orders name a member_id that members.csv lacks. */
  withdrawnMember: { rate: 0.005, forcedFrom: 2 },
  duplicateOrder: { rate: 0.005, forcedFrom: 5 },
  guestOrder: { rate: 0.005, forcedFrom: 8 },
  unparseableOrderDate: { rate: 0.004, forcedFrom: 11 },
  duplicateItem: { rate: 0.004, forcedFrom: 14 },
  nonPositivePrice: { rate: 0.004, forcedFrom: 17 },
  zeroQuantity: { rate: 0.003, forcedFrom: 20 },
  /** A product that has left the catalogue: order_items name a product_id that products.csv lacks. */
  discontinuedProduct: { rate: 0.004, forcedFrom: 23 },
  invalidRating: { rate: 0.008, forcedFrom: 26 },
  unparseableReviewDate: { rate: 0.005, forcedFrom: 29 },
  invalidSatisfaction: { rate: 0.01, forcedFrom: 4 },
  unparseableContactTime: { rate: 0.01, forcedFrom: 10 },
  duplicateContact: { rate: 0.01, forcedFrom: 16 },
  /** A refund booked as negative spend instead of a correction of the row it belongs to. */
  negativeSpend: { rate: 0.004, forcedFrom: 30 },
  /** A re-export of a row with another amount: the same date and channel twice. */
  duplicateSpend: { rate: 0.004, forcedFrom: 60 },
  missingChannel: { rate: 0.003, forcedFrom: 90 },
  unparseableSpendDate: { rate: 0.003, forcedFrom: 120 },
} as const;

export type DirtKind = keyof typeof DIRT;

export const UNPARSEABLE_TIMESTAMPS = ['2026-13-45 25:00', 'not a date', '0000-00-00 00:00:00', '31/02/2026 10:00'];
export const UNPARSEABLE_MONTHS = ['2026-13', 'Sept 2025', '2025/09', 'Q3 2025'];

/**
 * Decides where dirt goes. It draws from its own random stream, so that planting more or less dirt leaves
 * the customers' behaviour, and with it every clean row, unchanged.
 */
export class DirtPlan {
  private readonly planted = new Set<DirtKind>();

  constructor(private readonly random: Random) {}

  /** Whether this opportunity of customer `customerIndex` (from 0) gets dirt of this kind. */
  plant(kind: DirtKind, customerIndex: number): boolean {
    const owed = !this.planted.has(kind) && customerIndex >= DIRT[kind].forcedFrom;
    if (!owed && !this.random.chance(DIRT[kind].rate)) return false;
    this.planted.add(kind);
    return true;
  }

  /** One of several forms of a dirty value. */
  choose<T>(forms: readonly T[]): T {
    return this.random.pick(forms);
  }
}

import type { Random, Weighted } from '../lib/random';
import type { Behaviour } from './drift';
import { UNPARSEABLE_TIMESTAMPS, type DirtPlan } from './dirt';
import { contactId } from './ids';
import { csvLine, type LineWriter } from './lineWriter';
import { DAY, exportedTimestamp, MINUTE, type HistoryWindow } from './timestamps';

export const CONTACT_COLUMNS = ['contact_id', 'member_id', 'contacted_at', 'reason', 'satisfaction', 'resolution_hours', 'repeat_contact'];

/** Seed 003's reasons, with returns, which its shop had none of. */
const CONTACT_REASONS: Weighted<string>[] = [['shipping', 30], ['product', 25], ['billing', 20], ['return', 15], ['technical', 10]];
/** Seed 003: satisfaction ~ N(mean, 0.9) clipped to 1..5, resolution ~ 1 + Exp(8) hours, 20% repeat contacts. */
const SATISFACTION_DEVIATION = 0.9;
const MEAN_RESOLUTION_HOURS = 8;
const REPEAT_SHARE = 0.2;
const OUT_OF_RANGE_SATISFACTION = [0, 7, 10];

const oneDecimal = (value: number) => Math.round(value * 10) / 10;

/** Writes the customer-service contacts that follow orders: seed 003's customer_satisfaction, with dirt. */
export class ServiceDesk {
  private contacts = 0;

  constructor(
    private readonly random: Random,
    private readonly dirt: DirtPlan,
    private readonly file: LineWriter,
    private readonly window: HistoryWindow,
  ) {}

  /** Sometimes the member contacts customer service within ten days of an order; how it goes depends on their mood. */
  afterOrder(customerIndex: number, memberId: string, orderedAt: number, behaviour: Behaviour): void {
    if (!this.random.chance(behaviour.serviceContactShare)) return;
    const contactedAt = orderedAt + this.random.integer(0, 10) * DAY + this.random.integer(10, 600) * MINUTE;
    if (contactedAt >= this.window.end) return;
    const satisfaction = oneDecimal(Math.min(5, Math.max(1, this.random.normal(behaviour.meanSatisfaction, SATISFACTION_DEVIATION))));
    const fields = [
      contactId(++this.contacts),
      memberId,
      this.dirt.plant('unparseableContactTime', customerIndex)
        ? this.dirt.choose(UNPARSEABLE_TIMESTAMPS)
        : exportedTimestamp(this.random, contactedAt),
      this.random.weighted(CONTACT_REASONS),
      this.dirt.plant('invalidSatisfaction', customerIndex) ? this.dirt.choose(OUT_OF_RANGE_SATISFACTION) : satisfaction,
      oneDecimal(1 - Math.log(1 - this.random.next()) * MEAN_RESOLUTION_HOURS),
      this.random.chance(REPEAT_SHARE) ? 'true' : 'false',
    ];
    const line = csvLine(fields);
    this.file.write(line);
    // Two exports of the help desk overlapped: the same contact twice.
    if (this.dirt.plant('duplicateContact', customerIndex)) this.file.repeatLater(line);
  }
}

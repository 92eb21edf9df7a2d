/** Days in a discounting month. */
export const DAYS_PER_MONTH = 30;

/**
 * The present value of one unit of value spread evenly over `horizonDays`, discounted at `monthlyRate` per
 * 30-day month: month m (1, 2, ...) holds its share of the horizon (the last month may be partial) and is
 * discounted by (1 + rate)^m, as if its purchases were paid at its end. 1 when the rate is 0.
 */
export function monthlyDiscountFactor(horizonDays: number, monthlyRate: number): number {
  if (!(horizonDays > 0) || !(monthlyRate >= 0)) {
    throw new RangeError(`horizonDays ${horizonDays}, monthlyRate ${monthlyRate}: expected horizonDays > 0 and monthlyRate >= 0`);
  }
  let factor = 0;
  for (let month = 1; (month - 1) * DAYS_PER_MONTH < horizonDays; month++) {
    const days = Math.min(month * DAYS_PER_MONTH, horizonDays) - (month - 1) * DAYS_PER_MONTH;
    factor += days / horizonDays / (1 + monthlyRate) ** month;
  }
  return factor;
}

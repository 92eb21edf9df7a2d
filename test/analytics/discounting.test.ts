import { monthlyDiscountFactor } from '../../analytics/discounting';

test('no discount rate leaves predicted value whole', () => {
  expect(monthlyDiscountFactor(365, 0)).toBeCloseTo(1, 15);
});

test('each 30-day month holds its share of the horizon, discounted at its end', () => {
  // 60 days: two full months, half each.
  expect(monthlyDiscountFactor(60, 0.1)).toBeCloseTo(0.5 / 1.1 + 0.5 / 1.1 ** 2, 15);
  // 45 days: a full month (30/45) and half a month (15/45) discounted as the second.
  expect(monthlyDiscountFactor(45, 0.02)).toBeCloseTo(30 / 45 / 1.02 + 15 / 45 / 1.02 ** 2, 15);
  // 365 days: twelve months and 5 days of a thirteenth.
  let expected = 0;
  for (let month = 1; month <= 12; month++) expected += 30 / 365 / 1.01 ** month;
  expected += 5 / 365 / 1.01 ** 13;
  expect(monthlyDiscountFactor(365, 0.01)).toBeCloseTo(expected, 15);
});

test('a horizon that is not positive or a negative rate is refused', () => {
  expect(() => monthlyDiscountFactor(0, 0.01)).toThrow(RangeError);
  expect(() => monthlyDiscountFactor(365, -0.01)).toThrow(RangeError);
});

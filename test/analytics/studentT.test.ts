import { studentTCdf, studentTQuantile } from '../../analytics/studentT';

const expectRelativelyClose = (actual: number, expected: number, tolerance: number) =>
  expect(Math.abs(actual - expected) / Math.max(1, Math.abs(expected))).toBeLessThan(tolerance);

test('the 97.5% quantiles of the printed t table, to full precision', () => {
  // The two-sided 95% column of any t table (12.706, 4.303, 3.182, 2.571, 2.306, 2.228, 2.042, 1.984, 1.962),
  // here to the digits scipy.stats.t.ppf(0.975, df) gives.
  const table: [number, number][] = [
    [1, 12.706204736174694],
    [2, 4.302652729749462],
    [3, 3.1824463052837078],
    [5, 2.5705818356363146],
    [8, 2.306004135204166],
    [10, 2.228138851986274],
    [30, 2.0422724563012378],
    [100, 1.9839715185235518],
    [1000, 1.9623390808264083],
  ];
  for (const [degreesOfFreedom, quantile] of table) {
    expect([degreesOfFreedom, Number(studentTQuantile(0.975, degreesOfFreedom).toFixed(3))]).toEqual([degreesOfFreedom, Number(quantile.toFixed(3))]);
    expectRelativelyClose(studentTQuantile(0.975, degreesOfFreedom), quantile, 1e-12);
  }
});

test('closed forms for 1 and 2 degrees of freedom, in both tails and near the centre', () => {
  for (const p of [1e-9, 0.025, 0.3, 0.4999, 0.5001, 0.9, 0.995]) {
    // Cauchy: tan(π (p − ½)) = −1 / tan(π p); two degrees of freedom: (2p − 1) / √(2p(1 − p)).
    expectRelativelyClose(studentTQuantile(p, 1), -1 / Math.tan(Math.PI * p), 1e-12);
    expectRelativelyClose(studentTQuantile(p, 2), (2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 1e-12);
  }
  expect(studentTQuantile(0.5, 7)).toBe(0);
});

test('non-integer degrees of freedom (Welch): scipy values, symmetry, and the cdf returns the probability', () => {
  expectRelativelyClose(studentTQuantile(0.975, 2.5), 3.5746548420036817, 1e-12);
  expectRelativelyClose(studentTQuantile(0.975, 7.3), 2.345066736547703, 1e-12);
  expectRelativelyClose(studentTQuantile(0.995, 0.5), 4113.964588804174, 1e-12);
  expectRelativelyClose(studentTQuantile(0.975, 1e5), 1.9599877075346095, 1e-10);
  for (const degreesOfFreedom of [0.7, 3.4, 12.75, 58.2, 2500.5]) {
    for (const p of [0.001, 0.05, 0.7, 0.975]) {
      const t = studentTQuantile(p, degreesOfFreedom);
      expectRelativelyClose(-studentTQuantile(1 - p, degreesOfFreedom), t, 1e-12);
      expect(studentTCdf(t, degreesOfFreedom)).toBeCloseTo(p, 14);
    }
  }
  // More degrees of freedom, thinner tails: the quantile falls towards the normal's 1.959963984540054.
  const quantiles = [1, 4, 16, 64, 256, 4096].map((v) => studentTQuantile(0.975, v));
  expect(quantiles).toEqual([...quantiles].sort((a, b) => b - a));
  expect(quantiles.at(-1)! - 1.959963984540054).toBeGreaterThan(0);
  expect(quantiles.at(-1)! - 1.959963984540054).toBeLessThan(1e-3);
});

test('a probability outside (0, 1) or degrees of freedom that are not positive are refused', () => {
  expect(() => studentTQuantile(1, 5)).toThrow('probability must lie strictly between 0 and 1, got 1');
  expect(() => studentTQuantile(0.975, 0)).toThrow('degrees of freedom must be positive and finite, got 0');
  expect(() => studentTQuantile(0.975, Number.NaN)).toThrow(RangeError);
  expect(() => studentTCdf(1, Number.POSITIVE_INFINITY)).toThrow(RangeError);
});

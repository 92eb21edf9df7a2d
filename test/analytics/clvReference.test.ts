import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  bgNbdLogLikelihood,
  expectedPurchases,
  fitBgNbd,
  groupHistories,
  probabilityAlive,
  type BgNbdParameters,
} from '../../analytics/bgNbd';
import { expectedAverageSpend, fitGammaGamma, gammaGammaLogLikelihood, type GammaGammaParameters } from '../../analytics/gammaGamma';
import { digamma, hypergeometric2F1, lnGamma } from '../../analytics/specialFunctions';

/**
 * BG/NBD, Gamma-Gamma and their special functions against scipy and lifetimes: test/fixtures/reference/
 * clv_reference.json was written by make_clv_fixtures.py, whose fits maximize a likelihood written there
 * independently in numpy, and whose predictions are lifetimes' with those fitted parameters plugged in.
 */
interface Case {
  customers: { frequency: number[]; lastPurchaseAt: number[]; observedFor: number[]; meanSpend: number[] };
  bgNbd: {
    parameters: BgNbdParameters;
    logLikelihood: number;
    lifetimesStandardErrors: BgNbdParameters;
    probabilityAlive: number[];
    expectedPurchases: Record<string, number[]>;
  };
  gammaGamma: {
    parameters: GammaGammaParameters;
    logLikelihood: number;
    lifetimesStandardErrors: GammaGammaParameters;
    expectedAverageSpend: number[];
  };
}
interface Reference {
  specialFunctions: {
    lnGamma: { x: number; value: number }[];
    digamma: { x: number; value: number }[];
    hypergeometric2F1: { a: number; b: number; c: number; z: number; value: number }[];
  };
  cases: Record<string, Case>;
}
const reference = JSON.parse(
  readFileSync(path.join(__dirname, '..', 'fixtures', 'reference', 'clv_reference.json'), 'utf8'),
) as Reference;
const cases = Object.entries(reference.cases);

const relativeDifference = (ours: number, theirs: number) => Math.abs(ours - theirs) / Math.abs(theirs);
const worstRelativeDifference = (ours: Record<string, number>, theirs: Record<string, number>) =>
  Math.max(...Object.keys(theirs).map((name) => relativeDifference(ours[name]!, theirs[name]!)));

/** The repeat buyers of a case, as the Gamma-Gamma model takes them. */
function repeatSpendOf({ customers }: Case) {
  const repeat = customers.frequency.flatMap((x, i) => (x > 0 ? [i] : []));
  return {
    frequency: Float64Array.from(repeat, (i) => customers.frequency[i]!),
    meanSpend: Float64Array.from(repeat, (i) => customers.meanSpend[i]!),
  };
}

test('ln Γ and ψ match scipy.special gammaln and digamma to 1e-14, relative or absolute near their zeros', () => {
  for (const { x, value } of reference.specialFunctions.lnGamma) {
    expect(Math.abs(lnGamma(x) - value)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(value)));
  }
  for (const { x, value } of reference.specialFunctions.digamma) {
    expect(Math.abs(digamma(x) - value)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(value)));
  }
});

test('₂F₁ matches scipy.special.hyp2f1 to 1e-12 on the BG/NBD arguments, z up to 0.999', () => {
  const { hypergeometric2F1: values } = reference.specialFunctions;
  expect(Math.max(...values.map(({ z }) => z))).toBeGreaterThan(0.99);
  for (const { a, b, c, z, value } of values) expect(relativeDifference(hypergeometric2F1(a, b, c, z), value)).toBeLessThan(1e-12);
});

describe.each(cases)('%s customers', (_name, reference) => {
  const { customers } = reference;
  const histories = groupHistories(customers.frequency, customers.lastPurchaseAt, customers.observedFor);

  test('BG/NBD log-likelihood at the reference parameters equals the numpy one', () => {
    const ours = bgNbdLogLikelihood(reference.bgNbd.parameters, histories);
    expect(relativeDifference(ours, reference.bgNbd.logLikelihood)).toBeLessThan(1e-12);
  });

  test('BG/NBD fit converges to the scipy maximum: 1e-5 on each parameter, 1e-9 on the log-likelihood', () => {
    const fit = fitBgNbd(histories);
    expect(fit.converged).toBe(true);
    expect(worstRelativeDifference({ ...fit.parameters }, { ...reference.bgNbd.parameters })).toBeLessThan(1e-5);
    expect(relativeDifference(fit.logLikelihood, reference.bgNbd.logLikelihood)).toBeLessThan(1e-9);
    // lifetimes' standard errors come from a numerical Hessian at its own (1e-7) optimum.
    expect(worstRelativeDifference({ ...fit.standardErrors! }, { ...reference.bgNbd.lifetimesStandardErrors })).toBeLessThan(1e-4);
  });

  test("P(alive) and expected purchases match lifetimes' for every customer to 1e-9", () => {
    const parameters = reference.bgNbd.parameters;
    customers.frequency.forEach((x, i) => {
      const [tx, t] = [customers.lastPurchaseAt[i]!, customers.observedFor[i]!];
      expect(relativeDifference(probabilityAlive(parameters, x, tx, t), reference.bgNbd.probabilityAlive[i]!)).toBeLessThan(1e-9);
      for (const [horizon, expected] of Object.entries(reference.bgNbd.expectedPurchases)) {
        expect(relativeDifference(expectedPurchases(parameters, x, tx, t, Number(horizon)), expected[i]!)).toBeLessThan(1e-9);
      }
    });
  });

  test('Gamma-Gamma fit converges to the scipy maximum (1e-5 on each parameter) and its log-likelihood equals the numpy one', () => {
    const spend = repeatSpendOf(reference);
    expect(relativeDifference(gammaGammaLogLikelihood(reference.gammaGamma.parameters, spend), reference.gammaGamma.logLikelihood)).toBeLessThan(
      1e-12,
    );
    const fit = fitGammaGamma(spend);
    expect(fit.converged).toBe(true);
    expect(worstRelativeDifference({ ...fit.parameters }, { ...reference.gammaGamma.parameters })).toBeLessThan(1e-5);
    expect(relativeDifference(fit.logLikelihood, reference.gammaGamma.logLikelihood)).toBeLessThan(1e-9);
    expect(worstRelativeDifference({ ...fit.standardErrors! }, { ...reference.gammaGamma.lifetimesStandardErrors })).toBeLessThan(1e-3);
  });

  test("expected average spend matches lifetimes' for every repeat buyer to 1e-9", () => {
    const spend = repeatSpendOf(reference);
    spend.frequency.forEach((x, i) => {
      const ours = expectedAverageSpend(reference.gammaGamma.parameters, x, spend.meanSpend[i]!);
      expect(relativeDifference(ours, reference.gammaGamma.expectedAverageSpend[i]!)).toBeLessThan(1e-9);
    });
  });
});

test('the published CDNOW fits come out (Fader, Hardie & Lee 2005)', () => {
  const { customers } = reference.cases.cdnow!;
  const fit = fitBgNbd(groupHistories(customers.frequency, customers.lastPurchaseAt, customers.observedFor));
  expect(fit.parameters.r).toBeCloseTo(0.243, 3);
  expect(fit.parameters.alpha).toBeCloseTo(4.414, 3);
  expect(fit.parameters.a).toBeCloseTo(0.793, 3);
  expect(fit.parameters.b).toBeCloseTo(2.426, 3);
  expect(fit.logLikelihood).toBeCloseTo(-9582.4, 1);
  const spend = fitGammaGamma(repeatSpendOf(reference.cases.cdnow!));
  expect(spend.parameters.p).toBeCloseTo(6.25, 2);
  expect(spend.parameters.q).toBeCloseTo(3.74, 2);
  expect(spend.parameters.gamma).toBeCloseTo(15.44, 1);
});

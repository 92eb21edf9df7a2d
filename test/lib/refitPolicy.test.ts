import { refitDecision, TRAINED_ON_REQUEST, type RefitQuestion } from '../../lib/refitPolicy';

/** The refit policy every model shares (lib/refitPolicy.ts), on a churn model trained 2026-10-24 with hash abc. */
const stored = { version: '2026-10-24_abc', trainedAsOf: '2026-10-24', configHash: 'abc' };
const ask = (fields: Partial<RefitQuestion>): RefitQuestion => ({
  model: 'churn',
  runDate: '2026-10-30',
  configHash: 'abc',
  everyDays: 7,
  onRequest: false,
  ...fields,
});

test('without a stored model the run trains one', () => {
  expect(refitDecision(null, ask({}))).toEqual({ reason: 'no churn model trained as of 2026-10-30 or earlier', checkDrift: false });
});

test('a younger model of the same configuration is scored with, after a drift check', () => {
  expect(refitDecision(stored, ask({ runDate: '2026-10-30' }))).toEqual({ reason: null, checkDrift: true });
});

test('a model everyDays old or older is refitted, whatever its drift', () => {
  expect(refitDecision(stored, ask({ runDate: '2026-10-31' }))).toEqual({
    reason: '2026-10-24_abc is 7 days old (churn.refit.everyDays 7)',
    checkDrift: false,
  });
  expect(refitDecision(stored, ask({ runDate: '2026-10-25', everyDays: 1 })).reason).toBe('2026-10-24_abc is 1 days old (churn.refit.everyDays 1)');
});

test('a configuration change refits at once', () => {
  expect(refitDecision(stored, ask({ configHash: 'def' }))).toEqual({
    reason: 'the churn configuration or its features changed since 2026-10-24_abc',
    checkDrift: false,
  });
});

test('a request trains whatever the age, unless the version of that very date and configuration exists', () => {
  expect(refitDecision(stored, ask({ onRequest: true }))).toEqual({ reason: TRAINED_ON_REQUEST, checkDrift: false });
  expect(refitDecision(stored, ask({ runDate: '2026-10-24', onRequest: true }))).toEqual({ reason: null, checkDrift: false });
});

test('the version trained as of the run date itself is final: no drift check, so a rerun publishes the same', () => {
  expect(refitDecision(stored, ask({ runDate: '2026-10-24', everyDays: 1 }))).toEqual({ reason: null, checkDrift: false });
  // The same date under another configuration is not that version.
  expect(refitDecision(stored, ask({ runDate: '2026-10-24', configHash: 'def' })).reason).toMatch(/configuration or its features changed/);
});

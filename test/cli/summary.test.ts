import { campaignResultLines } from '../../cli/summary';
import type { CampaignResultSummary } from '../../schemas/run';

const vip: CampaignResultSummary = {
  campaign: 'vip', targetDate: '2024-06-01', daysObserved: 30, windowDays: 30, treatmentCustomers: 5, controlCustomers: 5,
  treatmentConversion: 0.6, controlConversion: 0.4, conversionUplift: 0.2, conversionUpliftLow: -0.407272629703197, conversionUpliftHigh: 0.807272629703197,
};

test("each campaign's latest result in one line: conversion of each group, the uplift in points and its interval", () => {
  const interim = { ...vip, campaign: 'win_back', targetDate: '2024-07-10', daysObserved: 5, treatmentConversion: 1, controlConversion: 0,
    treatmentCustomers: 1, controlCustomers: 1, conversionUplift: 1, conversionUpliftLow: null, conversionUpliftHigh: null };
  const noControl = { ...vip, campaign: 'welcome', controlCustomers: 0, controlConversion: null, conversionUplift: null, conversionUpliftLow: null, conversionUpliftHigh: null };
  expect(campaignResultLines([vip, interim, noControl]).split('\n')).toEqual([
    'Campaign results (bought in the window: treatment vs control; table campaign_results):',
    '  vip       targets of 2024-06-01  30 days                60.0% of 5 vs 40.0% of 5  uplift +20.0 points (95% CI -40.7 to +80.7)',
    '  win_back  targets of 2024-07-10  day 5 of 30 (interim)  100.0% of 1 vs 0.0% of 1  uplift +100.0 points (no interval: too few customers or buyers)',
    '  welcome   targets of 2024-06-01  30 days                60.0% of 5 vs - of 0      no control group to compare with',
  ]);
});

test('before any earlier snapshot there is nothing to measure, and the summary says so', () => {
  expect(campaignResultLines([])).toBe('Campaign results: none yet; they measure the targets of earlier published dates.');
});

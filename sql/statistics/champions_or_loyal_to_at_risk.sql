-- champions_or_loyal_to_at_risk (the manifest's statistics.segmentTransitions.championsOrLoyalToAtRisk): the
-- customers who moved from Champions or Loyal Customers to At Risk since the previous published date, the usual
-- win-back trigger. Reads: segment_moves.
SELECT count(*) AS champions_or_loyal_to_at_risk
FROM segment_moves
WHERE previous_segment IN ('Champions', 'Loyal Customers') AND segment = 'At Risk'

-- campaign_plan: one row per segment with a campaign and loyalty class (rfm_class): the campaign's content,
-- its seed 000 priority, and how many customers it reaches, holds out and is expected to earn.
-- Reads: campaign_decisions, campaigns.
SELECT
  decisions.segment,
  decisions.rfm_class AS loyalty_class,
  campaigns.campaign,
  campaigns.message,
  campaigns.channels,
  campaigns.cadence,
  CAST(campaigns.discount_pct AS DOUBLE) AS discount_pct,
  campaigns.recommendation AS recommendation_type,
  CAST(campaigns.expected_response_rate AS DOUBLE) AS expected_response_rate,
  any_value(decisions.priority) AS priority,
  CAST(count(*) AS INTEGER) AS eligible,
  CAST(count(*) FILTER (WHERE decisions.suppression_reason IS NOT NULL) AS INTEGER) AS suppressed,
  CAST(count(*) FILTER (WHERE decisions.assignment = 'treatment') AS INTEGER) AS treatment,
  CAST(count(*) FILTER (WHERE decisions.assignment = 'control') AS INTEGER) AS control,
  -- Expected revenue of the treatment: response rate x predicted lifetime value, summed where it is known.
  money_sum(CASE WHEN decisions.assignment = 'treatment' THEN decisions.expected_value END) AS expected_revenue
FROM campaign_decisions AS decisions
JOIN campaigns USING (segment)
GROUP BY ALL
ORDER BY priority DESC, decisions.segment, loyalty_class

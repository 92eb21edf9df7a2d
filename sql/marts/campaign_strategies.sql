-- campaign_strategies: one row per segment: its campaign, how many customers it holds and reaches, and value.
-- Reads: rfm, campaigns, campaign_targets.
SELECT
  rfm.segment,
  campaigns.campaign,
  campaigns.channel,
  campaigns.discount_pct,
  campaigns.priority,
  count(*) AS customers,
  count(campaign_targets.member_id) AS targeted,
  money_avg(rfm.monetary) AS avg_monetary,
  money_sum(rfm.monetary) AS revenue
FROM rfm
LEFT JOIN campaigns USING (segment)
LEFT JOIN campaign_targets USING (member_id)
GROUP BY ALL
ORDER BY campaigns.priority DESC NULLS LAST, rfm.segment

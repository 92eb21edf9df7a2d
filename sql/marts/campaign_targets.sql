-- campaign_targets: the customers each segment's campaign should reach, most valuable first.
-- Members who opted out of marketing (marketing_opt_in = false) are left out; unknown consent is kept.
-- Reads: rfm, churn_features, customers, campaigns.
SELECT
  rfm.member_id,
  rfm.segment,
  campaigns.campaign,
  campaigns.channel,
  campaigns.discount_pct,
  campaigns.priority,
  rfm.monetary,
  churn_features.churn_risk,
  churn_features.churn_probability,
  row_number() OVER (ORDER BY campaigns.priority DESC, rfm.monetary DESC, rfm.member_id) AS send_order
FROM rfm
JOIN campaigns USING (segment)
JOIN customers USING (member_id)
LEFT JOIN churn_features USING (member_id)
WHERE customers.marketing_opt_in IS DISTINCT FROM false
ORDER BY send_order

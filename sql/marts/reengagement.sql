-- reengagement: customers at risk of leaving, most value at risk first, with seed 001's churn-prevention
-- offer: a personalized email and SMS campaign with a discount coupon (none when they bought recently).
-- At risk: churn probability at or above churn.campaignCutoff, or a segment of lapsing customers.
-- Reads: rfm, clv, churn_features.
-- Variables: churn_cutoff, reengagement_campaign, reengagement_discount_pct, no_discount_within_days.
WITH at_risk AS (
  SELECT
    rfm.member_id, rfm.segment, rfm.rfm_class AS loyalty_class, rfm.monetary, rfm.recency_days,
    churn_features.churn_probability, clv.predicted_clv,
    churn_features.churn_probability * clv.predicted_clv AS value_at_risk,
    churn_features.churn_probability >= getvariable('churn_cutoff') AS high_churn_probability,
    getvariable('no_discount_within_days') > 0
      AND rfm.recency_days < getvariable('no_discount_within_days') AS bought_recently
  FROM rfm
  LEFT JOIN clv USING (member_id)
  LEFT JOIN churn_features USING (member_id)
  WHERE churn_features.churn_probability >= getvariable('churn_cutoff')
     OR rfm.segment IN ('At Risk', 'Cannot Lose Them', 'About to Sleep')
)
SELECT
  -- Value at risk where churn probability and lifetime value exist; past them, the money spent so far.
  CAST(row_number() OVER (ORDER BY value_at_risk DESC NULLS LAST, monetary DESC, member_id) AS INTEGER) AS rank,
  member_id, segment, loyalty_class, churn_probability, predicted_clv, value_at_risk, monetary, recency_days,
  CASE WHEN high_churn_probability THEN 'churn_probability' ELSE 'segment' END AS at_risk_by,
  getvariable('reengagement_campaign') AS proposed_campaign,
  'email+sms' AS channel,
  CASE WHEN bought_recently THEN 0.0 ELSE CAST(getvariable('reengagement_discount_pct') AS DOUBLE) END AS discount_pct
FROM at_risk
ORDER BY rank

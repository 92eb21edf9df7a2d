-- target_women_2030: seed 001's campaign audience, the women aged 20 to 39 as of the run date, with what they
-- prefer and the campaign that reaches them today (campaign and assignment NULL when none does).
-- Reads: customers, rfm, campaign_targets.
SELECT
  customers.member_id,
  customers.age,
  customers.age_band,
  customers.region,
  customers.marketing_opt_in,
  customers.orders_count,
  customers.revenue,
  customers.recency_days,
  rfm.segment,
  customers.preferred_categories,
  customers.preferred_platform,
  campaign_targets.campaign,
  campaign_targets.assignment
FROM customers
LEFT JOIN rfm USING (member_id)
LEFT JOIN campaign_targets USING (member_id)
WHERE customers.gender = 'female' AND customers.age BETWEEN 20 AND 39
ORDER BY customers.member_id

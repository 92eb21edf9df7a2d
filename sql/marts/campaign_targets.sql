-- campaign_targets: at most one row per customer: the campaign reaching them, in treatment or control.
-- Control customers (a stable hash of member id, campaign and salt; or the global control group, held out of
-- every campaign) are listed so that later orders can be compared with treatment; they are not contacted, so
-- they have no send_order and come after the treatment, by member id.
-- Reads: campaign_decisions.
SELECT
  member_id, segment, cluster, rfm_class AS loyalty_class, campaign, channel, discount_pct, priority,
  expected_value, churn_probability, reason_codes, assignment,
  CASE WHEN assignment = 'treatment'
       THEN CAST(row_number() OVER (PARTITION BY assignment
                                    ORDER BY priority DESC, expected_value DESC NULLS LAST, monetary DESC, member_id) AS INTEGER)
  END AS send_order
FROM campaign_decisions
WHERE suppression_reason IS NULL
ORDER BY send_order NULLS LAST, member_id

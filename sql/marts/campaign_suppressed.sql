-- campaign_suppressed: customers their segment's campaign would reach but who are not targeted, and why
-- (the first reason that holds: consent_not_given, consent_unknown, cooldown, no_channel).
-- Reads: campaign_decisions.
SELECT member_id, segment, rfm_class AS loyalty_class, campaign, suppression_reason AS reason, last_contacted_on
FROM campaign_decisions
WHERE suppression_reason IS NOT NULL
ORDER BY member_id

-- campaign_decisions: every scored customer whose segment has a campaign, with the decision about them:
-- suppressed and why, or targeted in treatment or control, with channels, discount and reason codes.
-- campaign_targets, campaign_suppressed and campaign_plan are cuts of this one staged table, so they agree.
-- Reads: rfm, customers, clusters, clv, churn_features, discount_levels, campaigns, app_users, previous_targets.
-- Variables: run_date, global_control_share, salt, unknown_consent_given, no_discount_within_days, churn_cutoff.
WITH segment_sizes AS (
  SELECT segment, count(*) AS segment_customers FROM rfm GROUP BY segment
),
-- A number in [0, 1) from the first 32 bits of an md5: the same on every day and every DuckDB version.
draws AS (
  SELECT rfm.member_id,
         CAST(('0x' || md5(rfm.member_id || '|' || getvariable('salt'))[1:8]) AS UBIGINT) / 4294967296.0 AS global_draw,
         CAST(('0x' || md5(rfm.member_id || '|' || campaigns.campaign || '|' || getvariable('salt'))[1:8]) AS UBIGINT)
           / 4294967296.0 AS campaign_draw
  FROM rfm JOIN campaigns USING (segment)
),
last_contacts AS (
  -- Treatment was contacted; control was held out on the day it would have been. Both wait out the cooldown, so
  -- that each date's treatment and control are drawn from the same eligible customers: campaign_results compares
  -- them. Were control exempt, it would be every control customer of the segment each day, and treatment only
  -- those whose cooldown had ended.
  SELECT member_id, campaign, max(run_date) AS last_contacted_on FROM previous_targets GROUP BY ALL
),
customer_campaigns AS (
  SELECT
    rfm.member_id, rfm.segment, rfm.rfm_class, rfm.monetary, clusters.cluster,
    campaigns.campaign,
    -- Configuration numbers arrive as VALUES literals (DECIMAL when fractional); money and shares are DOUBLE.
    CAST(campaigns.discount_pct AS DOUBLE) AS campaign_discount_pct,
    CAST(campaigns.expected_response_rate AS DOUBLE) AS expected_response_rate,
    CAST(campaigns.control_share AS DOUBLE) AS control_share, campaigns.cooldown_days,
    -- Seed 000's priority: the segment's weight scaled by its size, up to three times for 2000 customers or more.
    CAST(floor(campaigns.priority * (1 + least(segment_sizes.segment_customers / 1000, 2))) AS INTEGER) AS priority,
    coalesce(customers.marketing_opt_in, CASE WHEN getvariable('unknown_consent_given') THEN true END) AS consent,
    customers.marketing_opt_in IS NULL AS consent_unknown,
    last_contacts.last_contacted_on,
    -- Email and SMS reach every member; push needs the app, so only customers who ordered through it.
    list_filter(string_split(campaigns.channels, '+'),
                c -> c <> 'push' OR app_users.member_id IS NOT NULL) AS available_channels,
    getvariable('no_discount_within_days') > 0
      AND rfm.recency_days < getvariable('no_discount_within_days') AS bought_recently,
    clv.predicted_clv,
    churn_features.churn_probability,
    -- The segment's discount level (discount_levels); NULL when the discount-sensitivity model was unavailable.
    discount_levels.discount_level,
    discount_levels.recommended_discount_pct,
    draws.global_draw < getvariable('global_control_share') AS in_global_control,
    draws.campaign_draw < campaigns.control_share AS in_campaign_control
  FROM rfm
  JOIN campaigns USING (segment)
  JOIN segment_sizes USING (segment)
  JOIN draws USING (member_id)
  LEFT JOIN customers USING (member_id)
  LEFT JOIN clusters USING (member_id)
  LEFT JOIN clv USING (member_id)
  LEFT JOIN churn_features USING (member_id)
  LEFT JOIN discount_levels ON discount_levels.segment = rfm.segment
  LEFT JOIN (SELECT DISTINCT member_id FROM app_users) AS app_users USING (member_id)
  LEFT JOIN last_contacts ON last_contacts.member_id = rfm.member_id AND last_contacts.campaign = campaigns.campaign
),
decided AS (
  SELECT *,
    CASE
      WHEN consent IS NULL THEN 'consent_unknown'
      WHEN NOT consent THEN 'consent_not_given'
      WHEN last_contacted_on > getvariable('run_date') - cooldown_days THEN 'cooldown'
      WHEN len(available_channels) = 0 THEN 'no_channel'
    END AS suppression_reason,
    CASE WHEN bought_recently THEN 0.0 ELSE coalesce(recommended_discount_pct, campaign_discount_pct) END AS discount_pct
  FROM customer_campaigns
)
SELECT
  member_id, segment, rfm_class, cluster, campaign,
  array_to_string(available_channels, '+') AS channel,
  discount_pct, priority, expected_response_rate,
  expected_response_rate * predicted_clv AS expected_value,
  predicted_clv, churn_probability, monetary,
  suppression_reason,
  last_contacted_on,
  CASE WHEN suppression_reason IS NOT NULL THEN NULL
       WHEN in_global_control OR in_campaign_control THEN 'control' ELSE 'treatment' END AS assignment,
  -- Why this customer, this campaign, this discount, this group.
  list_filter([
    'segment:' || segment,
    'loyalty_class:' || rfm_class,
    CASE WHEN churn_probability >= getvariable('churn_cutoff') THEN 'churn_risk:high' END,
    'campaign_of_segment:' || campaign,
    CASE WHEN bought_recently THEN 'discount:none_bought_within_' || getvariable('no_discount_within_days') || '_days'
         WHEN discount_level IS NOT NULL THEN 'discount:' || discount_level || '_sensitivity'
         WHEN campaign_discount_pct = 0 THEN 'discount:none_for_campaign'
         ELSE format('discount:campaign_{:g}_pct', campaign_discount_pct) END,
    CASE WHEN suppression_reason IS NOT NULL THEN NULL
         WHEN in_global_control THEN 'control:global'
         WHEN in_campaign_control THEN format('control:campaign_{:g}_pct', control_share * 100) END
  ], code -> code IS NOT NULL) AS reason_codes
FROM decided

-- customers: one row per member (without a members file: per ordering customer), the integrated and cleaned
-- customer view with its features. A feature whose source is missing is NULL, not zero.
-- Gender and age are defined here once, for every table that profiles or targets customers by them.
-- Reads: order_lines, members, reviews, ga_sessions, products, platforms; gender_values (genderValues: a
-- lower-case value of members.gender and the gender it means); ga_mediums (channels.gaMediums: a GA medium and
-- the acquisition channel it means, both lower-case; may be empty).
-- Variables: run_date, has_members, has_reviews, has_ga_sessions, has_products, has_platforms.
--
-- acquisition_channel: members.acquisition_channel where the member has one, else the channel of the member's
-- first GA session with a traffic source known by the run date (earliest session_start, ties to the smaller
-- session_id): the medium of its 'source / medium' (the whole text without a '/') through ga_mediums, or the
-- medium itself where ga_mediums does not list it. acquisition_channel_source says which was used.
WITH orders AS (
  SELECT order_id, member_id,
         any_value(ordered_at) AS ordered_at, any_value(order_date) AS order_date,
         any_value(platform_id) AS platform_id, any_value(promotion_id) AS promotion_id,
         bool_or(is_purchase) AS is_purchase
  FROM order_lines
  GROUP BY order_id, member_id
),
purchase_stats AS (
  SELECT member_id,
         count(*) AS orders_count,
         min(ordered_at) AS first_order_at,
         max(ordered_at) AS last_order_at,
         max(order_date) AS last_order_date,
         min(order_date) AS first_order_date,
         count(promotion_id) / count(*) AS promo_order_share
  FROM orders WHERE is_purchase
  GROUP BY member_id
),
line_stats AS (
  SELECT member_id,
         count(*) FILTER (WHERE is_purchase) AS order_lines_count,
         coalesce(money_sum(CASE WHEN net_amount > 0 THEN net_amount END), 0) AS gross_revenue,
         coalesce(-money_sum(CASE WHEN net_amount < 0 THEN net_amount END), 0) AS returned_amount,
         money_sum(net_amount) AS net_revenue,
         money_sum(revenue) AS revenue,
         count(DISTINCT product_id) FILTER (WHERE is_purchase) AS distinct_products
  FROM order_lines
  GROUP BY member_id
),
-- Most-used platform; ties go to the smaller id so reruns agree.
platform_choice AS (
  SELECT member_id, arg_min(platform_id, (-orders, platform_id)) AS preferred_platform_id
  FROM (SELECT member_id, platform_id, count(*) AS orders FROM orders
        WHERE is_purchase AND platform_id IS NOT NULL GROUP BY ALL)
  GROUP BY member_id
),
-- The three categories most spent on, ties to the smaller name; the first is the favourite. Ranked by a window
-- and gathered by rank: list(category ORDER BY spend) sorts inside each of a million groups, the table's largest
-- cost at a million customers, and arg_min's top 3 cannot spill and runs out of memory there.
category_choice AS (
  SELECT member_id,
         list_filter([max(category) FILTER (WHERE rank = 1), max(category) FILTER (WHERE rank = 2),
                      max(category) FILTER (WHERE rank = 3)], category -> category IS NOT NULL) AS preferred_categories
  FROM (SELECT member_id, category, row_number() OVER (PARTITION BY member_id ORDER BY spend DESC, category) AS rank
        FROM (SELECT lines.member_id, products.category, money_sum(lines.revenue) AS spend
              FROM order_lines AS lines JOIN products USING (product_id)
              WHERE lines.is_purchase AND products.category IS NOT NULL GROUP BY ALL)
        QUALIFY rank <= 3)
  GROUP BY member_id
),
review_stats AS (
  SELECT member_id, count(*) AS review_count, avg(rating) AS avg_rating FROM reviews GROUP BY member_id
),
session_stats AS (
  SELECT member_id,
         -- From the start of business day run_date - 29: the same as a business date after run_date - 30, without
         -- converting every session's instant to a date.
         count(*) FILTER (WHERE session_start >= CAST(getvariable('run_date') - 29 AS TIMESTAMPTZ)) AS ga_sessions_30d,
         count(*) AS ga_sessions_total
  FROM ga_sessions WHERE member_id IS NOT NULL
  GROUP BY member_id
),
first_session_channels AS (
  SELECT member_id, coalesce(ga_mediums.channel, medium) AS channel
  FROM (SELECT member_id,
               lower(trim(CASE WHEN contains(traffic_source, '/') THEN regexp_extract(traffic_source, '/([^/]*)$', 1)
                               ELSE traffic_source END)) AS medium
        FROM (SELECT member_id, arg_min(traffic_source, (session_start, session_id)) AS traffic_source
              FROM ga_sessions WHERE member_id IS NOT NULL AND traffic_source IS NOT NULL GROUP BY member_id))
  LEFT JOIN ga_mediums USING (medium)
  WHERE medium <> ''
),
people AS (
  -- A birth year after the run date's year is not yet possible: no birth year, no age on that date.
  SELECT member_id, joined_at, CASE WHEN birth_year <= year(getvariable('run_date')) THEN birth_year END AS birth_year,
         gender_values.gender, region, marketing_opt_in, acquisition_channel
  FROM members
  LEFT JOIN gender_values ON gender_values.value = lower(members.gender)
  WHERE getvariable('has_members')
  UNION ALL
  SELECT DISTINCT member_id, NULL, NULL, NULL, NULL, NULL, NULL FROM order_lines
  WHERE NOT getvariable('has_members')
)
SELECT
  people.member_id,
  people.joined_at,
  date_diff('day', CAST(people.joined_at AS DATE), getvariable('run_date')) AS tenure_days,
  people.birth_year,
  -- Members give a birth year, not a birth date: the age is the one reached in the run date's year.
  year(getvariable('run_date')) - people.birth_year AS age,
  -- Seed 001's bands (10대, 20대, 30대, 40대, 50대 이상); 10s holds every age under 20.
  CASE WHEN age IS NULL THEN 'unknown'
       WHEN age < 20 THEN '10s'
       WHEN age >= 50 THEN '50+'
       ELSE CAST(age // 10 * 10 AS VARCHAR) || 's' END AS age_band,
  coalesce(people.gender, 'unknown') AS gender,
  people.region,
  people.marketing_opt_in,
  coalesce(people.acquisition_channel, first_session_channels.channel) AS acquisition_channel,
  CASE WHEN people.acquisition_channel IS NOT NULL THEN 'members'
       WHEN first_session_channels.channel IS NOT NULL THEN 'first_ga_session' END AS acquisition_channel_source,
  coalesce(purchase_stats.orders_count, 0) AS orders_count,
  coalesce(line_stats.order_lines_count, 0) AS order_lines_count,
  purchase_stats.first_order_at,
  purchase_stats.last_order_at,
  date_diff('day', purchase_stats.last_order_date, getvariable('run_date')) AS recency_days,
  date_diff('day', purchase_stats.first_order_date, getvariable('run_date')) AS days_since_first_order,
  coalesce(line_stats.gross_revenue, 0) AS gross_revenue,
  coalesce(line_stats.returned_amount, 0) AS returned_amount,
  coalesce(line_stats.net_revenue, 0) AS net_revenue,
  -- The revenue that RFM, lifetime value and every later table count: net_revenue or gross_revenue, by
  -- revenue.definition (see order_lines).
  coalesce(line_stats.revenue, 0) AS revenue,
  line_stats.revenue / purchase_stats.orders_count AS avg_order_value,
  coalesce(line_stats.distinct_products, 0) AS distinct_products,
  category_choice.preferred_categories[1] AS favorite_category,
  category_choice.preferred_categories,
  purchase_stats.promo_order_share,
  CASE WHEN getvariable('has_platforms') THEN platforms.platform_name ELSE platform_choice.preferred_platform_id END AS preferred_platform,
  CASE WHEN getvariable('has_reviews') THEN coalesce(review_stats.review_count, 0) END AS review_count,
  review_stats.avg_rating,
  CASE WHEN getvariable('has_ga_sessions') THEN coalesce(session_stats.ga_sessions_30d, 0) END AS ga_sessions_30d
FROM people
LEFT JOIN purchase_stats USING (member_id)
LEFT JOIN line_stats USING (member_id)
LEFT JOIN platform_choice USING (member_id)
LEFT JOIN platforms ON platforms.platform_id = platform_choice.preferred_platform_id
LEFT JOIN category_choice USING (member_id)
LEFT JOIN review_stats USING (member_id)
LEFT JOIN session_stats USING (member_id)
LEFT JOIN first_session_channels USING (member_id)
ORDER BY people.member_id

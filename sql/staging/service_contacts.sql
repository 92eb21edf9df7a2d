-- service_contacts: one row per customer-service contact, typed, with its first problem. Required: the member
-- and the contact time; a satisfaction outside 1 to 5, a negative or unreadable resolution time and an
-- unreadable repeat flag become NULL with a warning. Known from contacted_at, and never before the member joined.
-- Reads: raw, known_members, quarantined_members (member_problem). Variables: timestamp_format, has_members.
WITH typed AS (
  SELECT
    raw.*,
    coalesce(blank_to_null(raw.contact_id), row_ref(raw._row_number)) AS contact_id_value,
    blank_to_null(raw.member_id) AS member_id_value,
    plausible_instant(raw.contacted_at, getvariable('timestamp_format')) AS contacted_at_value,
    CASE WHEN parse_number(raw.satisfaction) BETWEEN 1 AND 5 THEN parse_number(raw.satisfaction) END AS satisfaction_value,
    CASE WHEN parse_number(raw.resolution_hours) >= 0 THEN parse_number(raw.resolution_hours) END AS resolution_hours_value,
    parse_flag(raw.repeat_contact) AS repeat_contact_value
  FROM raw
)
SELECT
  contact_id_value AS contact_id,
  member_id_value AS member_id,
  contacted_at_value AS contacted_at,
  blank_to_null(reason) AS reason,
  satisfaction_value AS satisfaction,
  resolution_hours_value AS resolution_hours,
  repeat_contact_value AS repeat_contact,
  _row_number,
  _content_hash,
  _content_check,
  contact_id_value AS _record_key,
  contacted_at_value AS _event_at,
  coalesce(
    quote_in_id(contact_id_value, 'contact_id'),
    CASE WHEN member_id_value IS NULL THEN problem('missing_member', 'member_id', 'member_id is empty') END,
    quote_in_id(member_id_value, 'member_id'),
    CASE WHEN contacted_at_value IS NULL
         THEN coalesce(instant_problem(typed.contacted_at, getvariable('timestamp_format'), 'contacted_at'),
                       problem('unparseable_timestamp', 'contacted_at', unreadable(typed.contacted_at, 'a timestamp'))) END,
    member_problem(member_id_value)
  ) AS _problem,
  warnings([
    CASE WHEN blank_to_null(typed.satisfaction) IS NOT NULL AND satisfaction_value IS NULL
         THEN problem('invalid_value', 'satisfaction', 'satisfaction ''' || trim(typed.satisfaction) || ''' is not a score from 1 to 5') END,
    negative_or_unreadable(typed.resolution_hours, resolution_hours_value, 'resolution_hours', 'a number'),
    CASE WHEN blank_to_null(typed.repeat_contact) IS NOT NULL AND repeat_contact_value IS NULL
         THEN problem('invalid_value', 'repeat_contact', unreadable(typed.repeat_contact, 'true/false, yes/no or 1/0')) END
  ]) AS _warnings
FROM typed

-- Parsing helpers shared by the staging models. Every value arrives as text (see activities/ingest.ts);
-- a helper returns NULL when the text cannot be read, and the model turns that into a quarantine reason.

-- Empty or blank text is a missing value.
CREATE OR REPLACE MACRO blank_to_null(value) AS nullif(trim(value), '');

-- ISO 8601 with or without a UTC offset (no offset = the session's business time zone), or the source's
-- strptime format when the configuration gives one.
CREATE OR REPLACE MACRO parse_instant(value, format) AS
  CASE WHEN format IS NULL THEN TRY_CAST(blank_to_null(value) AS TIMESTAMPTZ)
       ELSE CAST(try_strptime(blank_to_null(value), format) AS TIMESTAMPTZ) END;

CREATE OR REPLACE MACRO parse_day(value) AS TRY_CAST(blank_to_null(value) AS DATE);

-- Integers may be exported as 3.0; 3.5 is not an integer.
CREATE OR REPLACE MACRO parse_integer(value) AS
  CASE WHEN TRY_CAST(blank_to_null(value) AS DOUBLE) = round(TRY_CAST(blank_to_null(value) AS DOUBLE))
       THEN CAST(TRY_CAST(blank_to_null(value) AS DOUBLE) AS BIGINT) END;

CREATE OR REPLACE MACRO parse_number(value) AS
  CASE WHEN isfinite(TRY_CAST(blank_to_null(value) AS DOUBLE)) THEN TRY_CAST(blank_to_null(value) AS DOUBLE) END;

CREATE OR REPLACE MACRO parse_flag(value) AS
  CASE WHEN lower(blank_to_null(value)) IN ('true', 't', 'yes', 'y', '1') THEN true
       WHEN lower(blank_to_null(value)) IN ('false', 'f', 'no', 'n', '0') THEN false END;

-- A quarantine reason: a stable code, the field at fault, and a sentence for the person reading it.
CREATE OR REPLACE MACRO problem(reason, field, detail) AS {'reason': reason, 'field': field, 'detail': detail};

-- "cannot read 'abc' as a timestamp" — quotes the raw value so that empty and odd values are visible.
CREATE OR REPLACE MACRO unreadable(value, what) AS
  'cannot read ' || coalesce('''' || value || '''', 'an empty value') || ' as ' || what;

-- Where a row came from, for a person: 'orders.csv:42' (a line) or 'sessions.parquet row 42'. Built only for
-- the rows that need one (quarantined rows, default ids), from the variable row_ref_prefix set per source.
CREATE OR REPLACE MACRO row_ref(row_number) AS getvariable('row_ref_prefix') || row_number;

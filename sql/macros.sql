-- Parsing helpers shared by the staging models. Every value arrives as text (see activities/clean.ts); a
-- helper returns NULL when the text cannot be read, and the model turns that into a problem: an error that
-- quarantines the row when the field is its key or required, a warning (the field set to NULL, the row kept)
-- when the field is optional.

-- Empty or blank text is a missing value.
CREATE OR REPLACE MACRO blank_to_null(value) AS nullif(trim(value), '');

-- ISO 8601 with or without a UTC offset (no offset = the session's business time zone), or the source's
-- strptime format when the configuration gives one.
CREATE OR REPLACE MACRO parse_instant(value, format) AS
  CASE WHEN format IS NULL THEN TRY_CAST(blank_to_null(value) AS TIMESTAMPTZ)
       ELSE CAST(try_strptime(blank_to_null(value), format) AS TIMESTAMPTZ) END;

-- Why a parsed instant cannot be a real event, or NULL: it is infinite, before the earliest plausible time
-- (variables earliest_instant and earliest_date; 'epoch' and year-1 placeholders land there), written with
-- a UTC offset beyond ±14:00, which no time zone has, or with a zone abbreviation: PST, CST or IST each name
-- several zones, and the parser's guess is no fact.
CREATE OR REPLACE MACRO implausible_instant(value, parsed) AS
  CASE WHEN parsed IS NULL THEN NULL
       WHEN NOT isfinite(parsed) THEN '''' || trim(value) || ''' is not a point in time'
       WHEN parsed < getvariable('earliest_instant')
         THEN '''' || trim(value) || ''' is before ' || getvariable('earliest_date') || ', the earliest plausible time'
       WHEN regexp_matches(trim(value), '\d:\d{2}(:\d{2}(\.\d+)?)?\s*[+-](1[5-9]|[2-9]\d):?\d{2}$')
         THEN 'the UTC offset of ''' || trim(value) || ''' is beyond ±14:00'
       WHEN regexp_matches(trim(value), '\d\s*[A-Za-z]{3,5}$') AND NOT regexp_matches(trim(value), '(UTC|GMT)$')
         THEN 'the zone abbreviation of ''' || trim(value) || ''' is ambiguous: write an offset (+09:00) or a zone name (Asia/Seoul)' END;

-- The instant a text names, NULL where it is unreadable or implausible.
CREATE OR REPLACE MACRO plausible_instant(value, format) AS
  CASE WHEN implausible_instant(value, parse_instant(value, format)) IS NULL THEN parse_instant(value, format) END;

-- What a model says about an unreadable or implausible instant (NULL when it is fine or empty).
CREATE OR REPLACE MACRO instant_problem(value, format, field) AS
  CASE WHEN blank_to_null(value) IS NULL THEN NULL
       WHEN parse_instant(value, format) IS NULL THEN problem('unparseable_timestamp', field, unreadable(value, 'a timestamp'))
       WHEN implausible_instant(value, parse_instant(value, format)) IS NOT NULL
         THEN problem('implausible_timestamp', field, implausible_instant(value, parse_instant(value, format))) END;

-- An id with a quote character in it: the line's quoting was broken (an unbalanced quote swallowed a delimiter).
CREATE OR REPLACE MACRO quote_in_id(value, field) AS
  CASE WHEN contains(value, '"')
       THEN problem('malformed_row', field, field || ' ''' || value || ''' holds a quote character: the line''s quoting is broken') END;

-- The problems a model found in optional fields, which it set to NULL: the row is kept with these warnings.
CREATE OR REPLACE MACRO warnings(problems) AS list_filter(problems, found -> found IS NOT NULL);
CREATE OR REPLACE MACRO no_warnings() AS CAST([] AS STRUCT(reason VARCHAR, field VARCHAR, detail VARCHAR)[]);

-- What a model says about an optional quantity that must not be negative, given its text and the value it kept
-- (NULL when the text is empty or the value was kept).
CREATE OR REPLACE MACRO negative_or_unreadable(value, kept, field, what) AS
  CASE WHEN blank_to_null(value) IS NULL OR kept IS NOT NULL THEN NULL
       WHEN parse_number(value) < 0 THEN problem('invalid_value', field, field || ' ' || trim(value) || ' is negative')
       ELSE problem('invalid_number', field, unreadable(value, what)) END;

CREATE OR REPLACE MACRO parse_day(value) AS TRY_CAST(blank_to_null(value) AS DATE);

-- Integers may be exported as 3.0; 3.5 is not an integer, nor is anything beyond BIGINT's range.
CREATE OR REPLACE MACRO parse_integer(value) AS
  coalesce(TRY_CAST(blank_to_null(value) AS BIGINT),
           CASE WHEN TRY_CAST(blank_to_null(value) AS DOUBLE) = round(TRY_CAST(blank_to_null(value) AS DOUBLE))
                THEN TRY_CAST(TRY_CAST(blank_to_null(value) AS DOUBLE) AS BIGINT) END);

CREATE OR REPLACE MACRO parse_number(value) AS
  CASE WHEN isfinite(TRY_CAST(blank_to_null(value) AS DOUBLE)) THEN TRY_CAST(blank_to_null(value) AS DOUBLE) END;

CREATE OR REPLACE MACRO parse_flag(value) AS
  CASE WHEN lower(blank_to_null(value)) IN ('true', 't', 'yes', 'y', '1') THEN true
       WHEN lower(blank_to_null(value)) IN ('false', 'f', 'no', 'n', '0') THEN false END;

-- An order line is priced by its unit price or, when its source maps line_amount instead (variable line_amounts),
-- by the amount paid for the whole line: that amount is then the line's value and its unit price amount / quantity.
CREATE OR REPLACE MACRO line_unit_price(qty, unit_price_text, amount_text) AS
  CASE WHEN getvariable('line_amounts') THEN parse_number(amount_text) / nullif(qty, 0) ELSE parse_number(unit_price_text) END;
CREATE OR REPLACE MACRO line_value(qty, unit_price_text, amount_text) AS
  CASE WHEN getvariable('line_amounts') THEN parse_number(amount_text) ELSE qty * parse_number(unit_price_text) END;

-- The first problem with an order line's quantity and price, or NULL. A line of quantity 0 sold nothing and is
-- quarantined, also when it carries an amount: without units its amount has no unit price, and whether it is a
-- purchase or a return cannot be told.
CREATE OR REPLACE MACRO line_problem(qty_text, qty, unit_price_text, amount_text) AS
  coalesce(
    CASE WHEN qty IS NULL THEN problem('invalid_number', 'quantity', unreadable(qty_text, 'an integer')) END,
    CASE WHEN qty = 0 AND getvariable('line_amounts')
         THEN problem('zero_quantity', 'quantity', 'quantity is 0: its line_amount ' || coalesce(blank_to_null(amount_text), '(empty)') || ' has no units to price')
         WHEN qty = 0 THEN problem('zero_quantity', 'quantity', 'quantity is 0') END,
    CASE WHEN getvariable('line_amounts') THEN coalesce(
      CASE WHEN parse_number(amount_text) IS NULL THEN problem('invalid_number', 'line_amount', unreadable(amount_text, 'a number')) END,
      CASE WHEN parse_number(amount_text) / qty <= 0
           THEN problem('non_positive_price', 'line_amount', 'line_amount ' || parse_number(amount_text) || ' for quantity ' || qty ||
                        ' is a unit price not greater than zero (a cancellation or return line has a negative amount and quantity)') END)
    ELSE coalesce(
      CASE WHEN parse_number(unit_price_text) IS NULL THEN problem('invalid_number', 'unit_price', unreadable(unit_price_text, 'a number')) END,
      CASE WHEN parse_number(unit_price_text) <= 0
           THEN problem('non_positive_price', 'unit_price', 'unit_price ' || parse_number(unit_price_text) || ' is not greater than zero') END)
    END);

-- A quarantine reason: a stable code, the field at fault, and a sentence for the person reading it.
CREATE OR REPLACE MACRO problem(reason, field, detail) AS {'reason': reason, 'field': field, 'detail': detail};

-- "cannot read 'abc' as a timestamp" — quotes the raw value so that empty and odd values are visible.
CREATE OR REPLACE MACRO unreadable(value, what) AS
  'cannot read ' || coalesce('''' || value || '''', 'an empty value') || ' as ' || what;

-- Where a row came from, for a person: 'orders.csv:42' (a line) or 'sessions.parquet row 42'. Built only for
-- the rows that need one (quarantined rows, default ids), from the variable row_ref_prefix set per source.
CREATE OR REPLACE MACRO row_ref(row_number) AS getvariable('row_ref_prefix') || row_number;

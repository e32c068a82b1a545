-- Minor units with a known number of decimals as the JSON string the API shows: (123456, 2) →
-- '1234.56', (5000, 0) → '5000'; NULL places (an unknown currency) → NULL. SQL and STABLE like
-- to_char, so the planner inlines it: a caller that reads the currencies' decimals in its own
-- query (transfer_json) formats without a query per amount. format_minor looks the decimals up.
CREATE OR REPLACE FUNCTION format_minor_places(p_amount bigint, p_places smallint) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT to_char(p_amount::numeric / (10::numeric ^ p_places),
                 'FM999999999999999990' || CASE WHEN p_places > 0 THEN '.' || repeat('0', p_places) ELSE '' END);
$$;

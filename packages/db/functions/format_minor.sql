-- Minor units as the JSON string the API shows, with exactly the currency's decimals:
-- 123456 NOK → '1234.56', 5000 VND → '5000'. PL/pgSQL, not SQL: a SQL function that reads a
-- table cannot be inlined and would be planned anew on each of its 8 calls per transfer, while
-- PL/pgSQL caches its plan for the session (measured by `npm run bench:transfers`). A query that
-- formats several amounts reads the decimals once itself and calls format_minor_places.
CREATE OR REPLACE FUNCTION format_minor(amount bigint, currency text) RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
DECLARE
  places smallint;
BEGIN
  SELECT c.decimals INTO places FROM currencies c WHERE c.code = currency;
  IF places IS NULL THEN
    RETURN NULL;
  END IF;
  RETURN format_minor_places(amount, places);
END;
$$;

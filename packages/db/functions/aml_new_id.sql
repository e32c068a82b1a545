-- A new id of Drop's shape (`<prefix>_` and a ULID: 10 characters of milliseconds, 16 random, in
-- Crockford base32) for rows the database creates itself: alerts and screening matches.
CREATE OR REPLACE FUNCTION aml_new_id(p_prefix text) RETURNS text
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  alphabet constant text := '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  ms bigint := floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint;
  body text := '';
BEGIN
  FOR i IN REVERSE 9..0 LOOP
    body := body || substr(alphabet, ((ms >> (5 * i)) & 31)::int + 1, 1);
  END LOOP;
  FOR i IN 1..16 LOOP
    body := body || substr(alphabet, floor(random() * 32)::int + 1, 1);
  END LOOP;
  RETURN p_prefix || '_' || body;
END;
$$;

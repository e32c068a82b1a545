-- Øre as the NOK amount alerts show: 5000100 → '50001.00'.
CREATE OR REPLACE FUNCTION aml_nok(p_minor numeric) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT (p_minor / 100.0)::numeric(20, 2)::text;
$$;

-- A transfer's human reference, `DRP-7K3-92QX` (packages/check-digits/src/references.ts reads it
-- back): six characters from an alphabet without 0/O/1/I/L and a MOD31 check character. The six
-- are the next number of transfer_reference_seq sent through an affine bijection modulo 31^6
-- (887 503 681), so references never collide (no lookup, no retry) and consecutive transfers do
-- not get neighbouring references. They are not secrets: knowing one grants nothing.
CREATE OR REPLACE FUNCTION new_transfer_reference() RETURNS text
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  alphabet constant text := '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  x bigint := (nextval('transfer_reference_seq') * 500000003 + 123456789) % 887503681;
  body text := '';
  total int := 0;
  v int;
BEGIN
  FOR i IN 1..6 LOOP
    body := substr(alphabet, (x % 31)::int + 1, 1) || body;
    x := x / 31;
  END LOOP;
  -- Weights 7…2 from the left, 1 for the check character: Σ weight × value ≡ 0 (mod 31).
  FOR i IN 1..6 LOOP
    v := strpos(alphabet, substr(body, i, 1)) - 1;
    total := total + v * (8 - i);
  END LOOP;
  RETURN 'DRP-' || substr(body, 1, 3) || '-' || substr(body, 4, 3) || substr(alphabet, ((31 - total % 31) % 31) + 1, 1);
END;
$$;

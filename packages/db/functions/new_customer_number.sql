-- A customer's number, eight digits a person can read aloud (`1000 0017`, shown with a space):
-- the next of customer_number_seq (seven digits) and its MOD10 (Luhn) check digit, the one
-- packages/check-digits computes (mod10CheckDigit), so one wrong digit is caught when typed.
CREATE OR REPLACE FUNCTION new_customer_number() RETURNS text
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  body text := nextval('customer_number_seq')::text;
  total int := 0;
  d int;
BEGIN
  -- Double every second digit from the right, starting next to the check digit.
  FOR i IN 0..length(body) - 1 LOOP
    d := substr(body, length(body) - i, 1)::int;
    IF i % 2 = 0 THEN
      d := d * 2;
      IF d > 9 THEN d := d - 9; END IF;
    END IF;
    total := total + d;
  END LOOP;
  RETURN body || ((10 - total % 10) % 10)::text;
END;
$$;

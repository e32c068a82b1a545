-- The recipient's account as one value, whichever customer saved it and however it was typed:
-- the country and every payout detail except the BIC (the account, not the route), upper case,
-- letters and digits only, hashed (md5 keeps it short; it is a key, not a secret). Two customers
-- who saved the same IBAN get the same fingerprint: fan-in counts senders per fingerprint.
CREATE OR REPLACE FUNCTION aml_recipient_fingerprint(p_country text, p_details jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT md5(p_country || ':' || coalesce(string_agg(d.key || '=' || upper(regexp_replace(d.value, '[^0-9A-Za-z]', '', 'g')), ';' ORDER BY d.key), ''))
    FROM jsonb_each_text(p_details) d
   WHERE d.key <> 'bic';
$$;

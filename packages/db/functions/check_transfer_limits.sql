-- Limits for one customer and amount, with the customer's row already locked by the caller.
-- p_limits holds, per tier 1 and 2: per transfer, 30 days, 12 months (øre), six values in all.
CREATE OR REPLACE FUNCTION check_transfer_limits(p_user_id text, p_tier smallint, p_edd boolean, p_amount bigint,
                                      p_limits bigint[], p_edd_threshold bigint) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
  per_transfer bigint := CASE p_tier WHEN 1 THEN p_limits[1] WHEN 2 THEN p_limits[4] ELSE 0 END;
  thirty_days  bigint := CASE p_tier WHEN 1 THEN p_limits[2] WHEN 2 THEN p_limits[5] ELSE 0 END;
  twelve_months bigint := CASE p_tier WHEN 1 THEN p_limits[3] WHEN 2 THEN p_limits[6] ELSE 0 END;
  today date := (now() AT TIME ZONE 'UTC')::date;
  used_30 bigint;
  used_365 bigint;
BEGIN
  SELECT coalesce(sum(amount_minor) FILTER (WHERE day > today - 30), 0), coalesce(sum(amount_minor), 0)
    INTO used_30, used_365
    FROM user_spending_days WHERE user_id = p_user_id AND day > today - 365;
  IF p_amount > per_transfer THEN
    RAISE EXCEPTION 'LIMIT_EXCEEDED' USING ERRCODE = 'DR001', DETAIL = jsonb_build_object(
      'limit', 'per-transfer', 'limitNok', (per_transfer / 100)::text, 'availableNok', (per_transfer / 100)::text,
      'message', 'This transfer is over your per-transfer limit.')::text;
  END IF;
  IF used_30 + p_amount > thirty_days THEN
    RAISE EXCEPTION 'LIMIT_EXCEEDED' USING ERRCODE = 'DR001', DETAIL = jsonb_build_object(
      'limit', '30-day', 'limitNok', (thirty_days / 100)::text, 'availableNok', (greatest(thirty_days - used_30, 0) / 100)::text,
      'message', 'This transfer would exceed your 30-day limit.')::text;
  END IF;
  IF used_365 + p_amount > twelve_months THEN
    RAISE EXCEPTION 'LIMIT_EXCEEDED' USING ERRCODE = 'DR001', DETAIL = jsonb_build_object(
      'limit', '12-month', 'limitNok', (twelve_months / 100)::text, 'availableNok', (greatest(twelve_months - used_365, 0) / 100)::text,
      'message', 'This transfer would exceed your 12-month limit.')::text;
  END IF;
  IF NOT p_edd AND used_365 + p_amount >= p_edd_threshold THEN
    RAISE EXCEPTION 'EDD_REQUIRED' USING ERRCODE = 'DR001', DETAIL = jsonb_build_object(
      'thresholdNok', (p_edd_threshold / 100)::text,
      'message', 'Tell us where the money comes from before sending this much.')::text;
  END IF;
END;
$$;

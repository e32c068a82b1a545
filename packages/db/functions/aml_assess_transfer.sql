-- The AML decision on a new transfer, inside the transaction that creates it (create_transfer
-- calls it after the transfer row exists, under the customer's row lock). In order:
--   1. the screening matches for the two parties (p_screening, see aml_record_screening): a
--      sanctions match holds the transfer and freezes the customer, a PEP match asks for EDD;
--   2. a customer frozen before this transfer: held, with a frozen_customer alert;
--   3. when monitoring is on (aml_settings), every enabled rule of aml_rules, read in one SELECT
--      and evaluated against the transfer and the customer's incremental aggregates as they were
--      before it; then the aggregates take the transfer in.
-- Each rule that fires writes one alert per rule, subject and window (aml_raise_alert) with the
-- facts that fired it; the strongest action wins: one 'hold' and the transfer becomes `held`
-- (transactions_guard records where it was held from). Returns
-- {decision: approve|alert|hold, rules: [codes fired], alerts: [new alert ids], screening, monitoring}.
-- p_screening: [{party: sender|recipient, subjectId: usr_…|rcp_…, list, key, recordHash, score, topics, …}].
CREATE OR REPLACE FUNCTION aml_assess_transfer(p_transaction_id text, p_screening jsonb DEFAULT '[]'::jsonb) RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  t record;
  monitoring boolean;
  rules jsonb;
  p jsonb;
  act record;
  fan record;
  has_activity boolean;
  grp record;
  subject_type text;
  verdict text;
  screening text := 'clear';
  hold boolean := false;
  hits jsonb := '[]'::jsonb;
  hit jsonb;
  rule jsonb;
  alert_id text;
  alerts text[] := '{}';
  fired text[] := '{}';
  at timestamptz;
  today date;
  amount bigint;
  is_round boolean := false;
  is_near boolean := false;
  first_to_recipient boolean;
  n bigint;
  lists text[];
  others text[];
  previous_reason text;
  -- A windowed rule's deduplication key, looked up before its alert's facts are built.
  k text;
BEGIN
  -- The transfer, its parties, the settings, the rules and the recipient country's high-risk
  -- lists in one statement (each statement costs its executor start-up, whatever it reads).
  -- `|| '{}'` hands over the rules decompressed: stored, the ~3 kB object is compressed, and a
  -- PL/pgSQL variable keeps the value as read, so each of the ~30 reads of `rules` below would
  -- decompress all of it again (3.7 µs against 0.4 µs a read, measured).
  SELECT tr.id, tr.user_id, tr.send_amount_minor AS amount, tr.created_at, tr.recipient_id, r.country,
         r.aml_fingerprint AS fingerprint,
         u.created_at AS customer_since, u.full_name, u.birth_date, u.aml_frozen_at,
         (SELECT s.enabled FROM aml_settings s) AS monitoring,
         (SELECT c.rules || '{}'::jsonb FROM aml_rules_compiled c) AS rules,
         ARRAY(SELECT h.list FROM aml_high_risk_countries h WHERE h.country = r.country ORDER BY h.list) AS lists
    INTO t
    FROM transactions tr JOIN recipients r ON r.id = tr.recipient_id JOIN users u ON u.id = tr.user_id
   WHERE tr.id = p_transaction_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no transfer % with a recipient to assess', p_transaction_id USING ERRCODE = 'no_data_found';
  END IF;
  at := t.created_at;
  today := (at AT TIME ZONE 'UTC')::date;
  amount := t.amount;
  monitoring := coalesce(t.monitoring, true);
  rules := coalesce(t.rules, '{}'::jsonb);

  -- 1. Screening of the two parties.
  IF jsonb_typeof(p_screening) IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION 'p_screening must be a JSON array' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF jsonb_array_length(p_screening) > 0 THEN
    FOR grp IN
      SELECT m ->> 'party' AS party, m ->> 'subjectId' AS subject_id, jsonb_agg(m) AS matches
        FROM jsonb_array_elements(p_screening) m GROUP BY 1, 2
    LOOP
      IF grp.party = 'sender' AND grp.subject_id = t.user_id THEN
        subject_type := 'customer';
      ELSIF grp.party = 'recipient' AND grp.subject_id = t.recipient_id THEN
        subject_type := 'recipient';
      ELSE
        RAISE EXCEPTION 'screening match for % % is not a party of transfer %', grp.party, grp.subject_id, t.id
          USING ERRCODE = 'invalid_parameter_value';
      END IF;
      verdict := aml_record_screening(t.user_id, subject_type, grp.subject_id, t.id, grp.matches);
      IF verdict = 'hold' THEN
        screening := 'hold';
      ELSIF verdict = 'edd' AND screening = 'clear' THEN
        screening := 'edd';
      END IF;
    END LOOP;
    hold := screening = 'hold';
  END IF;

  -- 2. A customer frozen before this transfer (a sanctions match, or staff).
  IF t.aml_frozen_at IS NOT NULL AND coalesce((rules #>> '{frozen_customer,e}')::boolean, false) THEN
    hits := hits || jsonb_build_object('code', 'frozen_customer', 'key', 'frozen_customer:tx:' || t.id,
      'facts', jsonb_build_object('frozenAt', t.aml_frozen_at),
      'summary', 'The customer is frozen: the transfer is held for review.');
  END IF;

  -- 3. Transaction monitoring.
  IF monitoring THEN
    p := rules -> 'round_amounts' -> 'p';
    is_round := coalesce(amount % ((p ->> 'multipleNok')::numeric * 100) = 0 AND amount >= (p ->> 'minNok')::numeric * 100, false);
    p := rules -> 'structuring' -> 'p';
    is_near := coalesce(amount < (p ->> 'thresholdNok')::numeric * 100
               AND amount >= (p ->> 'thresholdNok')::numeric * (100 - (p ->> 'bandPercent')::numeric), false);

    -- The customer's days before this transfer, every window in one pass over at most 12 months,
    -- and from the customer's activity row (if any) in the same statement: the transfers in
    -- velocity_daily's window (this one included) and among the last few, those of an amount
    -- similar to this one (similar_amounts). One statement where there were four.
    SELECT a.user_id IS NOT NULL AS has_activity, a.last_at, a.transfer_count,
           (SELECT count(*) + 1 FROM unnest(a.recent_at) x
             WHERE x > at - make_interval(hours => (rules #>> '{velocity_daily,p,hours}')::int)) AS velocity_count,
           (SELECT count(*) FROM unnest(a.recent_minor[1:(rules #>> '{similar_amounts,p,lastTransfers}')::int]) x
             WHERE abs(x - amount) <= amount * (rules #>> '{similar_amounts,p,tolerancePercent}')::numeric / 100) AS similar_count,
           w.*
      INTO act
      FROM (
        SELECT coalesce(sum(c.sum_minor) FILTER (WHERE c.day > (at - make_interval(months => (rules #>> '{linked_transfers,p,months}')::int))::date), 0) AS linked_sum,
               coalesce(sum(c.near_threshold_count) FILTER (WHERE c.day > today - (rules #>> '{structuring,p,days}')::int), 0) AS near,
               coalesce(sum(c.round_count) FILTER (WHERE c.day > today - (rules #>> '{round_amounts,p,days}')::int), 0) AS rounds,
               coalesce(sum(c.count) FILTER (WHERE c.day > today - (rules #>> '{amount_spike,p,days}')::int), 0) AS spike_count,
               coalesce(sum(c.sum_minor) FILTER (WHERE c.day > today - (rules #>> '{amount_spike,p,days}')::int), 0) AS spike_sum,
               coalesce(max(c.max_minor) FILTER (WHERE c.day > today - (rules #>> '{amount_spike,p,days}')::int), 0) AS spike_max
          FROM aml_customer_daily c
         WHERE c.user_id = t.user_id AND c.day > (at - interval '13 months')::date) w
      LEFT JOIN aml_customer_activity a ON a.user_id = t.user_id;
    has_activity := act.has_activity;

    -- The aggregates take this transfer in (the rules above and below see the state before it,
    -- except the counts of accounts, which include it): one statement for the three tables.
    WITH activity AS (
    INSERT INTO aml_customer_activity AS a (user_id, first_at, last_at, transfer_count, sum_minor, recent_at, recent_minor, recent_recipient)
    VALUES (t.user_id, at, at, 1, amount, ARRAY[at], ARRAY[amount], ARRAY[t.fingerprint])
    ON CONFLICT (user_id) DO UPDATE
      SET last_at = EXCLUDED.last_at, transfer_count = a.transfer_count + 1, sum_minor = a.sum_minor + EXCLUDED.sum_minor,
          recent_at = (EXCLUDED.recent_at || a.recent_at)[1:20], recent_minor = (EXCLUDED.recent_minor || a.recent_minor)[1:20],
          recent_recipient = (EXCLUDED.recent_recipient || a.recent_recipient)[1:20]
    ), daily AS (
    INSERT INTO aml_customer_daily AS c (user_id, day, count, sum_minor, max_minor, round_count, near_threshold_count)
    VALUES (t.user_id, today, 1, amount, amount, is_round::int, is_near::int)
    ON CONFLICT (user_id, day) DO UPDATE
      SET count = c.count + 1, sum_minor = c.sum_minor + EXCLUDED.sum_minor, max_minor = greatest(c.max_minor, EXCLUDED.max_minor),
          round_count = c.round_count + EXCLUDED.round_count, near_threshold_count = c.near_threshold_count + EXCLUDED.near_threshold_count
    )
    INSERT INTO aml_sender_recipients AS s (user_id, fingerprint, first_at, last_at, count)
    VALUES (t.user_id, t.fingerprint, at, at, 1)
    ON CONFLICT (user_id, fingerprint) DO UPDATE SET last_at = EXCLUDED.last_at, count = s.count + 1
    RETURNING s.count = 1 INTO first_to_recipient;

    rule := rules -> 'large_transfer';
    IF (rule ->> 'e')::boolean AND amount >= (rule #>> '{p,minNok}')::numeric * 100 THEN
      hits := hits || jsonb_build_object('code', 'large_transfer', 'key', 'large_transfer:tx:' || t.id,
        'facts', jsonb_build_object('amountNok', aml_nok(amount), 'minNok', rule #> '{p,minNok}'),
        'summary', format('A transfer of NOK %s (at least NOK %s).', aml_nok(amount), rule #>> '{p,minNok}'));
    END IF;

    rule := rules -> 'structuring';
    IF (rule ->> 'e')::boolean AND is_near AND act.near + 1 >= (rule #>> '{p,minCount}')::int THEN
      k := aml_window_key('structuring', 'customer', t.user_id, (rule #>> '{p,days}')::numeric * 24, at);
      IF EXISTS (SELECT 1 FROM aml_alerts WHERE dedup_key = k) THEN
        -- The window's alert is already raised: the rule fired, nothing more to build.
        hits := hits || jsonb_build_object('code', 'structuring', 'key', k, 'raised', true);
      ELSE
        hits := hits || jsonb_build_object('code', 'structuring',
          'key', k,
          'facts', jsonb_build_object('nearThresholdTransfers', act.near + 1, 'days', rule #> '{p,days}',
                                      'thresholdNok', rule #> '{p,thresholdNok}', 'bandPercent', rule #> '{p,bandPercent}',
                                      'amountNok', aml_nok(amount)),
          'summary', format('%s transfers within %s%% below NOK %s in %s days.', act.near + 1, rule #>> '{p,bandPercent}',
                            rule #>> '{p,thresholdNok}', rule #>> '{p,days}'));
      END IF;
    END IF;

    rule := rules -> 'linked_transfers';
    IF (rule ->> 'e')::boolean AND act.linked_sum + amount >= (rule #>> '{p,thresholdNok}')::numeric * 100 THEN
      k := aml_window_key('linked_transfers', 'customer', t.user_id, (rule #>> '{p,months}')::numeric * 730, at);
      IF EXISTS (SELECT 1 FROM aml_alerts WHERE dedup_key = k) THEN
        -- The window's alert is already raised: the rule fired, nothing more to build.
        hits := hits || jsonb_build_object('code', 'linked_transfers', 'key', k, 'raised', true);
      ELSE
        hits := hits || jsonb_build_object('code', 'linked_transfers',
          'key', k,
          'facts', jsonb_build_object('totalNok', aml_nok(act.linked_sum + amount), 'months', rule #> '{p,months}',
                                      'thresholdNok', rule #> '{p,thresholdNok}'),
          'summary', format('NOK %s sent in %s months (threshold NOK %s).', aml_nok(act.linked_sum + amount),
                            rule #>> '{p,months}', rule #>> '{p,thresholdNok}'));
      END IF;
    END IF;

    rule := rules -> 'velocity_daily';
    IF (rule ->> 'e')::boolean AND has_activity THEN
      n := act.velocity_count;
      IF n > (rule #>> '{p,maxCount}')::int THEN
        k := aml_window_key('velocity_daily', 'customer', t.user_id, (rule #>> '{p,hours}')::numeric, at);
        IF EXISTS (SELECT 1 FROM aml_alerts WHERE dedup_key = k) THEN
          -- The window's alert is already raised: the rule fired, nothing more to build.
          hits := hits || jsonb_build_object('code', 'velocity_daily', 'key', k, 'raised', true);
        ELSE
          hits := hits || jsonb_build_object('code', 'velocity_daily',
            'key', k,
            'facts', jsonb_build_object('transfers', n, 'hours', rule #> '{p,hours}', 'maxCount', rule #> '{p,maxCount}'),
            'summary', format('%s transfers in %s hours (more than %s).', n, rule #>> '{p,hours}', rule #>> '{p,maxCount}'));
        END IF;
      END IF;
    END IF;

    rule := rules -> 'velocity_burst';
    IF (rule ->> 'e')::boolean AND has_activity AND act.last_at > at - make_interval(mins => (rule #>> '{p,minutes}')::int) THEN
      k := aml_window_key('velocity_burst', 'customer', t.user_id, 24, at);
      IF EXISTS (SELECT 1 FROM aml_alerts WHERE dedup_key = k) THEN
        -- The window's alert is already raised: the rule fired, nothing more to build.
        hits := hits || jsonb_build_object('code', 'velocity_burst', 'key', k, 'raised', true);
      ELSE
        hits := hits || jsonb_build_object('code', 'velocity_burst',
          'key', k,
          'facts', jsonb_build_object('previousAt', act.last_at, 'secondsSincePrevious', round(extract(epoch FROM at - act.last_at)),
                                      'minutes', rule #> '{p,minutes}'),
          'summary', format('A transfer %s s after the previous one (less than %s minutes).',
                            round(extract(epoch FROM at - act.last_at)), rule #>> '{p,minutes}'));
      END IF;
    END IF;

    -- fan_in's and fan_out's counts, each only if its rule is on, in one statement (after the
    -- upsert above: both include this transfer). fan_in reads the account's newest senders first
    -- (ORDER BY, the index's own order): every transfer to the account leaves its sender's
    -- previous row version in the index until VACUUM, all of them inside the window, and an
    -- unordered (bitmap) scan of the window visited every one before LIMIT applied; newest first,
    -- the live versions come first and the scan stops at minSenders.
    SELECT CASE WHEN (rules #>> '{fan_in,e}')::boolean THEN (
             SELECT count(*) FROM (
               SELECT 1 FROM aml_sender_recipients s
                WHERE s.fingerprint = t.fingerprint AND s.last_at > at - make_interval(hours => (rules #>> '{fan_in,p,hours}')::int)
                ORDER BY s.last_at DESC
                LIMIT (rules #>> '{fan_in,p,minSenders}')::int) x) END AS senders,
           CASE WHEN (rules #>> '{fan_out,e}')::boolean THEN (
             SELECT count(*) FROM aml_sender_recipients s
              WHERE s.user_id = t.user_id AND s.last_at > at - make_interval(hours => (rules #>> '{fan_out,p,hours}')::int)) END AS recipients
      INTO fan;

    rule := rules -> 'fan_in';
    IF (rule ->> 'e')::boolean THEN
      n := fan.senders;
      IF n >= (rule #>> '{p,minSenders}')::int THEN
        k := aml_window_key('fan_in', 'account', t.fingerprint, (rule #>> '{p,hours}')::numeric, at);
        IF EXISTS (SELECT 1 FROM aml_alerts WHERE dedup_key = k) THEN
          -- The window's alert is already raised: the rule fired, nothing more to build.
          hits := hits || jsonb_build_object('code', 'fan_in', 'key', k, 'raised', true);
        ELSE
          hits := hits || jsonb_build_object('code', 'fan_in', 'subjectType', 'recipient', 'subjectId', t.recipient_id,
            'key', k,
            'facts', jsonb_build_object('senders', n, 'hours', rule #> '{p,hours}', 'recipientAccount', t.fingerprint,
                                        'country', t.country),
            'summary', format('At least %s customers sent to this recipient account in %s hours.', n, rule #>> '{p,hours}'));
        END IF;
      END IF;
    END IF;

    rule := rules -> 'fan_out';
    IF (rule ->> 'e')::boolean THEN
      n := fan.recipients;
      IF n >= (rule #>> '{p,minRecipients}')::int THEN
        k := aml_window_key('fan_out', 'customer', t.user_id, (rule #>> '{p,hours}')::numeric, at);
        IF EXISTS (SELECT 1 FROM aml_alerts WHERE dedup_key = k) THEN
          -- The window's alert is already raised: the rule fired, nothing more to build.
          hits := hits || jsonb_build_object('code', 'fan_out', 'key', k, 'raised', true);
        ELSE
          hits := hits || jsonb_build_object('code', 'fan_out',
            'key', k,
            'facts', jsonb_build_object('recipients', n, 'hours', rule #> '{p,hours}'),
            'summary', format('%s different recipient accounts in %s hours.', n, rule #>> '{p,hours}'));
        END IF;
      END IF;
    END IF;

    rule := rules -> 'new_customer_large';
    IF (rule ->> 'e')::boolean AND amount >= (rule #>> '{p,minNok}')::numeric * 100
       AND (t.customer_since > at - make_interval(days => (rule #>> '{p,maxAgeDays}')::int)
            OR coalesce(act.transfer_count, 0) <= (rule #>> '{p,maxPriorTransfers}')::int) THEN
      hits := hits || jsonb_build_object('code', 'new_customer_large', 'key', 'new_customer_large:tx:' || t.id,
        'facts', jsonb_build_object('amountNok', aml_nok(amount), 'customerSince', t.customer_since,
                                    'priorTransfers', coalesce(act.transfer_count, 0)),
        'summary', format('A new customer (since %s, %s earlier transfers) sends NOK %s.',
                          to_char(t.customer_since AT TIME ZONE 'UTC', 'YYYY-MM-DD'), coalesce(act.transfer_count, 0), aml_nok(amount)));
    END IF;

    rule := rules -> 'amount_spike';
    IF (rule ->> 'e')::boolean AND act.spike_count >= (rule #>> '{p,minPriorTransfers}')::int
       AND amount >= (rule #>> '{p,minNok}')::numeric * 100
       AND amount >= (rule #>> '{p,averageMultiple}')::numeric * act.spike_sum / act.spike_count
       AND amount >= (rule #>> '{p,maxMultiple}')::numeric * act.spike_max THEN
      hits := hits || jsonb_build_object('code', 'amount_spike', 'key', 'amount_spike:tx:' || t.id,
        'facts', jsonb_build_object('amountNok', aml_nok(amount), 'days', rule #> '{p,days}', 'priorTransfers', act.spike_count,
                                    'averageNok', aml_nok((act.spike_sum / act.spike_count)::bigint), 'maxNok', aml_nok(act.spike_max)),
        'summary', format('NOK %s against an average of NOK %s and a largest of NOK %s in %s days.', aml_nok(amount),
                          aml_nok((act.spike_sum / act.spike_count)::bigint), aml_nok(act.spike_max), rule #>> '{p,days}'));
    END IF;

    rule := rules -> 'similar_amounts';
    IF (rule ->> 'e')::boolean AND has_activity AND amount >= (rule #>> '{p,minNok}')::numeric * 100 THEN
      n := act.similar_count;
      IF n >= (rule #>> '{p,minSimilar}')::int THEN
        k := aml_window_key('similar_amounts', 'customer', t.user_id, (rule #>> '{p,hours}')::numeric, at);
        IF EXISTS (SELECT 1 FROM aml_alerts WHERE dedup_key = k) THEN
          -- The window's alert is already raised: the rule fired, nothing more to build.
          hits := hits || jsonb_build_object('code', 'similar_amounts', 'key', k, 'raised', true);
        ELSE
          hits := hits || jsonb_build_object('code', 'similar_amounts',
            'key', k,
            'facts', jsonb_build_object('amountNok', aml_nok(amount), 'similar', n, 'lastTransfers', rule #> '{p,lastTransfers}',
                                        'tolerancePercent', rule #> '{p,tolerancePercent}'),
            'summary', format('%s of the last %s transfers within %s%% of NOK %s.', n, rule #>> '{p,lastTransfers}',
                              rule #>> '{p,tolerancePercent}', aml_nok(amount)));
        END IF;
      END IF;
    END IF;

    rule := rules -> 'dormant_reactivated';
    -- Dormant means active once before: a first transfer is new_customer_large's business.
    IF (rule ->> 'e')::boolean AND has_activity AND act.last_at < at - make_interval(days => (rule #>> '{p,dormantDays}')::int) THEN
      hits := hits || jsonb_build_object('code', 'dormant_reactivated', 'key', 'dormant_reactivated:tx:' || t.id,
        'facts', jsonb_build_object('previousTransferAt', act.last_at, 'dormantDays', rule #> '{p,dormantDays}'),
        'summary', format('The first transfer since %s (more than %s days).',
                          to_char(act.last_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), rule #>> '{p,dormantDays}'));
    END IF;

    IF (rules #>> '{high_risk_country,e}')::boolean OR (rules #>> '{high_risk_country_call_for_action,e}')::boolean THEN
      lists := t.lists;
      rule := rules -> 'high_risk_country_call_for_action';
      -- ?|: one of the country's lists is among the rule's (a plain expression, where a subquery
      -- unnesting the rule's lists would be a statement of its own).
      IF (rule ->> 'e')::boolean AND rule #> '{p,lists}' ?| lists THEN
        hits := hits || jsonb_build_object('code', 'high_risk_country_call_for_action', 'key', 'high_risk_country_call_for_action:tx:' || t.id,
          'facts', jsonb_build_object('country', t.country, 'lists', to_jsonb(lists)),
          'summary', format('The recipient is in %s, subject to a FATF call for action.', t.country));
      END IF;
      rule := rules -> 'high_risk_country';
      IF (rule ->> 'e')::boolean AND rule #> '{p,lists}' ?| lists THEN
        k := aml_window_key('high_risk_country', 'customer', t.user_id || ':' || t.country, (rule #>> '{p,days}')::numeric * 24, at);
        IF EXISTS (SELECT 1 FROM aml_alerts WHERE dedup_key = k) THEN
          -- The window's alert is already raised: the rule fired, nothing more to build.
          hits := hits || jsonb_build_object('code', 'high_risk_country', 'key', k, 'raised', true);
        ELSE
          hits := hits || jsonb_build_object('code', 'high_risk_country',
            'key', k,
            'facts', jsonb_build_object('country', t.country, 'lists', to_jsonb(lists)),
            'summary', format('The recipient is in %s, on the high-risk lists %s.', t.country, array_to_string(lists, ', ')));
        END IF;
      END IF;
    END IF;

    rule := rules -> 'round_amounts';
    IF (rule ->> 'e')::boolean AND is_round AND act.rounds + 1 >= (rule #>> '{p,minCount}')::int THEN
      k := aml_window_key('round_amounts', 'customer', t.user_id, (rule #>> '{p,days}')::numeric * 24, at);
      IF EXISTS (SELECT 1 FROM aml_alerts WHERE dedup_key = k) THEN
        -- The window's alert is already raised: the rule fired, nothing more to build.
        hits := hits || jsonb_build_object('code', 'round_amounts', 'key', k, 'raised', true);
      ELSE
        hits := hits || jsonb_build_object('code', 'round_amounts',
          'key', k,
          'facts', jsonb_build_object('roundTransfers', act.rounds + 1, 'multipleNok', rule #> '{p,multipleNok}', 'days', rule #> '{p,days}'),
          'summary', format('%s transfers of a multiple of NOK %s in %s days.', act.rounds + 1, rule #>> '{p,multipleNok}', rule #>> '{p,days}'));
      END IF;
    END IF;

    rule := rules -> 'multiple_accounts_identity';
    IF (rule ->> 'e')::boolean AND t.birth_date IS NOT NULL AND t.full_name IS NOT NULL THEN
      others := ARRAY(SELECT u.id FROM users u
                       WHERE lower(u.full_name) = lower(t.full_name) AND u.birth_date = t.birth_date AND u.deleted_at IS NULL
                         AND u.id <> t.user_id ORDER BY u.id LIMIT 10);
      IF cardinality(others) + 1 >= (rule #>> '{p,minAccounts}')::int THEN
        k := aml_window_key('multiple_accounts_identity', 'customer', t.user_id, (rule #>> '{p,days}')::numeric * 24, at);
        IF EXISTS (SELECT 1 FROM aml_alerts WHERE dedup_key = k) THEN
          -- The window's alert is already raised: the rule fired, nothing more to build.
          hits := hits || jsonb_build_object('code', 'multiple_accounts_identity', 'key', k, 'raised', true);
        ELSE
          hits := hits || jsonb_build_object('code', 'multiple_accounts_identity',
            'key', k,
            'facts', jsonb_build_object('accounts', cardinality(others) + 1, 'otherCustomers', to_jsonb(others)),
            'summary', format('%s Drop accounts share this customer''s name and birth date.', cardinality(others) + 1));
        END IF;
      END IF;
    END IF;

    -- Last: it combines with the rules above.
    rule := rules -> 'new_recipient_combined';
    IF (rule ->> 'e')::boolean AND first_to_recipient THEN
      fired := ARRAY(SELECT h ->> 'code' FROM jsonb_array_elements(hits) h
                      WHERE h ->> 'code' IN (SELECT jsonb_array_elements_text(rule #> '{p,withRules}')));
      IF cardinality(fired) > 0 THEN
        hits := hits || jsonb_build_object('code', 'new_recipient_combined', 'key', 'new_recipient_combined:tx:' || t.id,
          'facts', jsonb_build_object('with', to_jsonb(fired), 'recipientId', t.recipient_id),
          'summary', format('The first transfer to this recipient account, with %s.', array_to_string(fired, ', ')));
      END IF;
    END IF;
  END IF;

  -- The alerts, and the strongest action.
  fired := '{}';
  -- By position: plain expressions, where a loop over a query would be a statement.
  FOR i IN 0 .. jsonb_array_length(hits) - 1 LOOP
    hit := hits -> i;
    rule := rules -> (hit ->> 'code');
    fired := fired || (hit ->> 'code');
    IF rule ->> 'a' = 'hold' THEN
      hold := true;
    END IF;
    CONTINUE WHEN (hit ->> 'raised')::boolean;
    alert_id := aml_raise_alert(t.user_id, t.id, hit ->> 'code', (rule ->> 'v')::int, rule ->> 's', rule ->> 'a',
                                coalesce(hit ->> 'subjectType', 'customer'), coalesce(hit ->> 'subjectId', t.user_id),
                                hit ->> 'key', NULL, hit -> 'facts', hit ->> 'summary');
    IF alert_id IS NOT NULL THEN
      alerts := alerts || alert_id;
    END IF;
  END LOOP;

  IF hold THEN
    previous_reason := current_setting('drop.reason', true);
    PERFORM set_config('drop.reason', 'AML: ' || CASE WHEN screening = 'hold' THEN 'sanctions screening' ELSE 'held by rules' END
                                      || coalesce(' (' || nullif(array_to_string(fired, ', '), '') || ')', ''), true);
    UPDATE transactions SET status = 'held' WHERE id = t.id;
    PERFORM set_config('drop.reason', coalesce(previous_reason, ''), true);
  END IF;

  RETURN jsonb_build_object(
    'decision', CASE WHEN hold THEN 'hold' WHEN cardinality(fired) > 0 OR screening <> 'clear' THEN 'alert' ELSE 'approve' END,
    'rules', to_jsonb(fired), 'alerts', to_jsonb(alerts), 'screening', screening, 'monitoring', monitoring);
END;
$$;

-- Posts linked legs atomically: all or none. p_legs is a JSON array of
--   {"kind": "posted"|"pending", "code", "debit": account id, "credit": account id, "amount", "currency"}
--   {"kind": "post_pending"|"void_pending", "code", "pending_id"}
-- A balance limit breached by the result fails the whole call with INSUFFICIENT_FUNDS. Shaped by
-- profiling `npm run bench:transfers` (perf on the PostgreSQL backends plus auto_explain of the
-- nested statements; see the issue 5 note):
--   1. Balances are updated *before* the postings are inserted. The postings' foreign keys take a
--      KEY SHARE lock on both accounts; taken after another transaction's UPDATE of a shared
--      account (a bank shard) and before our own, that lock turned the row's xmax into a
--      MultiXact, and every later read of those row versions paid for resolving it (11% of the
--      database's CPU in the profile). Updating first makes us wait for the row, then the foreign
--      key check finds it locked by ourselves and adds nothing.
--   2. Pending postings are looked up by primary key per leg (LATERAL, with OFFSET 0): without it
--      the planner pulled the subquery up into a plain join and, with small-table statistics,
--      hash-joined the legs against a scan of every posting.
--   3. Balance limits are checked in the UPDATE's WHERE clause rather than by catching the CHECK
--      constraint's error (see the comment at the loop), and a second resolution of a pending
--      posting is refused with LEDGER_INVALID before anything moves.
--   4. Accounts are updated in descending id order (one global order, so two posters never wait
--      on each other in a cycle, and the shared accounts come last).
--   5. A change to a system account's (no user_id: bank, fees, FX, partner, suspense shards)
--      pending balance on a side no limit of the account counts (debits_pending of the bank, whose
--      limit is on its credits) is not updated in its row but appended to ledger_pending_deltas,
--      folded in later by ledger_rollup(). So a pay-in reservation, which only adds to a bank
--      shard's debits_pending, updates no shared row (its foreign keys take KEY SHARE locks, which
--      do not wait on each other): with one shard, every transfer used to wait on that row for the
--      previous one's COMMIT (its WAL flush). A column a limit counts always goes to the row, both
--      ways: deferring its decreases would make a post_pending count its amount twice (the pending
--      still in the row, the posted already there) and keep a void's headroom until the roll-up.
--      Posted balances and customer accounts always go to the row.
--   6. One pending or posted leg (every transfer's pay-in reservation, issue 18) takes a fast path:
--      its deltas are PL/pgSQL expressions, and it runs one read of both accounts, an UPDATE per
--      row whose change is not deferred and the INSERTs; the general path's two queries (the legs
--      with their lookups, then the deltas grouped and sorted per account) go. Every statement
--      pays the executor's start-up (ExecInitNode and the like, ~20% of the database's CPU in the
--      profile). Measured on a pay-in reservation, one session calling ledger_post in its own
--      transaction (COMMIT included): a third less backend CPU per call, about 340 µs before and
--      225 µs after (525 and 365 with the machine busy with other work).
--      Same rules as the general path (point 5's deferral, the limits in the UPDATE's WHERE, the
--      lock order, the errors); a leg it does not take (a pending_id, an amount not above zero,
--      debit = credit, no account id) goes to the general path, which refuses it as it always has.
CREATE OR REPLACE FUNCTION ledger_post(p_transaction_id text, p_legs jsonb) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
  kinds text[];
  codes text[];
  pending_ids bigint[];
  debits bigint[];
  credits bigint[];
  amounts bigint[];
  leg_currencies text[];
  bad_pending bigint;
  bad_account text;
  ids bigint[];
  currencies_ text[];
  d_pending bigint[];
  d_posted bigint[];
  c_pending bigint[];
  c_posted bigint[];
  d_deferred bigint[];
  c_deferred bigint[];
  account ledger_accounts;
  leg_kind text;
  leg_code text;
  leg_pending_id bigint;
  leg_debit bigint;
  leg_credit bigint;
  leg_amount bigint;
  leg_currency text;
  debit_deferred boolean;
  credit_deferred boolean;
  leg_account bigint;
  is_debit boolean;
  dp_delta bigint;
  dpo_delta bigint;
  cp_delta bigint;
  cpo_delta bigint;
BEGIN
  -- One pending or posted leg: the fast path (point 6). No error here: ->0 and ->1 of a
  -- non-array or an empty one are NULL, and the general path reports those as before.
  IF p_legs->0->>'kind' IN ('pending', 'posted') AND p_legs->1 IS NULL THEN
    -- Read in jsonb_to_recordset's column order, so a value of the wrong type fails as it did there.
    leg_kind := p_legs->0->>'kind';
    leg_code := p_legs->0->>'code';
    leg_pending_id := (p_legs->0->>'pending_id')::bigint;
    leg_debit := (p_legs->0->>'debit')::bigint;
    leg_credit := (p_legs->0->>'credit')::bigint;
    leg_amount := (p_legs->0->>'amount')::bigint;
    leg_currency := p_legs->0->>'currency';
    IF leg_pending_id IS NULL AND leg_amount > 0 AND leg_debit <> leg_credit THEN
      -- Both accounts exist and hold the currency, and which side's pending change is deferred
      -- (point 5; a posted leg changes only posted balances, never deferred).
      SELECT leg_kind = 'pending' AND d.user_id IS NULL AND NOT d.debits_must_not_exceed_credits,
             leg_kind = 'pending' AND c.user_id IS NULL AND NOT c.credits_must_not_exceed_debits
        INTO debit_deferred, credit_deferred
        FROM ledger_accounts d, ledger_accounts c
       WHERE d.id = leg_debit AND d.currency = leg_currency AND c.id = leg_credit AND c.currency = leg_currency;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'LEDGER_INVALID' USING ERRCODE = 'DR001',
          DETAIL = jsonb_build_object('message', format('Account %s or %s does not hold %s.', leg_debit, leg_credit, leg_currency))::text;
      END IF;
      -- Each account moves on one side only, so a deferred side leaves nothing for its row. The
      -- amount is positive and only adds, so no pending balance goes negative and only a limit can
      -- refuse; the currency was checked above. Descending id order, as in the general path.
      FOREACH leg_account IN ARRAY ARRAY[greatest(leg_debit, leg_credit), least(leg_debit, leg_credit)] LOOP
        is_debit := leg_account = leg_debit;
        CONTINUE WHEN CASE WHEN is_debit THEN debit_deferred ELSE credit_deferred END;
        dp_delta := CASE WHEN is_debit AND leg_kind = 'pending' THEN leg_amount ELSE 0 END;
        dpo_delta := CASE WHEN is_debit AND leg_kind = 'posted' THEN leg_amount ELSE 0 END;
        cp_delta := CASE WHEN NOT is_debit AND leg_kind = 'pending' THEN leg_amount ELSE 0 END;
        cpo_delta := CASE WHEN NOT is_debit AND leg_kind = 'posted' THEN leg_amount ELSE 0 END;
        UPDATE ledger_accounts
           SET debits_pending = debits_pending + dp_delta, debits_posted = debits_posted + dpo_delta,
               credits_pending = credits_pending + cp_delta, credits_posted = credits_posted + cpo_delta
         WHERE id = leg_account
           AND (NOT debits_must_not_exceed_credits
                OR debits_pending + dp_delta + debits_posted + dpo_delta <= credits_posted + cpo_delta)
           AND (NOT credits_must_not_exceed_debits
                OR credits_pending + cp_delta + credits_posted + cpo_delta <= debits_posted + dpo_delta);
        IF NOT FOUND THEN
          RAISE EXCEPTION 'INSUFFICIENT_FUNDS' USING ERRCODE = 'DR001',
            DETAIL = jsonb_build_object('account', leg_account, 'message', 'The ledger account would exceed its balance limit.')::text;
        END IF;
      END LOOP;
      IF debit_deferred THEN
        INSERT INTO ledger_pending_deltas (account_id, debits_pending, credits_pending) VALUES (leg_debit, leg_amount, 0);
      END IF;
      IF credit_deferred THEN
        INSERT INTO ledger_pending_deltas (account_id, debits_pending, credits_pending) VALUES (leg_credit, 0, leg_amount);
      END IF;
      INSERT INTO ledger_transfers (transaction_id, code, kind, debit_account_id, credit_account_id, amount, currency)
      VALUES (p_transaction_id, leg_code, leg_kind, leg_debit, leg_credit, leg_amount, leg_currency);
      RETURN;
    END IF;
  END IF;

  -- The legs, resolutions completed from the pending posting they name. A resolution must name a
  -- pending posting not yet resolved (a concurrent second resolution is refused below, by the
  -- pending balance it would take negative, or by the unique pending_id).
  SELECT array_agg(l.kind), array_agg(l.code), array_agg(l.pending_id),
         array_agg(coalesce(p.debit_account_id, l.debit)), array_agg(coalesce(p.credit_account_id, l.credit)),
         array_agg(coalesce(p.amount, l.amount)), array_agg(coalesce(p.currency, l.currency)),
         min(l.pending_id) FILTER (WHERE l.kind IN ('post_pending', 'void_pending')
                                   AND (p.kind IS DISTINCT FROM 'pending' OR p.resolved)),
         min(format('Account %s or %s does not hold %s.', coalesce(p.debit_account_id, l.debit),
                    coalesce(p.credit_account_id, l.credit), coalesce(p.currency, l.currency)))
           FILTER (WHERE NOT (a.debit_ok AND a.credit_ok))
    INTO kinds, codes, pending_ids, debits, credits, amounts, leg_currencies, bad_pending, bad_account
    FROM jsonb_to_recordset(p_legs) AS l(kind text, code text, pending_id bigint, debit bigint, credit bigint, amount bigint, currency text)
    LEFT JOIN LATERAL (
      SELECT lt.kind, lt.debit_account_id, lt.credit_account_id, lt.amount, lt.currency,
             EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.pending_id = lt.id) AS resolved
        FROM ledger_transfers lt WHERE lt.id = l.pending_id OFFSET 0
    ) p ON true
    -- Both accounts exist and hold the leg's currency (scalar subqueries: always primary-key lookups).
    CROSS JOIN LATERAL (
      SELECT coalesce((SELECT da.currency = coalesce(p.currency, l.currency) FROM ledger_accounts da
                        WHERE da.id = coalesce(p.debit_account_id, l.debit)), false) AS debit_ok,
             coalesce((SELECT ca.currency = coalesce(p.currency, l.currency) FROM ledger_accounts ca
                        WHERE ca.id = coalesce(p.credit_account_id, l.credit)), false) AS credit_ok
    ) a;
  IF bad_pending IS NOT NULL THEN
    RAISE EXCEPTION 'LEDGER_INVALID' USING ERRCODE = 'DR001',
      DETAIL = jsonb_build_object('message', format('Posting %s is not an unresolved pending posting.', bad_pending))::text;
  END IF;
  IF bad_account IS NOT NULL THEN
    RAISE EXCEPTION 'LEDGER_INVALID' USING ERRCODE = 'DR001', DETAIL = jsonb_build_object('message', bad_account)::text;
  END IF;

  -- What each account's four balances move by, in descending account id: one global order, so
  -- two posters never wait on each other in a cycle. Descending because the shared accounts (bank
  -- shards, fees, FX) are created first and so have the lowest ids: they are locked last and held
  -- for the shortest time, which is what bounds throughput on a hot account.
  -- The pending changes of a system account on a side no limit counts are deferred (point 5).
  SELECT array_agg(account_id ORDER BY account_id DESC), array_agg(currency ORDER BY account_id DESC),
         array_agg(dp - dp_deferred ORDER BY account_id DESC), array_agg(dpo ORDER BY account_id DESC),
         array_agg(cp - cp_deferred ORDER BY account_id DESC), array_agg(cpo ORDER BY account_id DESC),
         array_agg(dp_deferred ORDER BY account_id DESC), array_agg(cp_deferred ORDER BY account_id DESC)
    INTO ids, currencies_, d_pending, d_posted, c_pending, c_posted, d_deferred, c_deferred
    FROM (
      SELECT deltas.*,
             CASE WHEN sa.id IS NOT NULL AND NOT sa.debits_must_not_exceed_credits THEN deltas.dp ELSE 0 END AS dp_deferred,
             CASE WHEN sa.id IS NOT NULL AND NOT sa.credits_must_not_exceed_debits THEN deltas.cp ELSE 0 END AS cp_deferred
        FROM (
      SELECT m.account_id, m.currency, sum(m.dp)::bigint AS dp, sum(m.dpo)::bigint AS dpo,
             sum(m.cp)::bigint AS cp, sum(m.cpo)::bigint AS cpo
        FROM unnest(kinds, debits, credits, amounts, leg_currencies) AS leg(kind, debit, credit, amount, currency)
        CROSS JOIN LATERAL (
          SELECT CASE leg.kind WHEN 'pending' THEN leg.amount WHEN 'posted' THEN 0 ELSE -leg.amount END AS pending_delta,
                 CASE WHEN leg.kind IN ('posted', 'post_pending') THEN leg.amount ELSE 0 END AS posted_delta
        ) d
        CROSS JOIN LATERAL (VALUES
          (leg.debit, leg.currency, d.pending_delta, d.posted_delta, 0::bigint, 0::bigint),
          (leg.credit, leg.currency, 0::bigint, 0::bigint, d.pending_delta, d.posted_delta)
        ) AS m(account_id, currency, dp, dpo, cp, cpo)
       GROUP BY m.account_id, m.currency
        ) deltas
        -- Scalar-equivalent primary-key lookup; a missing account or another currency is refused below.
        LEFT JOIN ledger_accounts sa ON sa.id = deltas.account_id AND sa.currency = deltas.currency AND sa.user_id IS NULL
    ) split;

  -- Balance limits (and non-negative pending balances) are checked in the UPDATE's own WHERE
  -- clause; the CHECK constraints stay as the backstop. Catching the constraint's error instead
  -- would open a subtransaction per account, and every UPDATE in one gets its own transaction id,
  -- which every later reader of the row then has to map back to its parent through pg_subtrans.
  FOR i IN 1 .. coalesce(array_length(ids, 1), 0) LOOP
    -- Nothing left for the row (a pay-in reservation's bank shard): not updated, so not locked for
    -- update. Its existence and currency were checked above, and the posting's foreign key checks it again.
    CONTINUE WHEN d_pending[i] = 0 AND d_posted[i] = 0 AND c_pending[i] = 0 AND c_posted[i] = 0;
    UPDATE ledger_accounts
       SET debits_pending = debits_pending + d_pending[i], debits_posted = debits_posted + d_posted[i],
           credits_pending = credits_pending + c_pending[i], credits_posted = credits_posted + c_posted[i]
     WHERE id = ids[i] AND currency = currencies_[i]
       AND debits_pending + d_pending[i] >= 0 AND credits_pending + c_pending[i] >= 0
       AND (NOT debits_must_not_exceed_credits
            OR debits_pending + d_pending[i] + debits_posted + d_posted[i] <= credits_posted + c_posted[i])
       AND (NOT credits_must_not_exceed_debits
            OR credits_pending + c_pending[i] + credits_posted + c_posted[i] <= debits_posted + d_posted[i]);
    IF NOT FOUND THEN
      SELECT * INTO account FROM ledger_accounts WHERE id = ids[i] AND currency = currencies_[i];
      IF NOT FOUND THEN
        RAISE EXCEPTION 'LEDGER_INVALID' USING ERRCODE = 'DR001',
          DETAIL = jsonb_build_object('message', format('Account %s does not hold %s.', ids[i], currencies_[i]))::text;
      END IF;
      IF account.debits_pending + d_pending[i] < 0 OR account.credits_pending + c_pending[i] < 0 THEN
        RAISE EXCEPTION 'LEDGER_INVALID' USING ERRCODE = 'DR001',
          DETAIL = jsonb_build_object('message', 'A pending posting was resolved twice.')::text;
      END IF;
      RAISE EXCEPTION 'INSUFFICIENT_FUNDS' USING ERRCODE = 'DR001',
        DETAIL = jsonb_build_object('account', ids[i], 'message', 'The ledger account would exceed its balance limit.')::text;
    END IF;
  END LOOP;

  INSERT INTO ledger_pending_deltas (account_id, debits_pending, credits_pending)
  SELECT t.id, t.dp, t.cp FROM unnest(ids, d_deferred, c_deferred) AS t(id, dp, cp) WHERE t.dp <> 0 OR t.cp <> 0;

  INSERT INTO ledger_transfers (transaction_id, code, kind, pending_id, debit_account_id, credit_account_id, amount, currency)
  SELECT p_transaction_id, leg.code, leg.kind, leg.pending_id, leg.debit, leg.credit, leg.amount, leg.currency
    FROM unnest(codes, kinds, pending_ids, debits, credits, amounts, leg_currencies)
         WITH ORDINALITY AS leg(code, kind, pending_id, debit, credit, amount, currency, n)
   ORDER BY leg.n;
END;
$$;

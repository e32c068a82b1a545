-- Up Migration

-- A posting's accounts hold its currency, as a constraint: the foreign keys from a posting to its
-- two accounts carry the currency, (account, currency) → ledger_accounts (id, currency), in place
-- of one to each account and one to currencies (ledger_accounts.currency references currencies,
-- so the currency is still a known one). ledger_post already refused a leg whose accounts hold
-- another currency; now the schema does too, for every writer.
--
-- And one hot row less: the foreign key to currencies locked the currency's row (FOR KEY SHARE)
-- in every posting, so every transfer of the whole system locked the NOK row; concurrent lockers
-- share a row lock through a MultiXact, created and WAL-logged anew as each one joins. The
-- accounts' rows are locked by the account foreign keys anyway (issue 18, `npm run
-- bench:transfers`, BENCH_WHAT_IF=no-foreign-keys: the foreign keys' row locks were ~10 of the
-- 54 WAL records per transfer).
--
-- NOT VALID, then VALIDATE: the check of the existing postings takes a SHARE UPDATE EXCLUSIVE
-- lock only, so postings go on meanwhile.
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_id_currency_key UNIQUE (id, currency);
ALTER TABLE ledger_transfers
  ADD CONSTRAINT ledger_transfers_debit_account_fkey FOREIGN KEY (debit_account_id, currency)
    REFERENCES ledger_accounts (id, currency) NOT VALID,
  ADD CONSTRAINT ledger_transfers_credit_account_fkey FOREIGN KEY (credit_account_id, currency)
    REFERENCES ledger_accounts (id, currency) NOT VALID;
ALTER TABLE ledger_transfers VALIDATE CONSTRAINT ledger_transfers_debit_account_fkey;
ALTER TABLE ledger_transfers VALIDATE CONSTRAINT ledger_transfers_credit_account_fkey;
ALTER TABLE ledger_transfers
  DROP CONSTRAINT ledger_transfers_debit_account_id_fkey,
  DROP CONSTRAINT ledger_transfers_credit_account_id_fkey,
  DROP CONSTRAINT ledger_transfers_currency_fkey;

-- Down Migration
ALTER TABLE ledger_transfers
  ADD CONSTRAINT ledger_transfers_debit_account_id_fkey FOREIGN KEY (debit_account_id) REFERENCES ledger_accounts (id),
  ADD CONSTRAINT ledger_transfers_credit_account_id_fkey FOREIGN KEY (credit_account_id) REFERENCES ledger_accounts (id),
  ADD CONSTRAINT ledger_transfers_currency_fkey FOREIGN KEY (currency) REFERENCES currencies (code),
  DROP CONSTRAINT ledger_transfers_debit_account_fkey,
  DROP CONSTRAINT ledger_transfers_credit_account_fkey;
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_id_currency_key;

-- Up Migration

-- ISO 4217 names CNY "Yuan Renminbi": the name packages/core/src/money/currencies.ts already
-- gives it. The two tables now agree, and packages/core/src/money/currencies.test.ts keeps them so.
UPDATE currencies SET name = 'Chinese yuan renminbi' WHERE code = 'CNY';

-- Down Migration
UPDATE currencies SET name = 'Chinese yuan' WHERE code = 'CNY';

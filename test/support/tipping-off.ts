/**
 * The search behind the tipping-off tests (hvitvaskingsloven § 26): does something a customer can
 * see (an API answer, a page, an email, a receipt's text) show that Drop raised an alert, opened a
 * case or reported them? Used by apps/api/test/tipping-off.test.ts and the customer app's browser
 * test of a held transfer.
 */

/**
 * Words that name AML work, matched as whole words in any letter case (Unicode-aware, so
 * "Økokrim" counts). Exceptions are deliberate and few: "held"/"stanset" (a held transfer is
 * shown as held: the customer must know their money waits, not why) and the KYC status
 * "on_hold"; "review" (KYC is "in review"); the source-of-funds question (it is asked, never
 * explained). "case" would also match English prose about anything, which the customer's
 * answers do not contain; "str" cannot hide inside an id (ids are one word).
 */
export const AML_WORDS =
  /(?<![\p{L}\p{N}_])(alerts?|aml|sanctions?|sanctioned|sanksjon\p{L}*|peps?|politically exposed|politisk eksponert\p{L}*|suspicious|suspicion|mistenkelig\p{L}*|mistanke|strs?|økokrim|okokrim|goaml|altinn|cases?|screening|screened|compliance|hvitvask\p{L}*|money laundering|frozen|freeze|four[ -]eyes|fire øyne|ofac|sdn|watchlists?)(?![\p{L}\p{N}_])/giu;

/** Where a body shows AML work: each hit with a little context, empty when it shows none. */
export function tracesIn(body: string, planted: readonly string[]): string[] {
  const hits: string[] = [];
  const around = (index: number, length: number) => JSON.stringify(body.slice(Math.max(0, index - 40), index + length + 40));
  for (const match of body.matchAll(AML_WORDS)) hits.push(`word "${match[0]}" in ${around(match.index, match[0].length)}`);
  const lower = body.toLowerCase();
  for (const needle of planted) {
    const index = lower.indexOf(needle.toLowerCase());
    if (index >= 0) hits.push(`"${needle}" in ${around(index, needle.length)}`);
  }
  return hits;
}

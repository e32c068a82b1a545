import { createInterface } from 'node:readline';
import { ALERT_THRESHOLD, type ScreeningIndex, type ScreeningMatch } from '@drop/screening';
import type { Command } from 'commander';
import { z } from 'zod';
import { type CliContext, withServices } from '../context.ts';

/** One line of input. */
const screeningQuery = z.strictObject({
  name: z.string().trim().min(1).max(500),
  schema: z.enum(['Person', 'Organization']),
  birthDate: z
    .string()
    .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'YYYY, YYYY-MM or YYYY-MM-DD')
    .optional(),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'an ISO 3166-1 alpha-2 code')
    .transform((code) => code.toUpperCase())
    .optional(),
});

/** The most matches written for one query; a name with more than this many listed namesakes at or above the threshold is rare. */
const MATCH_LIMIT = 50;

export function registerScreen(program: Command, context: () => CliContext): void {
  program
    .command('screen')
    .description(
      'Screen names in bulk against the current version of every list: one JSON query per line on stdin ' +
        '({"name", "schema": "Person"|"Organization", "birthDate"?, "country"?}), one JSON line per query on stdout, in order: ' +
        `{"matches": [{"id": "<list>:<key>", "score", "name", …}]}, best first, only matches at or above the alert threshold (${ALERT_THRESHOLD}). ` +
        'A line that is not a query gets {"error": {"code", "message"}} and the rest go on.',
    )
    .option('--explain', 'add each match’s explanation (the names compared, per-feature scores, notes)')
    .action(async (options: { explain?: boolean }) => {
      const ctx = context();
      await withServices(ctx, async (services) => {
        const { index, versions } = await services.screening.current();
        if (versions.length === 0) {
          console.error('No sanctions list is loaded: every name comes out clear. Import lists with `drop lists import` first.');
        }
        await screenLines(index, options.explain ?? false);
      });
    });
}

async function screenLines(index: ScreeningIndex, explain: boolean): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    const answer = screenLine(index, line, explain);
    if (!process.stdout.write(`${JSON.stringify(answer)}\n`)) {
      await new Promise((resolve) => process.stdout.once('drain', resolve));
    }
  }
}

function screenLine(index: ScreeningIndex, line: string, explain: boolean): object {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    return { error: { code: 'VALIDATION_FAILED', message: 'The line is not JSON.' } };
  }
  const query = screeningQuery.safeParse(input);
  if (!query.success) {
    const issues = query.error.issues.map((issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`);
    return { error: { code: 'VALIDATION_FAILED', message: issues.join('; ') } };
  }
  const matches = index.screen(query.data, { threshold: ALERT_THRESHOLD, limit: MATCH_LIMIT });
  return { matches: matches.map((match) => shown(match, explain)) };
}

function shown(match: ScreeningMatch, explain: boolean): object {
  const { explanation, ...rest } = match;
  return {
    id: rest.id,
    score: Math.round(rest.score * 10_000) / 10_000,
    name: rest.name,
    matchedName: rest.matchedName,
    list: rest.list,
    key: rest.key,
    schema: rest.schema,
    topics: rest.topics,
    programmes: rest.programmes,
    recordHash: rest.recordHash,
    ...(explain ? { explanation } : {}),
  };
}

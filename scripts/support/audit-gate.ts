/**
 * The dependency audit gate's decisions, kept apart from running npm so a test can feed it
 * recorded `npm audit --json` reports: which advisories the report names, which of them the
 * reviewed allowlist (audit-allowlist.json) accepts, and which allowances have expired.
 *
 * An allowance names one advisory (its GHSA id) in one package, with the reason it is accepted,
 * who reviewed it and the date it ends. It is temporary by design: at most ALLOWANCE_MAX_DAYS
 * long, and an expired one fails the gate even when the advisory is gone, so the list is looked
 * at again rather than growing stale.
 */
import { z } from 'zod';

export const ALLOWANCE_MAX_DAYS = 180;

const GHSA = /^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/;

export const allowance = z
  .object({
    id: z.string().regex(GHSA, 'must be a GitHub advisory id, GHSA-xxxx-xxxx-xxxx'),
    package: z.string().min(1),
    reason: z.string().min(20, 'say why the advisory does not affect Drop, or what mitigates it'),
    reviewer: z.string().min(2),
    expires: z.iso.date(),
  })
  .strict();
export type Allowance = z.infer<typeof allowance>;

export const allowlistFile = z.object({ allowances: z.array(allowance) }).strict();
export type Allowlist = z.infer<typeof allowlistFile>;

/** One advisory against one package, as `npm audit --json` (report version 2) names it in `via`. */
export interface Advisory {
  id: string;
  package: string;
  severity: string;
  title: string;
  url: string;
  range: string;
}

/** What the report says, or why there is no report: npm's error body when the audit endpoint failed. */
export type AuditReport = { ok: true; advisories: Advisory[]; dependencies: number } | { ok: false; reason: string };

const viaAdvisory = z.object({
  source: z.union([z.number(), z.string()]).optional(),
  name: z.string(),
  title: z.string().default(''),
  url: z.string().default(''),
  severity: z.string().default('unknown'),
  range: z.string().default(''),
});
const auditJson = z.object({
  auditReportVersion: z.literal(2),
  vulnerabilities: z.record(z.string(), z.object({ via: z.array(z.union([z.string(), viaAdvisory])) })),
  metadata: z.object({ dependencies: z.object({ total: z.number() }).passthrough() }).passthrough(),
});

/**
 * Reads `npm audit --json` output. Anything other than a version 2 report (npm prints a JSON error
 * body when the registry refuses or cannot be reached) is "no report", with npm's own message.
 */
export function parseAuditReport(stdout: string): AuditReport {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    return { ok: false, reason: `npm audit printed no JSON: ${stdout.trim().slice(0, 200) || '(nothing)'}` };
  }
  const parsed = auditJson.safeParse(json);
  if (!parsed.success) {
    const error = json as { message?: unknown; error?: { summary?: unknown; code?: unknown } };
    const message = [error?.message, error?.error?.code, error?.error?.summary].filter((part) => typeof part === 'string' && part !== '');
    return { ok: false, reason: message.length > 0 ? message.join(': ') : 'npm audit printed no audit report' };
  }
  const advisories = new Map<string, Advisory>();
  for (const vulnerability of Object.values(parsed.data.vulnerabilities)) {
    for (const via of vulnerability.via) {
      // A string names another vulnerable package this one depends on; that package's entry holds the advisory.
      if (typeof via === 'string') continue;
      const id = /GHSA(-[a-z0-9]{4}){3}/i.exec(via.url)?.[0] ?? `npm-${String(via.source ?? 'unknown')}`;
      advisories.set(`${id} ${via.name}`, {
        id,
        package: via.name,
        severity: via.severity,
        title: via.title,
        url: via.url,
        range: via.range,
      });
    }
  }
  return {
    ok: true,
    advisories: [...advisories.values()].sort((a, b) => `${a.package} ${a.id}`.localeCompare(`${b.package} ${b.id}`)),
    dependencies: parsed.data.metadata.dependencies.total,
  };
}

export interface GateVerdict {
  passed: boolean;
  /** Advisories in the report that no allowance (valid today) accepts. */
  unallowed: Advisory[];
  /** Advisories an allowance accepts. */
  allowed: Array<{ advisory: Advisory; allowance: Allowance }>;
  /** Allowances past their date: each fails the gate until removed or renewed by a new review. */
  expired: Allowance[];
  /** Allowances longer than ALLOWANCE_MAX_DAYS from today: each fails the gate. */
  tooLong: Allowance[];
  /** Allowances whose advisory the report no longer names: remove them (a warning, not a failure). */
  unused: Allowance[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** `today` is a YYYY-MM-DD date (UTC); an allowance holds through its `expires` day. */
export function judge(advisories: readonly Advisory[], allowlist: Allowlist, today: string): GateVerdict {
  const isExpired = (entry: Allowance) => entry.expires < today;
  const isTooLong = (entry: Allowance) => (Date.parse(entry.expires) - Date.parse(today)) / DAY_MS > ALLOWANCE_MAX_DAYS;
  const matches = (entry: Allowance, advisory: Advisory) =>
    entry.id.toLowerCase() === advisory.id.toLowerCase() && entry.package === advisory.package;

  const unallowed: Advisory[] = [];
  const allowed: GateVerdict['allowed'] = [];
  for (const advisory of advisories) {
    const entry = allowlist.allowances.find((candidate) => matches(candidate, advisory) && !isExpired(candidate));
    if (entry) allowed.push({ advisory, allowance: entry });
    else unallowed.push(advisory);
  }
  const expired = allowlist.allowances.filter(isExpired);
  const tooLong = allowlist.allowances.filter(isTooLong);
  const unused = allowlist.allowances.filter((entry) => !isExpired(entry) && !advisories.some((advisory) => matches(entry, advisory)));
  return { passed: unallowed.length === 0 && expired.length === 0 && tooLong.length === 0, unallowed, allowed, expired, tooLong, unused };
}

/** The gate's report for people: one line per finding. */
export function describeVerdict(verdict: GateVerdict): string[] {
  const lines: string[] = [];
  for (const advisory of verdict.unallowed)
    lines.push(
      `NOT ALLOWED ${advisory.severity} ${advisory.id} in ${advisory.package} ${advisory.range}: ${advisory.title} ${advisory.url}`,
    );
  for (const entry of verdict.expired)
    lines.push(`EXPIRED allowance ${entry.id} for ${entry.package} (ended ${entry.expires}, reviewed by ${entry.reviewer})`);
  for (const entry of verdict.tooLong)
    lines.push(`TOO LONG allowance ${entry.id} for ${entry.package}: ${entry.expires} is more than ${ALLOWANCE_MAX_DAYS} days away`);
  for (const { advisory, allowance: entry } of verdict.allowed)
    lines.push(`allowed ${advisory.severity} ${advisory.id} in ${advisory.package} until ${entry.expires}: ${entry.reason}`);
  for (const entry of verdict.unused)
    lines.push(`unused allowance ${entry.id} for ${entry.package}: the report no longer names it, remove it`);
  return lines;
}

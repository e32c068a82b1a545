import { readFile } from 'node:fs/promises';
import {
  type AffectedUsersReport,
  affectedUsersReportSchema,
  blanksIn,
  customerFacingCategories,
  DomainError,
  datatilsynetDeadline,
  listAffectedUsers,
  type NoticeLanguage,
  recordAuditEvent,
  renderCustomerNotice,
  renderDatatilsynetNotice,
  sendCustomerBreachNotices,
  staffActingAs,
} from '@drop/core';
import type { Command } from 'commander';
import { type CliContext, withServices } from '../context.ts';
import { reportingDomainErrors } from './users.ts';

/**
 * `drop incident …`: the DR runbook's security-incident scenario after containment. Who was
 * touched (`affected-users`, from sessions, a window or a staff account), then the notices:
 * to Datatilsynet within 72 hours (art. 33) and to the customers (art. 34), the latter mailed
 * with `--send` by an admin. Every run is audited.
 */
export function registerIncident(program: Command, context: () => CliContext): void {
  const incident = program
    .command('incident')
    .description('Security incidents: who was affected, and the breach notices (Datatilsynet, customers)');

  incident
    .command('affected-users')
    .description('List the customers a security incident touched: by sessions, a time window (and IP), or a staff account')
    .option('--sessions <ids>', 'compromised customer sessions, comma-separated (ses_…,ses_…)')
    .option('--sessions-file <file>', 'a file of session ids (one per line, or separated by commas/spaces; # starts a comment)')
    .option('--from <iso>', 'start of the window (ISO 8601)')
    .option('--to <iso>', 'end of the window (ISO 8601)')
    .option('--ip <address>', 'with a window: only sessions from this IP address')
    .option('--staff <email>', 'a compromised staff account: customers whose records it changed (in the window, if given)')
    .option('--as <email>', 'the staff member asking (recorded in the audit log; otherwise the OS user)')
    .option('--json', 'the whole report as JSON (what `drop incident notice --affected` reads)')
    .option('--csv', 'one row per customer, as CSV')
    .action(
      async (options: {
        sessions?: string;
        sessionsFile?: string;
        from?: string;
        to?: string;
        ip?: string;
        staff?: string;
        as?: string;
        json?: boolean;
        csv?: boolean;
      }) => {
        await reportingDomainErrors(async () => {
          const sessionIds = [
            ...splitIds(options.sessions ?? ''),
            ...(options.sessionsFile ? splitIds(stripComments(await readFile(options.sessionsFile, 'utf8'))) : []),
          ];
          const report = await withServices(context(), async (services) => {
            const actor = options.as ? (await staffActingAs(services.db, options.as, 'customers')).id : context().actor;
            return listAffectedUsers(
              services.db,
              {
                sessionIds,
                ...(options.from ? { from: isoDate('--from', options.from) } : {}),
                ...(options.to ? { to: isoDate('--to', options.to) } : {}),
                ...(options.ip ? { ip: options.ip } : {}),
                ...(options.staff ? { staffEmail: options.staff } : {}),
              },
              { actor },
            );
          });
          if (options.json) console.log(JSON.stringify(report, null, 2));
          else if (options.csv) process.stdout.write(asCsv(report));
          else console.log(asTable(report));
          for (const id of report.unknownSessionIds) console.error(`warning: no session ${id}`);
        });
      },
    );

  incident
    .command('notice')
    .description('Write the breach notice to Datatilsynet (72 hours, art. 33) or to the customers (art. 34); --send mails the customers')
    .requiredOption('--to <whom>', 'datatilsynet or customers')
    .option('--affected <file>', 'the JSON of `drop incident affected-users --json` (counts, categories, recipients)')
    .option('--lang <lang>', 'nb or en (customers: the default when sending is each customer’s own language)')
    .option('--detected-at <iso>', 'when Drop became aware of the breach: the 72 hours run from here (Datatilsynet)')
    .option('--contact <text>', 'contact point: the DPO for Datatilsynet, the address customers write to')
    .option('--reference <text>', 'the incident’s reference (audit log, mail header)')
    .option('--what-happened <text>', 'customers: what happened, in plain words')
    .option('--what-we-did <text>', 'customers: what Drop has done')
    .option('--html', 'customers: print the e-mail’s HTML instead of its text')
    .option('--send', 'customers: send the notice by e-mail to every affected customer (needs --as, an admin)')
    .option('--as <email>', 'the staff member (an admin to --send)')
    .action(
      async (options: {
        to: string;
        affected?: string;
        lang?: string;
        detectedAt?: string;
        contact?: string;
        reference?: string;
        whatHappened?: string;
        whatWeDid?: string;
        html?: boolean;
        send?: boolean;
        as?: string;
      }) => {
        await reportingDomainErrors(async () => {
          if (options.to !== 'datatilsynet' && options.to !== 'customers') {
            throw new DomainError('VALIDATION_FAILED', '--to is datatilsynet or customers.');
          }
          if (options.lang !== undefined && options.lang !== 'nb' && options.lang !== 'en') {
            throw new DomainError('VALIDATION_FAILED', '--lang is nb or en.');
          }
          const lang = options.lang as NoticeLanguage | undefined;
          const report = options.affected ? await readReport(options.affected) : undefined;
          if (options.to === 'datatilsynet') {
            if (options.send)
              throw new DomainError('VALIDATION_FAILED', 'Datatilsynet is notified through its own form: --send is for customers.');
            if (!options.detectedAt)
              throw new DomainError('VALIDATION_FAILED', 'Give --detected-at: the 72 hours run from when Drop became aware.');
            if (!report) throw new DomainError('VALIDATION_FAILED', 'Give --affected FILE (from `drop incident affected-users --json`).');
            const detectedAt = isoDate('--detected-at', options.detectedAt);
            await withServices(context(), async (services) => {
              const actor = options.as ? (await staffActingAs(services.db, options.as, 'customers')).id : context().actor;
              const company = services.config.company;
              const notice = renderDatatilsynetNotice({
                lang: lang ?? 'nb',
                detectedAt,
                now: new Date(),
                report,
                controller: { name: company.name, orgNumber: company.orgNumber, address: company.address },
                ...(options.contact ? { contact: options.contact } : {}),
                ...(options.reference ? { reference: options.reference } : {}),
              });
              await recordAuditEvent(services.db, {
                action: 'incident_notice_prepared',
                resourceType: 'incident',
                actor,
                details: {
                  to: 'datatilsynet',
                  reference: options.reference ?? null,
                  detectedAt: detectedAt.toISOString(),
                  deadline: datatilsynetDeadline(detectedAt).toISOString(),
                  users: report.counts.users,
                },
              });
              process.stdout.write(notice);
              const blanks = blanksIn(notice);
              if (blanks > 0) console.error(`${blanks} blanks marked [[…]] are for a person to fill in before submitting.`);
            });
            return;
          }

          if (options.send) {
            if (!options.as) throw new DomainError('VALIDATION_FAILED', 'Sending needs --as EMAIL of an admin.');
            if (!report) throw new DomainError('VALIDATION_FAILED', 'Give --affected FILE: whom to send to.');
            const asEmail = options.as;
            const result = await withServices(context(), async (services) => {
              const staff = await staffActingAs(services.db, asEmail, 'customers');
              if (staff.role !== 'admin')
                throw new DomainError('FORBIDDEN', `${asEmail} (${staff.role}) is not an admin: only an admin sends breach notices.`);
              if (!services.mailer) throw new DomainError('SERVICE_UNAVAILABLE', 'No mailer: set SMTP_URL.');
              return sendCustomerBreachNotices(services.db, services.mailer, {
                users: report.users,
                staffId: staff.id,
                whatHappened: options.whatHappened ?? '',
                whatWeDid: options.whatWeDid ?? '',
                contact: options.contact ?? '',
                ...(lang ? { lang } : {}),
                ...(options.reference ? { reference: options.reference } : {}),
              });
            });
            console.log(`Sent the breach notice to ${result.sent.length} customers.`);
            if (result.noAddress.length > 0) console.log(`No e-mail address (tell them another way): ${result.noAddress.join(', ')}`);
            for (const failure of result.failed) console.error(`not sent to ${failure.userId}: ${failure.error}`);
            if (result.failed.length > 0) process.exitCode = 1;
            return;
          }

          // A preview: the categories of everyone affected together (compliance records never shown).
          const categories = customerFacingCategories([...new Set(report?.users.flatMap((user) => user.touched) ?? [])]);
          const notice = renderCustomerNotice({
            lang: lang ?? 'nb',
            categories,
            whatHappened: options.whatHappened,
            whatWeDid: options.whatWeDid,
            contact: options.contact,
          });
          await withServices(context(), async (services) => {
            const actor = options.as ? (await staffActingAs(services.db, options.as, 'customers')).id : context().actor;
            await recordAuditEvent(services.db, {
              action: 'incident_notice_prepared',
              resourceType: 'incident',
              actor,
              details: { to: 'customers', reference: options.reference ?? null, lang: lang ?? 'nb', users: report?.counts.users ?? null },
            });
          });
          if (options.html) process.stdout.write(notice.html);
          else process.stdout.write(`Subject: ${notice.subject}\n\n${notice.text}`);
          const blanks = blanksIn(notice.text);
          if (blanks > 0) console.error(`${blanks} blanks marked [[…]]: give --what-happened, --what-we-did and --contact before --send.`);
        });
      },
    );
}

function splitIds(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((id) => id.trim())
    .filter(Boolean);
}

function stripComments(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .join('\n');
}

function isoDate(option: string, value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new DomainError('VALIDATION_FAILED', `${option} is not an ISO 8601 time: ${value}`);
  }
  return date;
}

async function readReport(file: string): Promise<AffectedUsersReport> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new DomainError('VALIDATION_FAILED', `${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = affectedUsersReportSchema.safeParse(json);
  if (!parsed.success) throw new DomainError('VALIDATION_FAILED', `${file} is not a report of \`drop incident affected-users --json\`.`);
  return parsed.data;
}

function asTable(report: AffectedUsersReport): string {
  const rows = report.users.map((user) => [
    user.userId,
    user.email ?? '-',
    user.fullName ?? '-',
    user.touched.join(','),
    user.reasons.join('; '),
  ]);
  const header = ['USER', 'EMAIL', 'NAME', 'TOUCHED', 'WHY'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [
    line(header),
    ...rows.map(line),
    '',
    `${report.counts.users} customers, ${report.counts.sessions} sessions, ${report.counts.records} audited events.`,
    ...report.staffSessions.map(
      (session) => `staff session ${session.id} from ${session.ip ?? '?'}: ${session.createdAt} to ${session.lastSeenAt}`,
    ),
    ...report.caveats.map((caveat) => `Note: ${caveat}`),
  ].join('\n');
}

/** RFC 4180 quoting; a cell that a spreadsheet would run as a formula (=, +, -, @) is prefixed with '. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function asCsv(report: AffectedUsersReport): string {
  const rows = [
    ['user_id', 'email', 'name', 'locale', 'touched', 'sessions', 'reasons'],
    ...report.users.map((user) => [
      user.userId,
      user.email ?? '',
      user.fullName ?? '',
      user.locale,
      user.touched.join(' '),
      user.sessionIds.join(' '),
      user.reasons.join('; '),
    ]),
  ];
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

import {
  changeStaffRole,
  createStaffMember,
  DomainError,
  disableStaffMember,
  enableStaffMember,
  listStaffMembers,
  resetStaffTotp,
  STAFF_ROLES,
  type StaffRole,
  staffActingAs,
} from '@drop/core';
import { type Command, Option } from 'commander';
import { type CliContext, withServices } from '../context.ts';
import { reportingDomainErrors } from './users.ts';

export function registerStaff(program: Command, context: () => CliContext): void {
  const staff = program.command('staff').description('Back-office staff accounts');

  staff
    .command('create')
    .description(
      'Create a staff member and print their one-time enrolment link (valid 72 hours): they set a password and an authenticator app',
    )
    .requiredOption('--email <email>', 'work email, used to sign in')
    .requiredOption('--name <name>', 'full name')
    .addOption(new Option('--role <role>', 'what they may do in the console').choices([...STAFF_ROLES]).makeOptionMandatory())
    .action(async (options: { email: string; name: string; role: StaffRole }) => {
      const ctx = context();
      const created = await withServices(ctx, (services) =>
        createStaffMember(services.db, { ...options, actor: ctx.actor, dataEncryptionKey: ctx.config.auth.dataEncryptionKey }),
      );
      const link = new URL(`/console/enrol?token=${created.enrolmentToken}`, ctx.config.http.publicUrl);
      console.log(`Created ${options.role} ${options.name} <${options.email}> (${created.staffId}).`);
      console.log('Send them this one-time enrolment link (valid for 72 hours, over a channel only they read):');
      console.log(link.href);
    });

  staff
    .command('list')
    .description('Every staff account: role, state (active, invited, locked, disabled), live sessions')
    .action(async () => {
      const members = await withServices(context(), (services) => listStaffMembers(services.db));
      for (const member of members) {
        console.log(`${member.id}  ${member.role.padEnd(18)}  ${member.state.padEnd(8)}  ${member.email}  (${member.name})`);
      }
    });

  // The console's staff administration, for an admin at the command line: the same use cases, the
  // same rules (never one's own account, one active admin kept) and the same audit events.
  const change = (name: string, description: string) =>
    staff
      .command(`${name} <email>`)
      .description(description)
      .requiredOption('--reason <text>', 'why: kept in the audit log')
      .requiredOption('--as <email>', 'the admin making the change (needs staff_admin)');
  const target = async (db: Parameters<typeof listStaffMembers>[0], email: string) => {
    const found = (await listStaffMembers(db)).find((member) => member.email.toLowerCase() === email.trim().toLowerCase());
    if (!found) throw new DomainError('NOT_FOUND', `No staff member ${email}.`);
    return found.id;
  };

  change('disable', 'Disable a staff member: no sign-in, their sessions end at once').action(
    async (email: string, options: { reason: string; as: string }) => {
      await reportingDomainErrors(async () => {
        const ctx = context();
        const done = await withServices(ctx, async (services) => {
          const admin = await staffActingAs(services.db, options.as, 'staff_admin');
          return disableStaffMember(services.db, { staffId: await target(services.db, email), actor: admin.id, reason: options.reason });
        });
        console.log(`Disabled ${done.member.name} <${done.member.email}>; ${done.sessionsEnded} session(s) ended.`);
      });
    },
  );

  change('enable', 'Enable a disabled staff member again').action(async (email: string, options: { reason: string; as: string }) => {
    await reportingDomainErrors(async () => {
      const done = await withServices(context(), async (services) => {
        const admin = await staffActingAs(services.db, options.as, 'staff_admin');
        return enableStaffMember(services.db, { staffId: await target(services.db, email), actor: admin.id, reason: options.reason });
      });
      console.log(`Enabled ${done.member.name} <${done.member.email}>.`);
    });
  });

  change('reset-totp', 'Reset a staff member’s authenticator: sessions end; print their new enrolment link (72 hours)').action(
    async (email: string, options: { reason: string; as: string }) => {
      await reportingDomainErrors(async () => {
        const ctx = context();
        const done = await withServices(ctx, async (services) => {
          const admin = await staffActingAs(services.db, options.as, 'staff_admin');
          return resetStaffTotp(services.db, {
            staffId: await target(services.db, email),
            actor: admin.id,
            reason: options.reason,
            dataEncryptionKey: ctx.config.auth.dataEncryptionKey,
          });
        });
        const link = new URL(`/console/enrol?token=${done.enrolmentToken}`, ctx.config.http.publicUrl);
        console.log(`Reset the authenticator of ${done.member.name} <${done.member.email}>; ${done.sessionsEnded} session(s) ended.`);
        console.log('Send them this one-time enrolment link (valid for 72 hours, over a channel only they read):');
        console.log(link.href);
      });
    },
  );

  change('role', 'Give a staff member another role (from their next request)')
    .addOption(new Option('--role <role>', 'the new role').choices([...STAFF_ROLES]).makeOptionMandatory())
    .action(async (email: string, options: { reason: string; as: string; role: StaffRole }) => {
      await reportingDomainErrors(async () => {
        const done = await withServices(context(), async (services) => {
          const admin = await staffActingAs(services.db, options.as, 'staff_admin');
          return changeStaffRole(services.db, {
            staffId: await target(services.db, email),
            actor: admin.id,
            role: options.role,
            reason: options.reason,
          });
        });
        console.log(`${done.member.name} <${done.member.email}> is now ${done.member.role}.`);
      });
    });
}

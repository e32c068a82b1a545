import { createStaffMember, STAFF_ROLES, type StaffRole } from '@drop/core';
import { type Command, Option } from 'commander';
import { type CliContext, withServices } from '../context.ts';

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
}

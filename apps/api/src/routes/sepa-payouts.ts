/**
 * Money out by SEPA, for staff: export the euro payouts waiting for Drop's own bank as a SEPA
 * credit-transfer file (pain.001.001.09) to upload to the bank, list the files made, and download
 * one again. The bank's statements of the EUR account, imported at /api/staff/bank-files, settle
 * the payouts.
 */
import { envelope, noContent, sepaFileParams, sepaFileRecord, sepaFileSummary, sepaFilesQuery } from '@drop/contracts';
import { exportSepaPayouts, getSepaPayoutFile, listSepaPayoutFiles, type SepaDebtor } from '@drop/core';
import type { Db } from '@drop/db';
import { buildPain001 } from '@drop/integrations';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../auth/staff-access.ts';

export interface SepaPayoutRouteOptions {
  db: Db;
  /** Drop as the payer (SEPA_DEBTOR_NAME, SEPA_DEBTOR_IBAN, SEPA_DEBTOR_BIC). */
  debtor: SepaDebtor;
}

export const sepaPayoutRoutes: FastifyPluginAsyncZod<SepaPayoutRouteOptions> = async (app, { db, debtor }) => {
  app.post(
    '/api/staff/payouts/sepa-files',
    {
      config: { staffPolicy: { permission: 'payments_manage' } },
      schema: {
        tags: ['staff'],
        summary: 'Put every euro payout waiting for the bank into a new SEPA credit-transfer file (pain.001.001.09), audited',
        description:
          'The payouts in the file become sent, with their EndToEndId as reference; download the file from ' +
          '/api/staff/payouts/sepa-files/{id}.xml and upload it to the bank. 204 when no payout is waiting.',
        response: { 201: envelope(sepaFileSummary), 204: noContent },
      },
    },
    async (request, reply) => {
      const file = await exportSepaPayouts(db, { debtor, createdBy: staffOf(request).staffId, writeFile: buildPain001 });
      if (!file) return reply.status(204).send(null);
      const { fileId, messageId, count, controlSum } = file;
      return reply.status(201).send({ data: { fileId, messageId, count, controlSum } });
    },
  );

  app.get(
    '/api/staff/payouts/sepa-files',
    {
      config: { staffPolicy: { permission: 'payments_view' } },
      schema: {
        tags: ['staff'],
        summary: 'SEPA payout files exported so far, newest first',
        querystring: sepaFilesQuery,
        response: { 200: envelope(z.array(sepaFileRecord)) },
      },
    },
    async (request) => ({ data: await listSepaPayoutFiles(db, request.query) }),
  );

  app.get(
    '/api/staff/payouts/sepa-files/:id.xml',
    {
      config: { staffPolicy: { permission: 'payments_view' } },
      schema: {
        tags: ['staff'],
        summary: 'One SEPA payout file, exactly as it was exported (application/xml)',
        params: sepaFileParams,
      },
    },
    async (request, reply) => {
      const file = await getSepaPayoutFile(db, request.params.id);
      return reply
        .type('application/xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${file.messageId}.xml"`)
        .send(file.xml);
    },
  );
};

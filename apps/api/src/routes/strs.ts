/**
 * Suspicious-transaction reports for compliance in the console (issue 13): the list and one STR
 * (permission 'str_reports'); drafting from a case, editing, submitting and noting that UD was
 * notified ('str_reports'); approving, returning and filing ('str_approve', a compliance lead,
 * never the drafter: 403 FOUR_EYES_REQUIRED); rejecting one awaiting approval, with why (the same);
 * supporting documents on a draft (the drafter adds and removes them; anyone with 'str_reports'
 * downloads them).
 */
import {
  envelope,
  strApproveRequest,
  strAttachment,
  strAttachmentParams,
  strAttachmentUploadQuery,
  strDetail,
  strDraftContext,
  strDraftContextQuery,
  strDraftRequest,
  strEditRequest,
  strExportQuery,
  strFileRequest,
  strListQuery,
  strParams,
  strRejectRequest,
  strReturnRequest,
  strSummary,
} from '@drop/contracts';
import {
  addStrAttachment,
  approveStr,
  draftStr,
  editStr,
  exportStr,
  fileStr,
  getStr,
  getStrAttachment,
  getStrDraftContext,
  listStrs,
  type NationalIdProtector,
  type ReportingEntitySettings,
  recordStrMfaNotified,
  rejectStr,
  removeStrAttachment,
  returnStr,
  STR_ATTACHMENT_MAX_BYTES,
  STR_ATTACHMENT_TYPES,
  submitStr,
} from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../auth/staff-access.ts';

export const strRoutes: FastifyPluginAsyncZod<{
  db: Db;
  nationalIds: NationalIdProtector;
  reportingEntity: ReportingEntitySettings;
}> = async (app, { db, nationalIds, reportingEntity }) => {
  // An attachment arrives as the raw file (its type in Content-Type, its name in ?fileName=): one
  // file at a time needs no multipart dependency. In this plugin's scope text/plain's default
  // parser (a string) is replaced, so every type is stored byte for byte as sent; a type not
  // listed is 415 UNSUPPORTED_MEDIA_TYPE before any route runs, a larger body 413.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser([...STR_ATTACHMENT_TYPES], { parseAs: 'buffer', bodyLimit: STR_ATTACHMENT_MAX_BYTES }, (_request, body, done) =>
    done(null, body),
  );

  app.get(
    '/api/staff/strs',
    {
      config: { staffPolicy: { permission: 'str_reports' } },
      schema: {
        tags: ['staff'],
        summary: 'STRs, newest first: all, one status (?status=), or those awaiting my approval (?awaitingMyApproval=true)',
        querystring: strListQuery,
        response: { 200: envelope(z.array(strSummary)) },
      },
    },
    async (request) => ({
      data: await listStrs(db, {
        status: request.query.status,
        awaitingApprovalBy: request.query.awaitingMyApproval === 'true' ? staffOf(request).staffId : undefined,
      }),
    }),
  );

  app.get(
    '/api/staff/strs/draft-context',
    {
      config: { staffPolicy: { permission: 'str_reports' } },
      schema: {
        tags: ['staff'],
        summary: 'What an STR drafted from this case can report: the case, its indicators, and the transfers that may be reported',
        querystring: strDraftContextQuery,
        response: { 200: envelope(strDraftContext) },
      },
    },
    async (request) => ({ data: await getStrDraftContext(db, request.query.caseId) }),
  );

  app.post(
    '/api/staff/strs',
    {
      config: { staffPolicy: { permission: 'str_reports' } },
      schema: {
        tags: ['staff'],
        summary:
          'Draft an STR from a case: grounds, the transfers, connected persons and companies; the document is built from Drop’s records',
        body: strDraftRequest,
        response: { 201: envelope(strDetail) },
      },
    },
    async (request, reply) => {
      const { caseId, ...content } = request.body;
      const data = await draftStr(db, { caseId, content, actor: staffOf(request).staffId, nationalIds });
      return reply.code(201).send({ data });
    },
  );

  app.get(
    '/api/staff/strs/:id',
    {
      config: { staffPolicy: { permission: 'str_reports' } },
      schema: {
        tags: ['staff'],
        summary: 'One STR: the document as the FIU will read it, its status and its steps',
        params: strParams,
        response: { 200: envelope(strDetail) },
      },
    },
    async (request) => ({ data: await getStr(db, request.params.id, nationalIds) }),
  );

  app.put(
    '/api/staff/strs/:id',
    {
      config: { staffPolicy: { permission: 'str_reports' } },
      schema: {
        tags: ['staff'],
        summary: 'The drafter edits their draft (403 FORBIDDEN for anyone else, 409 CONFLICT once submitted)',
        params: strParams,
        body: strEditRequest,
        response: { 200: envelope(strDetail) },
      },
    },
    async (request) => ({
      data: await editStr(db, { id: request.params.id, content: request.body, actor: staffOf(request).staffId, nationalIds }),
    }),
  );

  app.post(
    '/api/staff/strs/:id/submit',
    {
      config: { staffPolicy: { permission: 'str_reports' } },
      schema: {
        tags: ['staff'],
        summary: 'The drafter submits their draft for a second person’s approval',
        params: strParams,
        response: { 200: envelope(strDetail) },
      },
    },
    async (request) => ({ data: await submitStr(db, { id: request.params.id, actor: staffOf(request).staffId, nationalIds }) }),
  );

  app.post(
    '/api/staff/strs/:id/approve',
    {
      config: { staffPolicy: { permission: 'str_approve' } },
      schema: {
        tags: ['staff'],
        summary: 'A compliance lead approves an STR awaiting approval; the drafter never can (403 FOUR_EYES_REQUIRED)',
        params: strParams,
        body: strApproveRequest,
        response: { 200: envelope(strDetail) },
      },
    },
    async (request) => ({
      data: await approveStr(db, { id: request.params.id, actor: staffOf(request).staffId, note: request.body.note, nationalIds }),
    }),
  );

  app.post(
    '/api/staff/strs/:id/return',
    {
      config: { staffPolicy: { permission: 'str_approve' } },
      schema: {
        tags: ['staff'],
        summary: 'A compliance lead returns an STR awaiting approval to its drafter with a note',
        params: strParams,
        body: strReturnRequest,
        response: { 200: envelope(strDetail) },
      },
    },
    async (request) => ({
      data: await returnStr(db, { id: request.params.id, actor: staffOf(request).staffId, note: request.body.note, nationalIds }),
    }),
  );

  app.post(
    '/api/staff/strs/:id/reject',
    {
      config: { staffPolicy: { permission: 'str_approve' } },
      schema: {
        tags: ['staff'],
        summary: 'A compliance lead (never the drafter) rejects an STR awaiting approval, with the reason: final, it is not filed',
        params: strParams,
        body: strRejectRequest,
        response: { 200: envelope(strDetail) },
      },
    },
    async (request) => ({
      data: await rejectStr(db, { id: request.params.id, actor: staffOf(request).staffId, reason: request.body.reason, nationalIds }),
    }),
  );

  app.post(
    '/api/staff/strs/:id/file',
    {
      config: { staffPolicy: { permission: 'str_approve' } },
      schema: {
        tags: ['staff'],
        summary: 'A compliance lead records that an approved STR was filed with ØKOKRIM (status filed, filed_at, Altinn’s receipt number)',
        params: strParams,
        body: strFileRequest,
        response: { 200: envelope(strDetail) },
      },
    },
    async (request) => ({
      data: await fileStr(db, {
        id: request.params.id,
        actor: staffOf(request).staffId,
        filingReference: request.body.filingReference,
        nationalIds,
      }),
    }),
  );

  app.post(
    '/api/staff/strs/:id/mfa-notified',
    {
      config: { staffPolicy: { permission: 'str_reports' } },
      schema: {
        tags: ['staff'],
        summary: 'For a sanctions hit: record that the Ministry of Foreign Affairs (UD) was notified, before filing',
        params: strParams,
        response: { 200: envelope(strDetail) },
      },
    },
    async (request) => ({ data: await recordStrMfaNotified(db, { id: request.params.id, actor: staffOf(request).staffId, nationalIds }) }),
  );

  app.get(
    '/api/staff/strs/:id/export',
    {
      config: { staffPolicy: { permission: 'str_reports' } },
      schema: {
        tags: ['staff'],
        summary:
          'An approved or filed STR as a download: goAML 5.0.1 XML, the Altinn MT-0002 content (JSON), or for a sanctions hit the notice to UD (409 otherwise)',
        params: strParams,
        querystring: strExportQuery,
      },
    },
    async (request, reply) => {
      const file = await exportStr(db, {
        id: request.params.id,
        format: request.query.format,
        actor: staffOf(request).staffId,
        entity: reportingEntity,
        nationalIds,
      });
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('cache-control', 'no-store')
        .send(file.body);
    },
  );

  app.post(
    '/api/staff/strs/:id/attachments',
    {
      config: { staffPolicy: { permission: 'str_reports' } },
      bodyLimit: STR_ATTACHMENT_MAX_BYTES,
      schema: {
        tags: ['staff'],
        consumes: [...STR_ATTACHMENT_TYPES],
        summary: 'The drafter attaches a supporting document to a draft STR: PDF, PNG, JPEG, CSV or plain text, at most 10 MB',
        description:
          'Send the file as the body with its Content-Type, and its name in ?fileName=. A PDF, PNG or JPEG must begin with its ' +
          'signature and text must be UTF-8 (422 STR_ATTACHMENT_INVALID); another type is 415, a larger file 413, and an STR that ' +
          'is no longer a draft 409. Nothing is stored when refused.',
        params: strParams,
        querystring: strAttachmentUploadQuery,
        response: { 201: envelope(strAttachment) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const data = await addStrAttachment(db, {
        strId: request.params.id,
        actor: staffOf(request).staffId,
        fileName: request.query.fileName,
        contentType: request.headers['content-type'],
        content: Buffer.isBuffer(body) ? body : Buffer.alloc(0),
      });
      return reply.code(201).send({ data });
    },
  );

  app.get(
    '/api/staff/strs/:id/attachments/:attachmentId',
    {
      config: { staffPolicy: { permission: 'str_reports' } },
      schema: {
        tags: ['staff'],
        summary: 'Download an attachment of an STR (audited)',
        params: strAttachmentParams,
      },
    },
    async (request, reply) => {
      const file = await getStrAttachment(db, {
        strId: request.params.id,
        attachmentId: request.params.attachmentId,
        actor: staffOf(request).staffId,
      });
      // Always a download, never rendered in the console's origin: the browser must not guess the type either.
      return reply
        .type(file.contentType)
        .header('content-disposition', contentDisposition(file.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'no-store')
        .send(file.content);
    },
  );

  app.delete(
    '/api/staff/strs/:id/attachments/:attachmentId',
    {
      config: { staffPolicy: { permission: 'str_reports' } },
      schema: {
        tags: ['staff'],
        summary: 'The drafter removes an attachment from a draft STR',
        params: strAttachmentParams,
      },
    },
    async (request, reply) => {
      await removeStrAttachment(db, {
        strId: request.params.id,
        attachmentId: request.params.attachmentId,
        actor: staffOf(request).staffId,
      });
      return reply.code(204).send();
    },
  );
};

/** `attachment` with an ASCII fallback name and the exact (sanitised) name as RFC 5987 `filename*`. */
function contentDisposition(fileName: string): string {
  const ascii =
    fileName
      .normalize('NFKD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\]/g, '_') || 'vedlegg';
  // RFC 5987 attr-chars: encodeURIComponent leaves ( ) ' * as they are, which filename* may not hold.
  const encoded = encodeURIComponent(fileName).replace(/[()'*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * AML cases for compliance in the console and the CLI: the list (with the overdue view), one case
 * with its timeline, and the casework: open, assign, note, investigate, add an alert, close with
 * an outcome. Reading and working cases both need permission 'str_reports' (officer, lead, admin):
 * a case is where STR work starts, and support has no business there.
 */
import {
  amlCaseAddAlertRequest,
  amlCaseAssignRequest,
  amlCaseCloseRequest,
  amlCaseDetail,
  amlCaseListQuery,
  amlCaseNoteRequest,
  amlCaseOpenRequest,
  amlCaseParams,
  amlCaseStatusRequest,
  amlCaseSummary,
  envelope,
} from '@drop/contracts';
import {
  addAlertToCase,
  assignAmlCase,
  closeAmlCase,
  getAmlCase,
  listAmlCases,
  noteAmlCase,
  openAmlCase,
  startAmlCaseInvestigation,
} from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../auth/staff-access.ts';

const casework = { staffPolicy: { permission: 'str_reports' as const } };

export const caseRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/staff/cases',
    {
      config: casework,
      schema: {
        tags: ['staff'],
        summary:
          'AML cases, overdue first then by due date: the active ones unless ?status= says otherwise; ?overdue=true for the overdue view',
        querystring: amlCaseListQuery,
        response: { 200: envelope(z.array(amlCaseSummary)) },
      },
    },
    async (request) => ({ data: await listAmlCases(db, { status: request.query.status, overdue: request.query.overdue === 'true' }) }),
  );

  app.post(
    '/api/staff/cases',
    {
      config: casework,
      schema: {
        tags: ['staff'],
        summary: 'Open a case for a customer (409 CASE_ALREADY_OPEN naming their open case in details.caseId)',
        body: amlCaseOpenRequest,
        response: { 201: envelope(amlCaseDetail) },
      },
    },
    async (request, reply) => {
      const opened = await openAmlCase(db, { ...request.body, actor: staffOf(request).staffId });
      return reply.status(201).send({ data: opened });
    },
  );

  app.get(
    '/api/staff/cases/:id',
    {
      config: casework,
      schema: {
        tags: ['staff'],
        summary:
          "One case: the customer's summary, its alerts and STRs, and the timeline (casework, transfers, screening, KYC, alerts, recipients)",
        params: amlCaseParams,
        response: { 200: envelope(amlCaseDetail) },
      },
    },
    async (request) => ({ data: await getAmlCase(db, request.params.id) }),
  );

  app.post(
    '/api/staff/cases/:id/assign',
    {
      config: casework,
      schema: {
        tags: ['staff'],
        summary: 'Assign a case to a staff member who works cases (yourself when staffId is left out); 409 CASE_CLOSED when closed',
        params: amlCaseParams,
        body: amlCaseAssignRequest,
        response: { 200: envelope(amlCaseDetail) },
      },
    },
    async (request) => {
      const staff = staffOf(request);
      return {
        data: await assignAmlCase(db, { caseId: request.params.id, staffId: request.body.staffId ?? staff.staffId, actor: staff.staffId }),
      };
    },
  );

  app.post(
    '/api/staff/cases/:id/note',
    {
      config: casework,
      schema: {
        tags: ['staff'],
        summary: "Add a note to a case's timeline",
        params: amlCaseParams,
        body: amlCaseNoteRequest,
        response: { 200: envelope(amlCaseDetail) },
      },
    },
    async (request) => ({
      data: await noteAmlCase(db, { caseId: request.params.id, text: request.body.text, actor: staffOf(request).staffId }),
    }),
  );

  app.post(
    '/api/staff/cases/:id/status',
    {
      config: casework,
      schema: {
        tags: ['staff'],
        summary: 'Move an open case to investigating',
        params: amlCaseParams,
        body: amlCaseStatusRequest,
        response: { 200: envelope(amlCaseDetail) },
      },
    },
    async (request) => ({ data: await startAmlCaseInvestigation(db, { caseId: request.params.id, actor: staffOf(request).staffId }) }),
  );

  app.post(
    '/api/staff/cases/:id/alerts',
    {
      config: casework,
      schema: {
        tags: ['staff'],
        summary: "Add an alert to a case, also another customer's (a network); 409 CONFLICT when it belongs to another case",
        params: amlCaseParams,
        body: amlCaseAddAlertRequest,
        response: { 200: envelope(amlCaseDetail) },
      },
    },
    async (request) => ({
      data: await addAlertToCase(db, { caseId: request.params.id, alertId: request.body.alertId, actor: staffOf(request).staffId }),
    }),
  );

  app.post(
    '/api/staff/cases/:id/close',
    {
      config: casework,
      schema: {
        tags: ['staff'],
        summary:
          'Close a case with an outcome and notes; 409 CASE_STR_UNFILED while an STR of the case is not filed, CASE_STR_NOT_FILED for reported without a filed STR',
        params: amlCaseParams,
        body: amlCaseCloseRequest,
        response: { 200: envelope(amlCaseDetail) },
      },
    },
    async (request) => ({ data: await closeAmlCase(db, { caseId: request.params.id, ...request.body, actor: staffOf(request).staffId }) }),
  );
};

/**
 * AML alerts for compliance in the console: the list, and one alert with why it fired (permission
 * 'aml_alerts'); working one, assign, comment, close with an outcome (permission 'aml_review').
 */
import {
  amlAlert,
  amlAlertAssignRequest,
  amlAlertCloseRequest,
  amlAlertCommentRequest,
  amlAlertDetail,
  amlAlertListQuery,
  amlAlertParams,
  envelope,
} from '@drop/contracts';
import { assignAmlAlert, closeAmlAlert, commentAmlAlert, getAmlAlert, listAmlAlerts } from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../auth/staff-access.ts';

export const amlRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/staff/aml-alerts',
    {
      config: { staffPolicy: { permission: 'aml_alerts' } },
      schema: {
        tags: ['staff'],
        summary: 'AML alerts, newest first: the open ones (runbook 7.1) unless ?status= says otherwise',
        querystring: amlAlertListQuery,
        response: { 200: envelope(z.array(amlAlert)) },
      },
    },
    async (request) => ({ data: await listAmlAlerts(db, request.query) }),
  );

  app.get(
    '/api/staff/aml-alerts/:id',
    {
      config: { staffPolicy: { permission: 'aml_alerts' } },
      schema: {
        tags: ['staff'],
        summary:
          'One AML alert and why it fired: the rule’s facts, customer, transfer, recipient, and for a name match the two names side by side, per-feature scores and the list record',
        params: amlAlertParams,
        response: { 200: envelope(amlAlertDetail) },
      },
    },
    async (request) => ({ data: await getAmlAlert(db, request.params.id) }),
  );

  app.post(
    '/api/staff/aml-alerts/:id/assign',
    {
      config: { staffPolicy: { permission: 'aml_review' } },
      schema: {
        tags: ['staff'],
        summary: 'Assign an open alert to a compliance staff member (yourself when staffId is left out); 409 ALERT_CLOSED when closed',
        params: amlAlertParams,
        body: amlAlertAssignRequest,
        response: { 200: envelope(amlAlertDetail) },
      },
    },
    async (request) => {
      const staff = staffOf(request);
      return {
        data: await assignAmlAlert(db, {
          alertId: request.params.id,
          staffId: request.body.staffId ?? staff.staffId,
          actor: staff.staffId,
        }),
      };
    },
  );

  app.post(
    '/api/staff/aml-alerts/:id/comment',
    {
      config: { staffPolicy: { permission: 'aml_review' } },
      schema: {
        tags: ['staff'],
        summary: "Add a comment to an alert's history",
        params: amlAlertParams,
        body: amlAlertCommentRequest,
        response: { 200: envelope(amlAlertDetail) },
      },
    },
    async (request) => ({
      data: await commentAmlAlert(db, { alertId: request.params.id, text: request.body.text, actor: staffOf(request).staffId }),
    }),
  );

  app.post(
    '/api/staff/aml-alerts/:id/close',
    {
      config: { staffPolicy: { permission: 'aml_review' } },
      schema: {
        tags: ['staff'],
        summary:
          "Close an open alert with an outcome and notes (runbook 7.1's UPDATE); a name match closed as a false positive is cleared for its subject until the list record changes; an alert closed as escalated joins its customer's open case (one is opened when none) and caseId names it; 409 ALERT_CLOSED when closed already",
        params: amlAlertParams,
        body: amlAlertCloseRequest,
        response: { 200: envelope(amlAlertDetail) },
      },
    },
    async (request) => ({
      data: await closeAmlAlert(db, { alertId: request.params.id, ...request.body, actor: staffOf(request).staffId }),
    }),
  );
};

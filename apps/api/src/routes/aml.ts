/** AML alerts for compliance in the console: the list, and one alert with why it fired (permission 'aml_alerts'). */
import { amlAlert, amlAlertDetail, amlAlertListQuery, amlAlertParams, envelope } from '@drop/contracts';
import { getAmlAlert, listAmlAlerts } from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

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
};

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../../test/support/embedded.ts';
import { type SlackReceiver, startSlackReceiver } from '../../../test/support/slack-receiver.ts';
import { createLogger } from './logger.ts';
import { createOpsNotifier, LogOnlyNotifier, type OpsAlert, SlackWebhookNotifier, toSlackMessage } from './ops-notifier.ts';

const silent = createLogger({ level: 'silent' });

const healthDown: OpsAlert = {
  kind: 'health_down',
  severity: 'critical',
  title: 'Health check DOWN: database unreachable',
  detail: 'Runbook 8.2: check the database.',
  fields: { check: 'db', error: 'connection refused' },
};

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    level: 'debug',
    destination: {
      write(chunk: string) {
        lines.push(JSON.parse(chunk) as Record<string, unknown>);
      },
    },
  });
  return { logger, lines };
}

describe('toSlackMessage', () => {
  it('builds the fallback text, a section with the detail and a section of fields', () => {
    assert.deepEqual(toSlackMessage(healthDown, 'staging'), {
      text: ':rotating_light: [staging] Health check DOWN: database unreachable',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*:rotating_light: [staging] Health check DOWN: database unreachable*\nRunbook 8.2: check the database.',
          },
        },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*check*\ndb' },
            { type: 'mrkdwn', text: '*error*\nconnection refused' },
          ],
        },
      ],
      drop: { kind: 'health_down', severity: 'critical', environment: 'staging' },
    });
  });

  it('leaves out the fields section when there are none and caps fields at ten', () => {
    const bare = toSlackMessage({ kind: 'app_started', severity: 'info', title: 'Drop started' }, 'production');
    assert.deepEqual(bare.blocks, [
      { type: 'section', text: { type: 'mrkdwn', text: '*:information_source: [production] Drop started*' } },
    ]);

    const many = toSlackMessage(
      {
        kind: 'error_spike',
        severity: 'warning',
        title: 'many',
        fields: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}`, i])),
      },
      'production',
    );
    const fieldsBlock = many.blocks[1] as { fields: unknown[] };
    assert.equal(fieldsBlock.fields.length, 10);
    assert.ok(many.text.startsWith(':warning: '));
  });
});

describe('SlackWebhookNotifier', () => {
  let receiver: SlackReceiver;
  before(async () => {
    receiver = await startSlackReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  it('posts an alert that arrives with the environment, the title, blocks and its kind, and reports it sent', async () => {
    const outcomes: Array<[string, string]> = [];
    const notifier = new SlackWebhookNotifier({
      url: receiver.url,
      environment: 'production',
      logger: silent,
      onOutcome: (alert, outcome) => outcomes.push([alert.kind, outcome]),
    });
    await notifier.send(healthDown);
    const message = await receiver.waitFor('health_down');
    assert.ok(message.text.includes('[production]'), message.text);
    assert.ok(message.text.includes('Health check DOWN: database unreachable'), message.text);
    assert.deepEqual(message, JSON.parse(JSON.stringify(toSlackMessage(healthDown, 'production'))));
    assert.equal(message.blocks.length, 2);
    assert.deepEqual(message.drop, { kind: 'health_down', severity: 'critical', environment: 'production' });
    assert.deepEqual(outcomes, [['health_down', 'sent']]);
  });

  it('gives up on an unreachable webhook without throwing, reports it failed and logs an error', async () => {
    const closedPort = await freePort();
    const { logger, lines } = capturingLogger();
    const outcomes: Array<[string, string]> = [];
    const notifier = new SlackWebhookNotifier({
      url: `http://127.0.0.1:${closedPort}/services/T000/B000/XXXX`,
      environment: 'production',
      logger,
      onOutcome: (alert, outcome) => outcomes.push([alert.kind, outcome]),
    });
    await notifier.send(healthDown);
    assert.deepEqual(outcomes, [['health_down', 'failed']]);
    assert.equal(lines.filter((line) => line.msg === 'slack webhook attempt failed').length, 3);
    const errors = lines.filter((line) => line.level === 50);
    assert.deepEqual(
      errors.map((line) => [line.msg, line.alert]),
      [['could not deliver operations alert to Slack', 'health_down']],
    );
  });

  it('does not retry a webhook that answers a client error', async () => {
    // Slack answers 404 for a deleted webhook; retrying cannot help.
    let requests = 0;
    const server = createServer((_request, response) => {
      requests++;
      response.writeHead(404).end('no_service');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const outcomes: string[] = [];
      const notifier = new SlackWebhookNotifier({
        url: `http://127.0.0.1:${port}/services/gone`,
        environment: 'staging',
        logger: silent,
        onOutcome: (_alert, outcome) => outcomes.push(outcome),
      });
      await notifier.send(healthDown);
      assert.deepEqual(outcomes, ['failed']);
      assert.equal(requests, 1);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('createOpsNotifier', () => {
  it('without a webhook URL returns the log-only notifier, which logs the alert', async () => {
    const { logger, lines } = capturingLogger();
    const notifier = createOpsNotifier({ slackWebhookUrl: undefined, environment: 'development', logger });
    assert.ok(notifier instanceof LogOnlyNotifier);
    await notifier.send(healthDown);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.msg, 'ops alert: Health check DOWN: database unreachable');
    assert.deepEqual(lines[0]?.alert, healthDown);
  });

  it('with a webhook URL returns a Slack notifier that posts to it', async () => {
    const receiver = await startSlackReceiver();
    try {
      const outcomes: string[] = [];
      const notifier = createOpsNotifier({
        slackWebhookUrl: receiver.url,
        environment: 'staging',
        logger: silent,
        onOutcome: (_alert, outcome) => outcomes.push(outcome),
      });
      assert.ok(notifier instanceof SlackWebhookNotifier);
      await notifier.send({ kind: 'app_started', severity: 'info', title: 'Drop 0.1.0 started' });
      const message = await receiver.waitFor('app_started');
      assert.equal(message.text, ':information_source: [staging] Drop 0.1.0 started');
      assert.deepEqual(outcomes, ['sent']);
      assert.equal(receiver.messages.length, 1);
    } finally {
      await receiver.close();
    }
  });
});

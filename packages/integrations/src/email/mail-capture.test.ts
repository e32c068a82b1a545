import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { type MailCapture, startMailCapture } from './mail-capture.ts';
import { SmtpMailError, SmtpMailer } from './smtp-mailer.ts';

const FROM = 'Drop <hei@drop.example>';

const mail = (to: string, subject = 'Vi har mottatt 1 234,56 kr') => ({
  to,
  subject,
  text: `${subject}\n\nHilsen Drop`,
  html: `<p>${subject}</p>`,
});

async function listening(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

describe('SmtpMailer and the local mail capture', () => {
  let capture: MailCapture;
  let mailer: SmtpMailer;

  before(async () => {
    capture = await startMailCapture();
    mailer = new SmtpMailer({ url: capture.url, from: FROM, timeoutMs: 5000 });
  });
  after(() => capture.close());
  beforeEach(() => capture.clear());

  test('a mail arrives whole: sender, recipient, subject, text, HTML, headers and Norwegian letters', async () => {
    assert.match(capture.url, /^smtp:\/\/127\.0\.0\.1:\d+$/);
    const subject = 'Blåbærsyltetøy – ÆØÅ æøå: 1 234,56 kr er på vei til Åse Ødegård';
    const sent = await mailer.send({
      to: 'kari.nordmann@example.no',
      subject,
      text: 'Hei Kari,\n\nPengene er på vei til Åse Ødegård (æøå ÆØÅ).\n',
      html: '<p>Hei Kari,</p><p>Pengene er på vei til <b>Åse Ødegård</b> (æøå ÆØÅ).</p>',
      headers: { 'X-Drop-Transfer-Id': 'tx_01JQ8Z6K4M2N7P9R3S5T' },
    });
    const received = await capture.waitFor((m) => m.to.includes('kari.nordmann@example.no'));
    assert.equal(received.from, FROM);
    assert.deepEqual(received.to, ['kari.nordmann@example.no']);
    assert.equal(received.subject, subject);
    assert.equal(received.text, 'Hei Kari,\n\nPengene er på vei til Åse Ødegård (æøå ÆØÅ).\n');
    assert.equal(received.html, '<p>Hei Kari,</p><p>Pengene er på vei til <b>Åse Ødegård</b> (æøå ÆØÅ).</p>');
    assert.equal(received.headers['x-drop-transfer-id'], 'tx_01JQ8Z6K4M2N7P9R3S5T');
    assert.equal(received.headers['message-id'], sent.messageId);
    assert.equal(received.headers.subject, subject, 'plain headers are decoded');
    assert.match(received.raw, /^Content-Type: multipart\/alternative/im);
    assert.ok(received.receivedAt instanceof Date);
    assert.equal(capture.messages().length, 1);
  });

  test('two mails to two recipients arrive separately, each to its own recipient only', async () => {
    // Waiting starts before sending: waitFor also sees mail that is still to come.
    const forKari = capture.waitFor((m) => m.to.includes('kari@example.no'));
    const forOla = capture.waitFor((m) => m.to.includes('ola@example.no'));
    await Promise.all([mailer.send(mail('kari@example.no', 'Til Kari')), mailer.send(mail('ola@example.no', 'Til Ola'))]);
    const [kari, ola] = await Promise.all([forKari, forOla]);
    assert.deepEqual([kari.to, kari.subject], [['kari@example.no'], 'Til Kari']);
    assert.deepEqual([ola.to, ola.subject], [['ola@example.no'], 'Til Ola']);
    assert.deepEqual(
      capture
        .messages()
        .map((m) => m.subject)
        .sort(),
      ['Til Kari', 'Til Ola'],
    );
    capture.clear();
    assert.deepEqual(capture.messages(), []);
  });

  test('waitFor gives up with an error that says what did arrive', async () => {
    await mailer.send(mail('kari@example.no', 'Kvittering'));
    const started = Date.now();
    await assert.rejects(
      capture.waitFor((m) => m.to.includes('nobody@example.no'), 150),
      /^Error: No captured mail matched within 150 ms; 1 received: kari@example\.no "Kvittering"\.$/,
    );
    assert.ok(Date.now() - started < 2000);
  });

  test('the capture accepts any login, so a URL with credentials works against it too', async () => {
    const withLogin = new SmtpMailer({ url: capture.url.replace('smtp://', 'smtp://drop%40app:p%C3%A6ss%3Aword@'), from: FROM });
    await withLogin.verify();
    await withLogin.send(mail('kari@example.no'));
    await capture.waitFor((m) => m.to.includes('kari@example.no'));
  });

  test('verify succeeds against a running server and explains a refused connection', async () => {
    await mailer.verify();
    const closed = await startMailCapture();
    await closed.close();
    const nowhere = new SmtpMailer({ url: closed.url, from: FROM, timeoutMs: 2000 });
    await assert.rejects(nowhere.verify(), (error: unknown) => {
      assert.ok(error instanceof SmtpMailError);
      assert.match(error.message, new RegExp(`^Checking the mail server through 127\\.0\\.0\\.1:${closed.port} failed: .*ECONNREFUSED`));
      assert.equal(error.transient, true);
      return true;
    });
  });

  test('a header or address list that would change who gets the mail is refused before anything is sent', async () => {
    await assert.rejects(
      mailer.send({ ...mail('kari@example.no'), headers: { Bcc: 'someone@example.org' } }),
      /The Bcc header is set by the mailer/,
    );
    await assert.rejects(mailer.send({ ...mail('kari@example.no'), headers: { 'X-Bad\r\nBcc': 'x' } }), /not a valid header name/);
    await assert.rejects(mailer.send(mail('kari@example.no, someone@example.org')), /is not a single e-mail address/);
    await assert.rejects(mailer.send(mail('kari@example.no\r\nBcc: someone@example.org')), /is not a single e-mail address/);
    assert.deepEqual(capture.messages(), []);
  });

  test('a message over the size limit is refused with 552, permanently, and not captured', async () => {
    const small = await startMailCapture({ maxMessageBytes: 4096 });
    try {
      const sender = new SmtpMailer({ url: small.url, from: FROM });
      await assert.rejects(sender.send({ ...mail('kari@example.no'), html: `<p>${'ø'.repeat(10_000)}</p>` }), (error: unknown) => {
        assert.ok(error instanceof SmtpMailError);
        assert.equal(error.responseCode, 552);
        assert.match(error.message, /552/);
        assert.equal(error.transient, false);
        return true;
      });
      assert.deepEqual(small.messages(), []);
    } finally {
      await small.close();
    }
  });

  test('requireTls refuses a server that offers no TLS', async () => {
    const strict = new SmtpMailer({ url: capture.url, from: FROM, requireTls: true });
    await assert.rejects(strict.send(mail('kari@example.no')), SmtpMailError);
    assert.deepEqual(capture.messages(), []);
  });
});

describe('SmtpMailer against servers that misbehave', () => {
  test("a recipient the server refuses surfaces as an error carrying the server's reply", async () => {
    const server = new SMTPServer({
      logger: false,
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo: (_address, _session, callback) => callback(Object.assign(new Error('5.1.1 Mailbox does not exist'), { responseCode: 550 })),
    });
    const port = await listening(server.server);
    try {
      const mailer = new SmtpMailer({ url: `smtp://127.0.0.1:${port}`, from: FROM });
      await assert.rejects(mailer.send(mail('gone@example.no')), (error: unknown) => {
        assert.ok(error instanceof SmtpMailError);
        assert.equal(error.responseCode, 550);
        assert.equal(error.command, 'RCPT TO');
        assert.match(error.response ?? '', /^550 5\.1\.1 Mailbox does not exist/);
        assert.match(
          error.message,
          new RegExp(`^Sending mail through 127\\.0\\.0\\.1:${port} failed at RCPT TO: 550 5\\.1\\.1 Mailbox does not exist`),
        );
        assert.equal(error.transient, false);
        return true;
      });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('credentials in the URL are percent-decoded; a wrong password fails with the 535 reply', async () => {
    const server = new SMTPServer({
      logger: false,
      disabledCommands: ['STARTTLS'],
      onAuth: (auth, _session, callback) =>
        auth.username === 'drop@app' && auth.password === 'pæss:word'
          ? callback(null, { user: auth.username })
          : callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 })),
      onData: (stream, _session, callback) => {
        stream.resume();
        stream.on('end', () => callback(null));
      },
    });
    const port = await listening(server.server);
    try {
      const right = new SmtpMailer({ url: `smtp://drop%40app:p%C3%A6ss%3Aword@127.0.0.1:${port}`, from: FROM });
      await right.send(mail('kari@example.no'));
      const wrong = new SmtpMailer({ url: `smtp://drop%40app:guess@127.0.0.1:${port}`, from: FROM });
      await assert.rejects(wrong.send(mail('kari@example.no')), (error: unknown) => {
        assert.ok(error instanceof SmtpMailError);
        assert.equal(error.code, 'EAUTH');
        assert.equal(error.responseCode, 535);
        assert.ok(!error.message.includes('guess'), 'the password stays out of the message');
        assert.equal(error.transient, false);
        return true;
      });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('a server that never greets times out after timeoutMs, as a transient failure', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    const port = await listening(silent);
    try {
      const mailer = new SmtpMailer({ url: `smtp://127.0.0.1:${port}`, from: FROM, timeoutMs: 200 });
      const started = Date.now();
      await assert.rejects(mailer.send(mail('kari@example.no')), (error: unknown) => {
        assert.ok(error instanceof SmtpMailError);
        assert.equal(error.code, 'ETIMEDOUT');
        assert.equal(error.transient, true);
        return true;
      });
      assert.ok(Date.now() - started < 3000, 'gave up on its own deadline, not the 30 s default');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  test('only smtp:// and smtps:// URLs, without query options, are accepted', () => {
    assert.throws(() => new SmtpMailer({ url: 'http://mail.example:25', from: FROM }), /must be smtp:\/\/ or smtps:\/\//);
    assert.throws(() => new SmtpMailer({ url: 'smtp://mail.example:25?tls.rejectUnauthorized=false', from: FROM }), /no query options/);
    assert.throws(() => new SmtpMailer({ url: 'not a url', from: FROM }), /not a URL/);
  });
});

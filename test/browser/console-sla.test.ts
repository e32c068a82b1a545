/**
 * The console's SLA page (issue 15 item 8), in a real Chromium against a real server: an admin
 * opens Operations, goes to the SLA tab, picks November 2026 (seeded: a 17-minute database
 * outage, 4 unrecorded minutes, half a minute down, two error spikes, a slow day) and sees uptime
 * 99,950 %, error rate 0,031 % and p99 ≤ 100 ms, each met, a bar per day with the two days that
 * broke the uptime target in red (and the slow day in the p99 view), and the five incidents with
 * the share of the budget each cost; the next month button moves the URL on; in English it reads
 * in English. Support has no Operations section, so the page is closed to them.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { seedSlaNovember } from '../support/sla.ts';
import { newStaffMember } from '../support/staff.ts';
import { ConsoleSla } from './pages/console-sla.ts';
import { eventually, screenshot, text, useBrowserTestBed, visitApp, WIDE_DESKTOP } from './support.ts';

const DATA_KEY = randomBytes(32).toString('base64');
const PASSWORD = 'en lang setning til konsollen 7';

describe('console: SLA', () => {
  const bed = useBrowserTestBed({ DATA_ENCRYPTION_KEY: DATA_KEY });

  test('an admin reviews November: the three figures against their targets, the days and the incidents', async () => {
    const pool = bed.database.pool;
    await seedSlaNovember(pool);

    const admin = await visitApp(bed, ConsoleSla, { viewport: WIDE_DESKTOP });
    try {
      const { app, page, problems } = admin;
      const staff = await newStaffMember(pool, { role: 'admin', name: 'Ada Admin', dataEncryptionKey: DATA_KEY });
      await app.enrolAndSignIn({ ...staff, password: PASSWORD });
      await app.waitForHeading('Oversikt');
      await app.goto('/console/operations');
      await app.waitForHeading('Drift');
      await page.getByTestId('tab-sla').click();
      await eventually(async () => assert.equal(app.pathname(), '/console/operations/sla'));
      // The month is in the URL, so a review can be linked.
      await app.goto('/console/operations/sla?month=2026-10');
      await app.waitForMonth('2026-10');
      await app.chooseMonth('2026-11');
      assert.match(page.url(), /\/console\/operations\/sla\?month=2026-11$/);

      const uptime = await app.figure('uptime');
      assert.equal(uptime.value, '99,950 %');
      assert.equal(uptime.verdict, 'Nådd');
      assert.match(uptime.text, /Mål ≥ 99,9 %/);
      assert.match(uptime.text, /nede 21,5 min av 43,2 min tillatt/);
      const errors = await app.figure('error-rate');
      assert.equal(errors.value, '0,031 %');
      assert.equal(errors.verdict, 'Nådd');
      assert.match(errors.text, /2 673 serverfeil av 8 639 200 forespørsler/);
      const p99 = await app.figure('p99');
      assert.equal(p99.value, '≤ 100 ms');
      assert.match(p99.text, /Mål ≤ 250 ms/);
      assert.match(
        await text(page.getByTestId('sla-observed')),
        /^Målt fra 1\. nov\.?,? 00:00 UTC til 1\. des\.?,? 00:00 UTC · 2 instanser$/,
      );

      const days = await app.bars();
      assert.equal(days.all.length, 30);
      assert.deepEqual(days.red, ['2026-11-09', '2026-11-20'], 'the outage and the unrecorded minutes broke the day’s target');
      assert.deepEqual(
        (await app.incidents()).map((incident) => [incident.kind, incident.impact, incident.budget]),
        [
          ['database_down', 'nede 17 min', '39,4 %'],
          ['error_spike', '2 550 serverfeil av 3 400 forespørsler', '29,5 %'],
          ['no_samples', 'nede 4 min', '9,3 %'],
          ['error_spike', '120 serverfeil av 600 forespørsler', '1,4 %'],
          ['database_down', 'nede 0,5 min', '1,2 %'],
        ],
      );
      // The first incident: its day and time in UTC.
      assert.match(await text(app.incidentRows().first()), /man\.? 9\. nov\.?\s*02:14–02:31 UTC\s*17 min/);
      await screenshot(page, 'console-sla-november');

      await app.showMetric('p99');
      assert.deepEqual((await app.bars()).red, ['2026-11-22'], 'the slow day');
      await screenshot(page, 'console-sla-november-p99', { fullPage: false });

      await page.getByRole('button', { name: 'Neste måned' }).click();
      await app.waitForMonth('2026-12');
      assert.match(page.url(), /\?month=2026-12$/);

      await app.chooseMonth('2026-11');
      await app.switchLanguage('EN');
      await eventually(async () => assert.equal((await app.figure('uptime')).verdict, 'Met'));
      assert.equal((await app.figure('uptime')).value, '99.950 %');
      assert.match(await text(app.incidentRows().first()), /Database down/);
      await screenshot(page, 'console-sla-november-en');
      assert.deepEqual(await app.unexpectedProblems(problems), []);
    } finally {
      await admin.context.close();
    }

    const support = await visitApp(bed, ConsoleSla, { viewport: WIDE_DESKTOP });
    try {
      const { app, page } = support;
      const staff = await newStaffMember(pool, { role: 'support', name: 'Siri Support', dataEncryptionKey: DATA_KEY });
      await app.enrolAndSignIn({ ...staff, password: PASSWORD });
      await app.waitForHeading('Oversikt');
      await app.goto('/console/operations/sla?month=2026-11');
      await page.getByTestId('no-access').waitFor();
      assert.equal(await page.getByTestId('sla-report').count(), 0);
    } finally {
      await support.context.close();
    }
  });
});

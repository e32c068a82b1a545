/**
 * Server-rendered pages of the Sumsub simulator: the operator dashboard and the WebSDK stand-in.
 * Plain HTML forms, no scripts (the server's CSP is `script-src 'self'`), inline styles only, and a
 * banner on every page saying this is a simulator, not Sumsub.
 */
import { escapeHtml, simulatorPage } from '../html.ts';
import { allowedDecisions, canSubmitDocuments, type Decision, type SimApplicant } from './state.ts';
import type { DeliveryRecord } from './webhooks.ts';

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f2f4f7;color:#1d1d1f;line-height:1.45}
.banner{background:#ffd84d;color:#3a2c00;text-align:center;font-weight:700;padding:.55rem 1rem;border-bottom:3px dashed #3a2c00;letter-spacing:.02em}
header{background:#0b3d91;color:#fff;padding:1rem 1.25rem}
header h1{margin:0;font-size:1.35rem}
header p{margin:.2rem 0 0;opacity:.85;font-size:.9rem}
main{max-width:72rem;margin:1.25rem auto;padding:0 1rem}
main.narrow{max-width:36rem}
.card{background:#fff;border-radius:10px;box-shadow:0 1px 3px rgba(0,0,0,.12);padding:1rem 1.25rem;margin-bottom:1rem;overflow-x:auto}
h2{font-size:1.05rem;margin:0 0 .6rem}
table{border-collapse:collapse;width:100%;font-size:.85rem}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #e3e6ea;vertical-align:top}
th{color:#5b5b60;font-weight:600}
code,.mono{font-family:ui-monospace,monospace;font-size:.8rem;word-break:break-all}
form.inline{display:inline}
button{font:inherit;font-size:.8rem;border-radius:6px;padding:.3rem .6rem;cursor:pointer;border:1px solid #0b3d91;background:#fff;color:#0b3d91;margin:0 .2rem .2rem 0}
button:hover{background:#eef3fc}
button.primary{background:#0b3d91;color:#fff;font-size:1rem;padding:.6rem 1.2rem}
button.danger{border-color:#a33;color:#a33}
.pill{display:inline-block;border-radius:999px;padding:0 .5rem;font-size:.75rem;font-weight:600;background:#e3e6ea}
.GREEN{background:#d7f5dd;color:#145a23}
.RED{background:#fbdcdc;color:#7d1414}
.ok{color:#145a23}
.bad{color:#7d1414}
.fine{color:#5b5b60;font-size:.8rem}
a.cancel{color:#a33;margin-left:1rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem .75rem;margin:0 0 1rem;font-size:.9rem}
dt{color:#5b5b60}
dd{margin:0}
`;

function layout(title: string, body: string, narrow = false): string {
  return simulatorPage({
    title,
    style: STYLE,
    banner:
      '<div class="banner" role="note" data-testid="simulator-banner">SIMULATOR – dette er ikke ekte Sumsub. Kun for utvikling og test.</div>',
    header: '<header><h1>Sumsub (simulator)</h1><p>Lokal identitetsverifisering (KYC) for Drop</p></header>',
    main: body,
    narrow,
  });
}

const DECISION_LABELS: Record<Decision, string> = {
  approve: 'Godkjenn (GREEN)',
  reject_retry: 'Avvis – prøv igjen (RETRY)',
  reject_final: 'Avvis endelig (FINAL)',
  on_hold: 'Sett på vent (onHold)',
  downgrade: 'Nedgrader (RED FINAL)',
};

function formatTime(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

function answerCell(applicant: SimApplicant): string {
  const result = applicant.reviewResult;
  if (!result) return '<span class="fine">–</span>';
  const details = [result.reviewRejectType, result.rejectLabels?.join(', ')].filter(Boolean).join(' · ');
  return `<span class="pill ${result.reviewAnswer}">${escapeHtml(result.reviewAnswer)}</span>${
    details ? ` <span class="fine">${escapeHtml(details)}</span>` : ''
  }`;
}

function personName(applicant: SimApplicant | undefined): string | undefined {
  const info = applicant?.fixedInfo;
  if (!info) return undefined;
  const name = [info.firstName, info.lastName].filter((part) => typeof part === 'string' && part).join(' ');
  return name || undefined;
}

export interface DashboardInput {
  mountPath: string;
  webhookUrl: string;
  applicants: SimApplicant[];
  deliveries: DeliveryRecord[];
}

export function renderDashboard(input: DashboardInput): string {
  const { mountPath } = input;
  const applicants = [...input.applicants].sort((a, b) => b.createdAtMs - a.createdAtMs);
  const applicantRows = applicants
    .map((applicant) => {
      const id = escapeHtml(applicant.id);
      const decide = allowedDecisions(applicant)
        .map(
          (decision) =>
            `<button type="submit" name="decision" value="${decision}" data-testid="decide-${decision}-${id}"${
              decision.startsWith('reject') || decision === 'downgrade' ? ' class="danger"' : ''
            }>${escapeHtml(DECISION_LABELS[decision])}</button>`,
        )
        .join('');
      const decideForm = decide
        ? `<form method="post" action="${escapeHtml(`${mountPath}/applicants/${encodeURIComponent(applicant.id)}/decide`)}" class="inline">${decide}</form>`
        : '';
      const submitForm = canSubmitDocuments(applicant)
        ? `<form method="post" action="${escapeHtml(`${mountPath}/applicants/${encodeURIComponent(applicant.id)}/submit`)}" class="inline"><button type="submit" data-testid="submit-documents-${id}">Send inn dokumenter</button></form>`
        : '';
      return `<tr data-testid="applicant-${id}">
<td>${escapeHtml(applicant.externalUserId)}${personName(applicant) ? `<br><span class="fine">${escapeHtml(personName(applicant))}</span>` : ''}</td>
<td>${escapeHtml(applicant.levelName)}</td>
<td data-testid="status-${id}">${escapeHtml(applicant.reviewStatus)}</td>
<td data-testid="answer-${id}">${answerCell(applicant)}</td>
<td class="mono">${id}<br><span class="fine">${escapeHtml(formatTime(applicant.createdAtMs))}</span></td>
<td>${submitForm}${decideForm || (submitForm ? '' : '<span class="fine">ingen handlinger</span>')}</td>
</tr>`;
    })
    .join('\n');

  const deliveries = [...input.deliveries].sort((a, b) => b.createdAtMs - a.createdAtMs);
  const deliveryRows = deliveries
    .map((delivery) => {
      const id = escapeHtml(delivery.id);
      const ok = typeof delivery.status === 'number' && delivery.status >= 200 && delivery.status < 300;
      const status = `<span class="${ok ? 'ok' : delivery.status === 'pending' ? '' : 'bad'}">${escapeHtml(delivery.status)}</span>`;
      return `<tr data-testid="delivery-${id}">
<td>${escapeHtml(formatTime(delivery.createdAtMs))}</td>
<td>${escapeHtml(delivery.type)}</td>
<td class="mono">${escapeHtml(delivery.applicantId)}</td>
<td data-testid="delivery-status-${id}">${status}${delivery.lastError ? `<br><span class="fine">${escapeHtml(delivery.lastError)}</span>` : ''}</td>
<td>${delivery.attempts}</td>
<td><form method="post" action="${escapeHtml(`${mountPath}/deliveries/${encodeURIComponent(delivery.id)}/redeliver`)}" class="inline"><button type="submit" data-testid="redeliver-${id}">Send på nytt (redeliver)</button></form></td>
</tr>`;
    })
    .join('\n');

  return layout(
    'Sumsub (simulator) – oversikt',
    `<div class="card">
<h2>Søkere</h2>
<p class="fine">En søker opprettes når Drop kaller <code>POST /resources/applicants</code>. Dokumenter sendes inn fra WebSDK-siden (eller her), og avgjørelsen tas her. Hver endring sendes som webhook til <code>${escapeHtml(input.webhookUrl)}</code>. <a href="${escapeHtml(`${mountPath}/`)}">Oppdater</a></p>
<table data-testid="applicants">
<thead><tr><th>Ekstern bruker-id</th><th>Nivå</th><th>Status</th><th>Svar</th><th>Søker-id</th><th>Handlinger</th></tr></thead>
<tbody>
${applicantRows || '<tr><td colspan="6" class="fine">Ingen søkere ennå.</td></tr>'}
</tbody>
</table>
</div>
<div class="card">
<h2>Webhook-leveranser</h2>
<table data-testid="deliveries">
<thead><tr><th>Tid (UTC)</th><th>Type</th><th>Søker-id</th><th>Status</th><th>Forsøk</th><th></th></tr></thead>
<tbody>
${deliveryRows || '<tr><td colspan="6" class="fine">Ingen leveranser ennå.</td></tr>'}
</tbody>
</table>
</div>`,
  );
}

export interface WebSdkInput {
  mountPath: string;
  returnUrl: string;
  accessToken: string;
  externalUserId: string;
  levelName: string;
  applicant: SimApplicant | undefined;
}

export function renderWebSdk(input: WebSdkInput): string {
  const { applicant } = input;
  const name = personName(applicant);
  const canSubmit = !applicant || canSubmitDocuments(applicant);
  const retry = applicant?.reviewResult?.reviewRejectType === 'RETRY' ? applicant.reviewResult.moderationComment : undefined;
  const status = !applicant
    ? 'Ny søker – opprettes når du sender inn'
    : applicant.reviewStatus === 'pending'
      ? 'Dokumentene er sendt inn og blir kontrollert'
      : applicant.reviewStatus === 'onHold'
        ? 'Under manuell kontroll'
        : applicant.reviewStatus === 'completed'
          ? applicant.reviewResult?.reviewAnswer === 'GREEN'
            ? 'Godkjent'
            : retry
              ? 'Må sendes inn på nytt'
              : 'Avvist'
          : 'Ikke sendt inn';
  const action = canSubmit
    ? `<form method="post" action="${escapeHtml(`${input.mountPath}/websdk/submit`)}" data-testid="websdk-form">
<input type="hidden" name="accessToken" value="${escapeHtml(input.accessToken)}">
<p class="fine">Her ville Sumsubs WebSDK be om bilde av legitimasjon og en selfie. I simulatoren sender knappen inn et sett testdokumenter.</p>
<button type="submit" class="primary" data-testid="submit-documents">Send inn dokumenter</button>
<a href="${escapeHtml(input.returnUrl)}" class="cancel" data-testid="cancel">Avbryt</a>
</form>`
    : `<p><a href="${escapeHtml(input.returnUrl)}" data-testid="cancel">Tilbake til Drop</a></p>`;
  return layout(
    'Sumsub (simulator) – bekreft identiteten din',
    `<div class="card" data-testid="websdk">
<h2>Bekreft identiteten din</h2>
<dl>
${name ? `<dt>Navn</dt><dd data-testid="person-name">${escapeHtml(name)}</dd>` : ''}
<dt>Bruker</dt><dd class="mono" data-testid="external-user-id">${escapeHtml(input.externalUserId)}</dd>
<dt>Nivå</dt><dd data-testid="level-name">${escapeHtml(input.levelName)}</dd>
<dt>Status</dt><dd data-testid="review-status">${escapeHtml(status)}</dd>
</dl>
${retry ? `<p class="bad" data-testid="moderation-comment">${escapeHtml(retry)}</p>` : ''}
${action}
</div>`,
    true,
  );
}

export function renderMessagePage(title: string, message: string, link?: { href: string; label: string }): string {
  return layout(
    `Sumsub (simulator) – ${title}`,
    `<div class="card" data-testid="message"><h2>${escapeHtml(title)}</h2><p>${escapeHtml(message)}</p>${
      link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : ''
    }</div>`,
    true,
  );
}

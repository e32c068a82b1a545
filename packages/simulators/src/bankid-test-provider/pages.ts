/**
 * Server-rendered pages of the BankID test provider. Plain HTML forms, no scripts at all (the
 * server's CSP is `script-src 'self'`); inline styles only. Every page says clearly that this is a
 * test provider, not BankID.
 */
import { escapeHtml, simulatorPage } from '../html.ts';
import { BANKID_METHODS, type BankIdMethod, TEST_PEOPLE, type TestPerson } from './people.ts';

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f3f1ee;color:#1d1d1f;line-height:1.45}
.banner{background:#ffd84d;color:#3a2c00;text-align:center;font-weight:700;padding:.55rem 1rem;border-bottom:3px dashed #3a2c00;letter-spacing:.02em}
header{background:#39134c;color:#fff;padding:1rem 1.25rem}
header h1{margin:0;font-size:1.35rem}
header p{margin:.2rem 0 0;opacity:.85;font-size:.9rem}
main{max-width:40rem;margin:1.25rem auto;padding:0 1rem}
.card{background:#fff;border-radius:10px;box-shadow:0 1px 3px rgba(0,0,0,.12);padding:1rem 1.25rem;margin-bottom:1rem}
h2{font-size:1.05rem;margin:0 0 .6rem}
fieldset{border:0;margin:0;padding:0}
legend{font-weight:600;margin-bottom:.4rem}
.method{display:flex;gap:.6rem;align-items:center;padding:.45rem .6rem;border:1px solid #d6d1cb;border-radius:8px;margin-bottom:.4rem;cursor:pointer}
.method:hover{border-color:#39134c}
.method small{color:#5b5b60;margin-left:auto;font-family:ui-monospace,monospace}
.people{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}
.person{width:100%;text-align:left;display:grid;grid-template-columns:1fr auto;gap:.1rem .75rem;padding:.7rem .9rem;border:1px solid #d6d1cb;border-radius:8px;background:#fff;font:inherit;color:inherit;cursor:pointer}
.person:hover,.person:focus{border-color:#39134c;background:#f7f2fa;outline:none}
.person strong{font-size:1rem}
.person .meta{color:#5b5b60;font-size:.85rem}
.person .nnin{font-family:ui-monospace,monospace;font-size:.85rem;color:#5b5b60;text-align:right}
.person .desc{grid-column:1/-1;font-size:.85rem}
.hinted{border-color:#39134c;border-width:2px}
.badge{display:inline-block;background:#39134c;color:#fff;border-radius:4px;font-size:.7rem;padding:0 .35rem;margin-left:.4rem;vertical-align:middle}
.cancel{background:none;border:1px solid #a33;color:#a33;border-radius:8px;padding:.5rem 1rem;font:inherit;cursor:pointer}
.cancel:hover{background:#fbeaea}
.primary{background:#39134c;border:0;color:#fff;border-radius:8px;padding:.55rem 1.1rem;font:inherit;cursor:pointer}
.fine{color:#5b5b60;font-size:.8rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.2rem .75rem;margin:0;font-size:.85rem}
dt{color:#5b5b60}
dd{margin:0;font-family:ui-monospace,monospace;word-break:break-all}
`;

function layout(title: string, body: string): string {
  return simulatorPage({
    title,
    style: STYLE,
    banner: '<div class="banner" role="note">TESTLEVERANDØR – dette er ikke ekte BankID. Kun for utvikling og test.</div>',
    header: '<header><h1>BankID (test)</h1><p>Lokal OpenID Connect-leverandør for Drop</p></header>',
    main: body,
  });
}

const SCOPE_LABELS: Record<string, string> = {
  openid: 'innlogging',
  profile: 'navn og fødselsdato',
  nnin_altsub: 'fødselsnummer',
};

export interface LoginPageInput {
  uid: string;
  actionBase: string;
  clientId: string;
  scope: string;
  preferredMethod: BankIdMethod['id'];
  hintedPerson: TestPerson | undefined;
}

export function renderLoginPage(input: LoginPageInput): string {
  const { uid, actionBase, clientId, scope } = input;
  const loginAction = `${actionBase}/interaction/${encodeURIComponent(uid)}/login`;
  const abortAction = `${actionBase}/interaction/${encodeURIComponent(uid)}/abort`;
  const shared = scope
    .split(' ')
    .map((value) => SCOPE_LABELS[value])
    .filter((label): label is string => Boolean(label));

  const methods = BANKID_METHODS.map(
    (method) =>
      `<label class="method"><input type="radio" name="method" value="${method.id}" data-testid="method-${method.id}"${
        method.id === input.preferredMethod ? ' checked' : ''
      } required> <span>${escapeHtml(method.label)}</span><small>${escapeHtml(method.acr)}</small></label>`,
  ).join('\n');

  const people = TEST_PEOPLE.map((person) => {
    const hinted = input.hintedPerson?.id === person.id;
    return `<li><button type="submit" name="person" value="${escapeHtml(person.id)}" data-testid="person-${escapeHtml(person.id)}" class="person${
      hinted ? ' hinted' : ''
    }">
<strong>${escapeHtml(`${person.givenName} ${person.familyName}`)}${hinted ? '<span class="badge">login_hint</span>' : ''}</strong>
<span class="nnin">${escapeHtml(person.nationalId)}</span>
<span class="meta">Født ${escapeHtml(person.birthdate)}</span><span></span>
<span class="desc">${escapeHtml(person.description)}</span>
</button></li>`;
  }).join('\n');

  return layout(
    'BankID (test) – logg inn',
    `<div class="card">
<h2>Logg inn hos ${escapeHtml(clientId)}</h2>
<p class="fine">Tjenesten ber om: ${escapeHtml(shared.join(', ') || 'innlogging')}. Velg metode og testperson – ingen kode eller passord trengs.</p>
</div>
<form method="post" action="${escapeHtml(loginAction)}" class="card" data-testid="login-form">
<fieldset>
<legend>Metode</legend>
${methods}
</fieldset>
<fieldset>
<legend>Testperson</legend>
<ul class="people">
${people}
</ul>
</fieldset>
</form>
<form method="post" action="${escapeHtml(abortAction)}" class="card">
<button type="submit" class="cancel" data-testid="cancel">Avbryt innlogging</button>
<p class="fine">Avbryt sender <code>error=access_denied</code> tilbake til tjenesten.</p>
</form>`,
  );
}

export function renderMessagePage(title: string, details: Record<string, unknown>): string {
  const rows = Object.entries(details)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `<dt>${escapeHtml(key)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join('');
  return layout(
    `BankID (test) – ${title}`,
    `<div class="card" data-testid="message"><h2>${escapeHtml(title)}</h2>${rows ? `<dl>${rows}</dl>` : ''}</div>`,
  );
}

/** RP-initiated logout confirmation; `form` is oidc-provider's hidden form (id `op.logoutForm`). */
export function renderLogoutPage(host: string, form: string): string {
  return layout(
    'BankID (test) – logg ut',
    `<div class="card"><h2>Logge ut fra ${escapeHtml(host)}?</h2>${form}
<p><button type="submit" form="op.logoutForm" name="logout" value="yes" class="primary" data-testid="logout-yes">Ja, logg ut</button>
<button type="submit" form="op.logoutForm" class="cancel" data-testid="logout-no">Nei, forbli innlogget</button></p></div>`,
  );
}

import { AppLink } from '@drop/web-common/routing';
import { useQuery } from '@tanstack/react-query';
import { QRCodeSVG } from 'qrcode.react';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { useI18n } from './i18n.ts';
import { AuthLayout, InputField, Notice, SubmitButton, TOTP, TotpField } from './Login.tsx';
import { pathFor } from './routes.ts';
import { completeEnrolment, type Enrolment, fetchEnrolment, type StaffResult } from './staff-api.ts';
import { CheckIcon, CopyIcon } from './ui.tsx';

const MIN_PASSWORD = 12;

/** "JBSW Y3DP EHPK 3PXP": the base32 secret in groups of four, for typing into an app. */
export function groupSecret(secret: string): string {
  return (
    secret
      .replace(/\s+/g, '')
      .match(/.{1,4}/g)
      ?.join(' ') ?? secret
  );
}

function CopyButton(props: { text: string; label: string }): ReactNode {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = () => {
    navigator.clipboard?.writeText(props.text).then(
      () => setCopied(true),
      () => undefined,
    );
  };
  return (
    <button type="button" className="button button-small" onClick={copy} aria-label={`${t.copy}: ${props.label}`}>
      {copied ? <CheckIcon /> : <CopyIcon />}
      <span aria-live="polite">{copied ? t.copied : t.copy}</span>
    </button>
  );
}

/** A value to copy into the authenticator app: its label, the value shown, and a copy button. */
function CopyField(props: { label: string; shown: string; text: string; className: string; testId: string }): ReactNode {
  return (
    <div className="copy-field">
      <span className="copy-label">{props.label}</span>
      <div className="copy-row">
        <code className={props.className} data-testid={props.testId}>
          {props.shown}
        </code>
        <CopyButton text={props.text} label={props.label} />
      </div>
    </div>
  );
}

/** One numbered step of the enrolment form. */
function Step(props: { number: 1 | 2 | 3; title: string; text?: string; children: ReactNode }): ReactNode {
  const id = `step-${props.number}`;
  return (
    <section className="step" aria-labelledby={id}>
      <h2 id={id}>
        <span className="step-number" aria-hidden="true">
          {props.number}
        </span>
        {props.title}
      </h2>
      {props.text && <p className="step-text">{props.text}</p>}
      {props.children}
    </section>
  );
}

type Lookup =
  | { state: 'loading' }
  | { state: 'invalid'; reason: 'missing' | 'invalid' | 'error'; code?: string }
  | { state: 'ok'; enrolment: Enrolment };

function lookupOf(token: string, refused: boolean, answer: StaffResult<Enrolment> | undefined): Lookup {
  if (!token) return { state: 'invalid', reason: 'missing' };
  if (refused) return { state: 'invalid', reason: 'invalid' };
  if (answer === undefined) return { state: 'loading' };
  if (answer.kind === 'ok') return { state: 'ok', enrolment: answer.data };
  if (answer.kind === 'error' && (answer.status === 404 || answer.status === 400 || answer.code === 'ENROLMENT_INVALID')) {
    return { state: 'invalid', reason: 'invalid' };
  }
  return { state: 'invalid', reason: 'error', code: answer.kind === 'error' ? answer.code : 'UNAUTHENTICATED' };
}

type EnrolErrors = Partial<Record<'password' | 'confirm' | 'totp', string>>;

export function Enrol(props: { search: string; onEnrolled(): void; goToLogin(): void }): ReactNode {
  const { t } = useI18n();
  const token = new URLSearchParams(props.search).get('token')?.trim() ?? '';
  // The invitation: kept only while this page is open (it holds the authenticator secret).
  const { data: answer } = useQuery({
    queryKey: ['enrolment', token],
    queryFn: ({ signal }) => fetchEnrolment(token, signal),
    enabled: token !== '',
    gcTime: 0,
  });
  // The server refused the link on completing (used or expired meanwhile).
  const [refused, setRefused] = useState(false);
  const lookup = lookupOf(token, refused, answer);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [totp, setTotp] = useState('');
  const [fieldErrors, setFieldErrors] = useState<EnrolErrors>({});
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.title = `${t.enrolTitle} · ${t.appName}`;
  }, [t]);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const errors: EnrolErrors = {};
    if (password.length < MIN_PASSWORD) errors.password = t.passwordTooShort;
    else if (/^\d+$/.test(password) || /^[a-zA-Z]+$/.test(password) || /^(.)\1+$/u.test(password)) errors.password = t.passwordTooSimple;
    if (!errors.password && confirm !== password) errors.confirm = t.passwordMismatch;
    if (!TOTP.test(totp)) errors.totp = t.totpInvalid;
    setFieldErrors(errors);
    setFailure(undefined);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    const result = await completeEnrolment({ token, password, totp });
    setBusy(false);
    if (result.kind === 'ok') {
      props.onEnrolled();
      return;
    }
    const code = result.kind === 'error' ? result.code : 'INVALID_CREDENTIALS';
    setFailure(result.kind === 'error' && result.status === 0 ? t.networkFailed : (t.enrolErrors[code] ?? t.enrolFailed(code)));
    setTotp('');
    if (code === 'WEAK_PASSWORD') {
      setFieldErrors({ password: t.enrolErrors.WEAK_PASSWORD });
      setPassword('');
      setConfirm('');
    }
    if (code === 'ENROLMENT_INVALID') setRefused(true);
  };

  if (lookup.state === 'loading') {
    return (
      <AuthLayout>
        <div className="state-inline" aria-busy="true">
          <span className="spinner" aria-hidden="true" />
          <p>{t.enrolChecking}</p>
        </div>
      </AuthLayout>
    );
  }

  if (lookup.state === 'invalid') {
    return (
      <AuthLayout>
        <div className="auth-head">
          <h1>{t.enrolInvalidTitle}</h1>
        </div>
        <Notice tone="error" testId="enrol-invalid">
          {lookup.reason === 'missing'
            ? t.enrolMissingToken
            : lookup.reason === 'invalid'
              ? t.enrolInvalidText
              : t.loadFailed(lookup.code ?? '')}
        </Notice>
        <AppLink to={pathFor('login')} className="button">
          {t.goToLogin}
        </AppLink>
      </AuthLayout>
    );
  }

  const { enrolment } = lookup;
  const secret = groupSecret(enrolment.totpSecret);
  return (
    <AuthLayout wide>
      <div className="auth-head">
        <h1>{t.enrolTitle}</h1>
        <p className="page-lead">{t.enrolLead}</p>
      </div>
      <dl className="identity" data-testid="enrol-identity">
        <div>
          <dt>{t.enrolName}</dt>
          <dd data-testid="enrol-name">{enrolment.name}</dd>
        </div>
        <div>
          <dt>{t.email}</dt>
          <dd>{enrolment.email}</dd>
        </div>
        <div>
          <dt>{t.enrolRole}</dt>
          <dd data-testid="enrol-role">{t.roles[enrolment.role]}</dd>
        </div>
      </dl>

      <form className="form steps" noValidate onSubmit={(event) => void onSubmit(event)} aria-busy={busy}>
        <Step number={1} title={t.enrolStep1} text={t.enrolStep1Text}>
          <div className="totp-setup">
            {/* Drawn here, from the setup link: the secret is never sent to an outside service. */}
            <QRCodeSVG
              value={enrolment.otpauthUri}
              level="M"
              marginSize={4}
              size={184}
              bgColor="#fff"
              fgColor="#0b1220"
              className="qr"
              role="img"
              aria-label={t.qrLabel}
              data-testid="totp-qr"
            />
            <div className="totp-details">
              <CopyField label={t.secretLabel} shown={secret} text={enrolment.totpSecret} className="secret" testId="totp-secret" />
              <CopyField label={t.uriLabel} shown={enrolment.otpauthUri} text={enrolment.otpauthUri} className="uri" testId="otpauth-uri" />
            </div>
          </div>
        </Step>

        <Step number={2} title={t.enrolStep2}>
          <input type="email" name="username" autoComplete="username" value={enrolment.email} readOnly hidden />
          <div className="field-pair">
            <InputField input="newPassword" error={fieldErrors.password} value={password} onChange={setPassword} />
            <InputField input="confirmPassword" error={fieldErrors.confirm} value={confirm} onChange={setConfirm} />
          </div>
        </Step>

        <Step number={3} title={t.enrolStep3} text={t.enrolStep3Text}>
          <TotpField value={totp} error={fieldErrors.totp} onChange={setTotp} />
        </Step>

        {failure && (
          <Notice tone="error" testId="enrol-error">
            {failure}
          </Notice>
        )}
        <SubmitButton busy={busy} label={t.enrolSubmit} busyLabel={t.enrolSubmitting} />
      </form>
    </AuthLayout>
  );
}

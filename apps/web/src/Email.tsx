import {
  type ApiResult,
  cancelEmailChange,
  type EmailSettings,
  fetchEmailSettings,
  localeTag,
  requestEmailChange,
  resendEmailCode,
  saveNotificationPreferences,
  verifyEmailCode,
} from '@drop/web-common';
import { AppLink } from '@drop/web-common/routing';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { ErrorCard, Loading } from './AccountArea.tsx';
import { farewellFor, useAccount, useCustomerQuery } from './account.tsx';
import { BackLink, CardHead, PageHead } from './card.tsx';
import { type Messages, useI18n } from './i18n.ts';
import { AlertIcon, CheckIcon, ChevronIcon, MailIcon } from './icons.tsx';

/** `/api/me/email` in the cache: the email page and the home card share it. */
export const EMAIL_SETTINGS = ['email-settings'];

export function useEmailSettings() {
  return useCustomerQuery({ queryKey: EMAIL_SETTINGS, load: fetchEmailSettings });
}

/** Seconds from now until `iso`, never below 0. */
function secondsUntil(iso: string | undefined): number {
  return iso ? Math.max(0, Math.ceil((Date.parse(iso) - Date.now()) / 1000)) : 0;
}

/** `secondsUntil(iso)`, ticking once a second. */
function useSecondsUntil(iso: string | undefined): number {
  const [seconds, setSeconds] = useState(() => secondsUntil(iso));
  useEffect(() => {
    setSeconds(secondsUntil(iso));
    if (!iso) return;
    const timer = setInterval(() => setSeconds(secondsUntil(iso)), 1000);
    return () => clearInterval(timer);
  }, [iso]);
  return seconds;
}

/** The customer's words for a refusal, by its stable code. */
function problemText(t: Messages, result: ApiResult<unknown>, field: 'email' | 'code'): string {
  if (result.kind !== 'error') return t.actionFailed;
  const e = t.email.errors;
  switch (result.code) {
    case 'VALIDATION_FAILED':
      return field === 'email' ? e.emailInvalid : e.codeInvalidFormat;
    case 'CONFLICT':
      return e.sameAddress;
    case 'EMAIL_RESEND_TOO_SOON': {
      const wait = Number(result.details?.retryAfterSeconds ?? result.retryAfterSeconds ?? 60);
      return e.tooSoon(wait);
    }
    case 'EMAIL_SEND_FAILED':
      return e.sendFailed;
    case 'EMAIL_CODE_INVALID':
      return e.wrongCode(Number(result.details?.attemptsLeft ?? 0));
    case 'EMAIL_CODE_LOCKED':
      return e.locked;
    case 'EMAIL_CODE_EXPIRED':
      return e.expired;
    case 'EMAIL_NOT_PENDING':
      return e.notPending;
    case 'EMAIL_IN_USE':
      return e.inUse;
    default:
      return t.actionFailed;
  }
}

function FieldError(props: { id: string; text: string | undefined; testId: string }): ReactNode {
  if (!props.text) return null;
  return (
    <p id={props.id} className="field-error" data-testid={props.testId} role="alert">
      <AlertIcon />
      {props.text}
    </p>
  );
}

/** Runs an email call: keeps the answer in the cache, ends the session on 401, returns the refusal text (or nothing). */
function useEmailAction(): (call: () => Promise<ApiResult<EmailSettings>>, field: 'email' | 'code') => Promise<string | undefined> {
  const { t } = useI18n();
  const { end } = useAccount();
  const queryClient = useQueryClient();
  return async (call, field) => {
    const result = await call();
    if (result.kind === 'unauthenticated') {
      end(farewellFor(result));
      return undefined;
    }
    if (result.kind === 'ok') {
      queryClient.setQueryData(EMAIL_SETTINGS, result.data);
      // `/api/me` carries the verified address too (the home page shows it).
      void queryClient.invalidateQueries({ queryKey: ['me'] });
      return undefined;
    }
    // The state may have moved (a code closed, tries used): show the server's.
    void queryClient.invalidateQueries({ queryKey: EMAIL_SETTINGS });
    return problemText(t, result, field);
  };
}

function AddressForm(props: { onCancel?: () => void }): ReactNode {
  const { t, locale } = useI18n();
  const run = useEmailAction();
  const id = useId();
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(await run(() => requestEmailChange(value.trim(), locale), 'email'));
    setBusy(false);
  };
  return (
    <form className="email-form" onSubmit={(event) => void submit(event)} noValidate data-testid="email-form">
      <div className="field">
        <label htmlFor={id} className="field-label">
          {t.email.addressLabel}
        </label>
        <input
          id={id}
          className={`input${error ? ' input-invalid' : ''}`}
          type="email"
          inputMode="email"
          autoComplete="email"
          spellCheck={false}
          autoCapitalize="none"
          maxLength={254}
          value={value}
          onChange={(event) => setValue(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
          data-testid="email-input"
        />
        <p id={`${id}-hint`} className="field-hint">
          {t.email.addressHint}
        </p>
        <FieldError id={`${id}-error`} text={error} testId="email-error" />
      </div>
      <div className="card-actions">
        <button type="submit" className="button button-primary" disabled={busy || value.trim() === ''} data-testid="email-send-code">
          {busy ? t.email.sending : t.email.sendCode}
        </button>
        {props.onCancel && (
          <button type="button" className="button button-ghost" onClick={props.onCancel} data-testid="email-change-cancel">
            {t.email.cancel}
          </button>
        )}
      </div>
    </form>
  );
}

function CodeForm(props: { settings: EmailSettings; pending: NonNullable<EmailSettings['pending']> }): ReactNode {
  const { t, locale } = useI18n();
  const run = useEmailAction();
  const id = useId();
  const { pending, settings } = props;
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState<'verify' | 'resend' | 'other'>();
  const [error, setError] = useState<string>();
  const [resent, setResent] = useState(false);
  const wait = useSecondsUntil(pending.resendAt);
  const act = async (which: 'verify' | 'resend' | 'other', call: () => Promise<ApiResult<EmailSettings>>) => {
    setBusy(which);
    setResent(false);
    const problem = await run(call, 'code');
    setError(problem);
    if (which === 'resend' && !problem) {
      setResent(true);
      setCode('');
    }
    setBusy(undefined);
  };
  return (
    <form
      className="email-form"
      onSubmit={(event) => {
        event.preventDefault();
        void act('verify', () => verifyEmailCode(code.trim()));
      }}
      noValidate
      data-testid="email-code-form"
    >
      <p className="card-text" data-testid="email-code-sent">
        {t.email.codeSentTo(pending.email)}{' '}
        {t.email.codeExpires(new Intl.DateTimeFormat(localeTag(locale), { timeStyle: 'short' }).format(new Date(pending.expiresAt)))}
      </p>
      {settings.email && (
        <p className="card-text email-keeps-old" data-testid="email-keeps-old">
          {t.email.keepsOld(settings.email)}
        </p>
      )}
      <div className="field email-code-field">
        <label htmlFor={id} className="field-label">
          {t.email.codeLabel}
        </label>
        <input
          id={id}
          className={`input input-otp${error ? ' input-invalid' : ''}`}
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]*"
          maxLength={6}
          value={code}
          onChange={(event) => setCode(event.target.value.replace(/\D/g, '').slice(0, 6))}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          data-testid="email-code-input"
        />
        <FieldError id={`${id}-error`} text={error} testId="email-code-error" />
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {resent ? t.email.resent : ''}
      </p>
      <div className="card-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={busy !== undefined || code.length !== 6}
          data-testid="email-verify"
        >
          {busy === 'verify' ? t.email.confirming : t.email.confirm}
        </button>
        <button
          type="button"
          className="button button-secondary"
          disabled={busy !== undefined || wait > 0}
          onClick={() => void act('resend', resendEmailCode)}
          data-testid="email-resend"
        >
          {wait > 0 ? t.email.resendIn(wait) : t.email.resend}
        </button>
        <button
          type="button"
          className="button button-ghost"
          disabled={busy !== undefined}
          onClick={() => void act('other', cancelEmailChange)}
          data-testid="email-other-address"
        >
          {settings.email ? t.email.keepCurrent : t.email.otherAddress}
        </button>
      </div>
      {resent && (
        <p className="field-hint" data-testid="email-resent">
          {t.email.resent}
        </p>
      )}
    </form>
  );
}

function AddressCard(props: { settings: EmailSettings; justVerified: boolean }): ReactNode {
  const { t } = useI18n();
  const { settings } = props;
  const [changing, setChanging] = useState(false);
  useEffect(() => {
    if (settings.pending) setChanging(false);
  }, [settings.pending]);
  return (
    <section className="card email-card" aria-labelledby="email-address-title" data-testid="email-address-card">
      <CardHead icon={<MailIcon />} titleId="email-address-title" title={t.email.addressTitle}>
        {settings.email && (
          <span className="pill pill-ok" data-testid="email-verified-badge">
            <span className="pill-dot" aria-hidden="true" />
            {t.email.verifiedBadge}
          </span>
        )}
      </CardHead>
      {props.justVerified && settings.email && !settings.pending && (
        <p className="email-success" role="status" data-testid="email-verified-notice">
          <CheckIcon />
          {t.email.verified(settings.email)}
        </p>
      )}
      {settings.email && (
        <dl className="facts">
          <div>
            <dt>{t.email.current}</dt>
            <dd className="email-address" data-testid="email-current">
              {settings.email}
            </dd>
          </div>
        </dl>
      )}
      {!settings.email && !settings.pending && <p className="card-text">{t.email.noEmailYet}</p>}
      {settings.pending ? (
        <CodeForm key={`${settings.pending.email}-${settings.pending.expiresAt}`} settings={settings} pending={settings.pending} />
      ) : !settings.email ? (
        <AddressForm />
      ) : changing ? (
        <AddressForm onCancel={() => setChanging(false)} />
      ) : (
        <div className="card-actions">
          <button type="button" className="button button-secondary" onClick={() => setChanging(true)} data-testid="email-change">
            {t.email.change}
          </button>
        </div>
      )}
    </section>
  );
}

function PreferencesCard(props: { settings: EmailSettings }): ReactNode {
  const { t } = useI18n();
  const run = useEmailAction();
  const { settings } = props;
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string>();
  // Shown at once on a click, and put back if the server refuses.
  const [choices, setChoices] = useState(settings.notifications);
  useEffect(() => setChoices(settings.notifications), [settings.notifications]);
  const disabled = !settings.email;
  const toggle = async (kind: 'fundsReceived' | 'paidOut', on: boolean) => {
    const next = { ...choices, [kind]: on };
    setChoices(next);
    setBusy(true);
    setSaved(false);
    const problem = await run(() => saveNotificationPreferences(next), 'email');
    if (problem) setChoices(settings.notifications);
    setError(problem);
    setSaved(!problem);
    setBusy(false);
  };
  const options = [
    { kind: 'fundsReceived', label: t.email.prefFundsReceived },
    { kind: 'paidOut', label: t.email.prefPaidOut },
  ] as const;
  return (
    <section className="card email-card" aria-labelledby="email-prefs-title" data-testid="email-preferences">
      <CardHead icon={<CheckIcon />} titleId="email-prefs-title" title={t.email.prefsTitle}>
        <span className="email-saved" role="status" aria-live="polite" data-testid="email-preferences-saved">
          {saved ? t.email.prefsSaved : ''}
        </span>
      </CardHead>
      <p className="card-text">{disabled ? t.email.prefsNeedEmail : t.email.prefsLead}</p>
      {error && (
        <div className="inline-alert" role="alert">
          <AlertIcon />
          {error}
        </div>
      )}
      <ul className="email-prefs">
        {options.map((option) => (
          <li key={option.kind}>
            <label className="email-pref">
              <input
                type="checkbox"
                checked={choices[option.kind]}
                disabled={disabled || busy}
                onChange={(event) => void toggle(option.kind, event.target.checked)}
                data-testid={`email-pref-${option.kind}`}
              />
              <span>{option.label}</span>
            </label>
          </li>
        ))}
        <li>
          <label className="email-pref email-pref-fixed">
            <input type="checkbox" checked disabled data-testid="email-pref-always" />
            <span>
              {t.email.prefAlways}
              <span className="field-hint">{t.email.prefAlwaysWhy}</span>
            </span>
          </label>
        </li>
      </ul>
    </section>
  );
}

/** `/email`: the address transfer emails go to (add, prove, change) and which emails the customer gets. */
export function EmailPage(): ReactNode {
  const { t } = useI18n();
  const query = useEmailSettings();
  const [seenUnverified, setSeenUnverified] = useState(false);
  const settings = query.isError ? undefined : query.data;
  // "Thank you" only right after this page saw the address still waiting for its code.
  useEffect(() => {
    if (settings?.pending) setSeenUnverified(true);
  }, [settings?.pending]);
  return (
    <>
      <BackLink to="/home" label={t.email.back} />
      <PageHead eyebrow={t.email.eyebrow} title={t.email.title} lead={t.email.lead} />
      {query.isPending && <Loading label={t.loading} />}
      {query.isError && <ErrorCard title={t.loadFailedTitle} text={t.loadFailedText} onRetry={() => void query.refetch()} />}
      {settings && (
        <div className="account-grid email-grid">
          <AddressCard settings={settings} justVerified={seenUnverified} />
          <PreferencesCard settings={settings} />
        </div>
      )}
    </>
  );
}

/** The home page's card: add an address (part of getting started), one waiting for its code, or where emails go. */
export function EmailHomeCard(): ReactNode {
  const { t } = useI18n();
  const query = useEmailSettings();
  const settings = query.isError ? undefined : query.data;
  const state = !settings ? 'loading' : settings.pending ? 'pending' : settings.email ? 'verified' : 'missing';
  return (
    <section className="card email-home-card" aria-labelledby="email-home-title" data-testid="email-home-card" data-state={state}>
      <span className="card-icon">
        <MailIcon />
      </span>
      <div className="email-home-copy">
        <h2 id="email-home-title" className="card-title">
          {t.email.cardTitle}
          {settings?.email && !settings.pending && (
            <span className="pill pill-ok">
              <span className="pill-dot" aria-hidden="true" />
              {t.email.verifiedBadge}
            </span>
          )}
        </h2>
        <p className="card-text" data-testid="email-home-text">
          {!settings
            ? t.loading
            : settings.pending
              ? t.email.cardPending(settings.pending.email)
              : settings.email
                ? t.email.cardVerified(settings.email)
                : t.email.cardMissing}
        </p>
      </div>
      <AppLink
        to="/email"
        className={`button email-home-action ${state === 'missing' || state === 'pending' ? 'button-primary' : 'button-ghost'}`}
        testId="email-home-action"
      >
        {state === 'missing' ? t.email.cardAdd : state === 'pending' ? t.email.cardEnterCode : t.email.cardManage}
        <ChevronIcon />
      </AppLink>
    </section>
  );
}

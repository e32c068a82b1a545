import { IconList } from '@drop/web-common/icon-list';
import { LanguageSwitch as SharedLanguageSwitch } from '@drop/web-common/language-switch';
import { type FormEvent, type ReactNode, type Ref, useEffect, useId, useRef, useState } from 'react';
import { useI18n } from './i18n.ts';
import { staffLogin } from './staff-api.ts';
import { AlertIcon, CheckIcon, DropMark, LockIcon } from './ui.tsx';

export type LoginNotice = 'enrolled' | 'loggedOut' | 'expired';

export function LanguageSwitch(): ReactNode {
  const { t } = useI18n();
  return (
    <SharedLanguageSwitch legend={t.language}>
      {(option) => (
        <>
          {option.toUpperCase()}
          <span className="visually-hidden"> – {t.languageName[option]}</span>
        </>
      )}
    </SharedLanguageSwitch>
  );
}

/** Drop's mark, the console's name and its tag line: atop the sidebar and the sign-in pages. */
export function Brand(props: { className: string }): ReactNode {
  const { t } = useI18n();
  return (
    <div className={props.className}>
      <DropMark />
      <div>
        <span className="sidebar-name">{t.appName}</span>
        <span className="sidebar-tag">{t.appTag}</span>
      </div>
    </div>
  );
}

/** The frame of the pages a staff member sees before signing in: a brand panel and a form. */
export function AuthLayout(props: { children: ReactNode; wide?: boolean }): ReactNode {
  const { t } = useI18n();
  return (
    <div className="auth">
      <aside className="auth-brand">
        <Brand className="sidebar-brand auth-brand-head" />
        <div className="auth-brand-body">
          <p className="auth-tagline">{t.authTagline}</p>
          <IconList items={t.authPoints} icon={<CheckIcon />} className="auth-points" />
        </div>
        <p className="auth-brand-foot">
          <LockIcon />
          Drop Payments AS
        </p>
      </aside>
      <div className="auth-main">
        <div className="auth-top">
          <LanguageSwitch />
        </div>
        <main id="content" className={props.wide ? 'auth-panel auth-panel-wide' : 'auth-panel'} tabIndex={-1}>
          {props.children}
        </main>
      </div>
    </div>
  );
}

export function Notice(props: { tone: 'ok' | 'error' | 'info'; children: ReactNode; testId?: string }): ReactNode {
  return (
    <div className={`notice notice-${props.tone}`} role={props.tone === 'error' ? 'alert' : 'status'} data-testid={props.testId}>
      {props.tone === 'ok' ? <CheckIcon /> : <AlertIcon />}
      <p>{props.children}</p>
    </div>
  );
}

/** A labelled input with a hint and a field error, wired up with aria-describedby. */
export function Field(props: {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  children: (attributes: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: true }) => ReactNode;
}): ReactNode {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [props.hint ? hintId : '', props.error ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div className={props.error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({
        id,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(props.error ? { 'aria-invalid': true as const } : {}),
      })}
      {props.hint && (
        <p className="field-hint" id={hintId}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p className="field-error" id={errorId}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** The email and password inputs of the sign-in and enrolment forms, with what password managers look for. */
/** Each with its label (and hint), as keys of the messages. */
const INPUTS = {
  email: { label: 'email', type: 'email', name: 'email', autoComplete: 'username' },
  password: { label: 'password', type: 'password', name: 'password', autoComplete: 'current-password' },
  newPassword: { label: 'password', hint: 'passwordHint', type: 'password', name: 'new-password', autoComplete: 'new-password' },
  confirmPassword: { label: 'passwordConfirm', type: 'password', name: 'confirm-password', autoComplete: 'new-password' },
} as const;

/** One of `INPUTS` inside a `Field`. */
export function InputField(props: {
  input: keyof typeof INPUTS;
  error: string | undefined;
  value: string;
  onChange(value: string): void;
  inputRef?: Ref<HTMLInputElement>;
}): ReactNode {
  const { t } = useI18n();
  const { label, type, name, autoComplete, ...rest } = INPUTS[props.input];
  const hint = 'hint' in rest ? t[rest.hint] : undefined;
  return (
    <Field label={t[label]} hint={hint} error={props.error}>
      {(attributes) => (
        <input
          {...attributes}
          ref={props.inputRef}
          className="input"
          type={type}
          name={name}
          autoComplete={autoComplete}
          spellCheck={type === 'email' ? false : undefined}
          value={props.value}
          onChange={(event) => props.onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

/** The six-digit code from the authenticator app; keeps only digits while typing or pasting. */
export function TotpField(props: { value: string; error: string | undefined; onChange(value: string): void }): ReactNode {
  const { t } = useI18n();
  return (
    <Field label={t.totpCode} hint={t.totpHint} error={props.error}>
      {(attributes) => (
        <input
          {...attributes}
          className="input input-code"
          type="text"
          name="totp"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={7}
          placeholder="000000"
          value={props.value}
          onChange={(event) => props.onChange(totpInput(event.target.value))}
        />
      )}
    </Field>
  );
}

/** The full-width primary button that sends a sign-in form, showing `busyLabel` while it waits. */
export function SubmitButton(props: { busy: boolean; label: string; busyLabel: string }): ReactNode {
  return (
    <button type="submit" className="button button-primary button-block" disabled={props.busy} aria-busy={props.busy}>
      {props.busy ? props.busyLabel : props.label}
    </button>
  );
}

const EMAIL = /^[^@\s]+@[^@\s]+$/;
export const TOTP = /^\d{6}$/;

/** Keeps only digits, at most six: what a TOTP field accepts while typing or pasting "123 456". */
export function totpInput(value: string): string {
  return value.replace(/\D/g, '').slice(0, 6);
}

type LoginErrors = Partial<Record<'email' | 'password' | 'totp', string>>;

export function Login(props: { notice?: LoginNotice | undefined; onSignedIn(): void }): ReactNode {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [fieldErrors, setFieldErrors] = useState<LoginErrors>({});
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const emailRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = `${t.loginTitle} · ${t.appName}`;
  }, [t]);
  useEffect(() => emailRef.current?.focus(), []);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const errors: LoginErrors = {};
    if (!email.trim()) errors.email = t.fieldRequired;
    else if (!EMAIL.test(email.trim())) errors.email = t.emailInvalid;
    if (!password) errors.password = t.fieldRequired;
    if (!TOTP.test(totp)) errors.totp = t.totpInvalid;
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) {
      setFailure(undefined);
      return;
    }
    setBusy(true);
    setFailure(undefined);
    const result = await staffLogin({ email: email.trim(), password, totp });
    setBusy(false);
    if (result.kind === 'ok') {
      props.onSignedIn();
      return;
    }
    const code = result.kind === 'error' ? result.code : 'INVALID_CREDENTIALS';
    const retryAfter = result.kind === 'error' ? result.retryAfterSeconds : undefined;
    if (code === 'INVALID_CREDENTIALS') setFailure(t.loginErrors.INVALID_CREDENTIALS);
    else if (code === 'ACCOUNT_LOCKED')
      setFailure(t.accountLocked(retryAfter === undefined ? null : Math.max(1, Math.ceil(retryAfter / 60))));
    else if (code === 'RATE_LIMITED') setFailure(retryAfter ? t.rateLimitedFor(retryAfter) : t.loginErrors.RATE_LIMITED);
    else if (result.kind === 'error' && result.status === 0) setFailure(t.loginErrors.NETWORK);
    else setFailure(t.loginFailed(code));
    // A used code never works twice: clear it, and the password with it (the message does not say which part was wrong).
    setTotp('');
    setPassword('');
    passwordRef.current?.focus();
  };

  const notices: Record<LoginNotice, { tone: 'ok' | 'info'; text: string }> = {
    enrolled: { tone: 'ok', text: t.noticeEnrolled },
    loggedOut: { tone: 'info', text: t.noticeLoggedOut },
    expired: { tone: 'info', text: t.noticeExpired },
  };
  const notice = props.notice && !failure ? notices[props.notice] : undefined;

  return (
    <AuthLayout>
      <div className="auth-head">
        <h1>{t.loginTitle}</h1>
        <p className="page-lead">{t.loginLead}</p>
      </div>
      {notice && (
        <Notice tone={notice.tone} testId="login-notice">
          {notice.text}
        </Notice>
      )}
      {failure && (
        <Notice tone="error" testId="login-error">
          {failure}
        </Notice>
      )}
      <form className="form" noValidate onSubmit={(event) => void onSubmit(event)} aria-busy={busy}>
        <InputField input="email" error={fieldErrors.email} value={email} onChange={setEmail} inputRef={emailRef} />
        <InputField input="password" error={fieldErrors.password} value={password} onChange={setPassword} inputRef={passwordRef} />
        <TotpField value={totp} error={fieldErrors.totp} onChange={setTotp} />
        <SubmitButton busy={busy} label={t.signIn} busyLabel={t.signingIn} />
      </form>
      <p className="auth-foot">{t.loginNoAccount}</p>
    </AuthLayout>
  );
}

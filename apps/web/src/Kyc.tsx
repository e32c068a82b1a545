import {
  declareSourceOfFunds,
  fetchKyc,
  formatNok,
  formatTime,
  type KycOverview,
  type KycStart,
  type KycStatus,
  startKyc,
} from '@drop/web-common';
import { IconList } from '@drop/web-common/icon-list';
import { type FormEvent, type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { ErrorCard, Loading } from './AccountArea.tsx';
import { farewellFor, useAccount, useCustomerQuery } from './account.tsx';
import { BackLink, BigButton, CardHead, PageHead, StepTracker } from './card.tsx';
import { type Messages, useI18n } from './i18n.ts';
import {
  AlertIcon,
  BanIcon,
  CameraIcon,
  CheckIcon,
  ChevronIcon,
  ClockIcon,
  CoinsIcon,
  IdCardIcon,
  PauseIcon,
  RefreshIcon,
  SearchIcon,
  ShieldIcon,
  WalletIcon,
} from './icons.tsx';

type Load = { status: 'loading' } | { status: 'ok'; kyc: KycOverview; checkedAt: Date } | { status: 'error' };

/** How often the page asks again while a decision may come any moment (the provider's webhook is asynchronous). */
const POLL_MS: Partial<Record<KycStatus, number>> = { pending: 3000, on_hold: 15_000 };
/** Right after the WebSDK says the documents are in, until the provider's webhook has moved the status. */
const AWAIT_WEBHOOK_POLL_MS = 1000;
/** Statuses from which documents can be sent; after sending, the page shows "pending" until the webhook catches up. */
const BEFORE_SUBMIT: readonly KycStatus[] = ['not_started', 'retry'];

// ---- Sumsub's WebSDK (the builder script defines `window.snsWebSdk`) -------------------------------

interface SnsWebSdkInstance {
  launch(selector: string): void;
}

interface SnsWebSdkBuilder {
  withConf(conf: { lang: 'no' | 'en' }): SnsWebSdkBuilder;
  withOptions(options: { addViewportTag?: boolean; adaptIframeHeight?: boolean }): SnsWebSdkBuilder;
  on(event: 'idCheck.onApplicantSubmitted' | 'idCheck.onError', handler: (payload: unknown) => void): SnsWebSdkBuilder;
  build(): SnsWebSdkInstance;
}

interface SnsWebSdk {
  /** `refresh` is called when the token expires and resolves to a fresh one. */
  init(accessToken: string, refresh: () => Promise<string>): SnsWebSdkBuilder;
}

declare global {
  interface Window {
    snsWebSdk?: SnsWebSdk;
  }
}

const WEBSDK_CONTAINER_ID = 'sumsub-websdk-container';
const webSdkScripts = new Map<string, Promise<SnsWebSdk>>();

/** Adds the builder script once per address (http(s) only) and resolves to `window.snsWebSdk`. */
function loadWebSdk(src: string): Promise<SnsWebSdk> {
  const url = URL.parse(src, window.location.href);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return Promise.reject(new Error('Unexpected WebSDK address'));
  const key = url.toString();
  let loading = webSdkScripts.get(key);
  if (!loading) {
    loading = new Promise<SnsWebSdk>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = key;
      script.async = true;
      script.addEventListener('load', () => {
        if (window.snsWebSdk) resolve(window.snsWebSdk);
        else reject(new Error('The WebSDK script did not define snsWebSdk'));
      });
      script.addEventListener('error', () => {
        script.remove();
        webSdkScripts.delete(key); // a later attempt may try again
        reject(new Error('The WebSDK script did not load'));
      });
      document.head.append(script);
    });
    webSdkScripts.set(key, loading);
  }
  return loading;
}

/** Loads `GET /api/kyc` now, on `refresh()`, again on a timer while a decision is pending, and on coming back to the tab. */
function useKyc(): { load: Load; refresh(): void; markSubmitted(): void } {
  const { setKycStatus } = useAccount();
  // Documents sent in the WebSDK, the provider's webhook not yet seen: shown as pending.
  // The status when the documents went in: until it changes, the webhook has not been seen. (A
  // decision can land before any poll saw 'pending', e.g. not_started → retry directly.)
  const [submittedFrom, setSubmittedFrom] = useState<KycStatus | undefined>(undefined);
  const awaitingWebhook = (kyc: KycOverview) =>
    submittedFrom !== undefined && kyc.status === submittedFrom && BEFORE_SUBMIT.includes(kyc.status);
  const query = useCustomerQuery({
    queryKey: ['kyc'],
    load: fetchKyc,
    // The next poll: every second until the webhook has moved the status, then every few seconds while pending.
    refetchInterval: ({ state: { data } }) =>
      data ? ((awaitingWebhook(data) ? AWAIT_WEBHOOK_POLL_MS : POLL_MS[data.status]) ?? false) : false,
    refetchOnWindowFocus: 'always',
  });
  const { data: kyc, refetch, dataUpdatedAt } = query;

  useEffect(() => {
    if (!kyc) return;
    setKycStatus(kyc.status);
    setSubmittedFrom((from) => (from !== undefined && kyc.status === from ? from : undefined));
  }, [kyc, setKycStatus]);

  const refresh = useCallback(() => void refetch(), [refetch]);
  const markSubmitted = useCallback(() => {
    setSubmittedFrom(kyc?.status ?? 'not_started');
    void refetch();
  }, [refetch, kyc]);

  // Keep what is on screen when a poll fails; say so only when there is nothing to show.
  const load: Load = kyc
    ? { status: 'ok', kyc: awaitingWebhook(kyc) ? { ...kyc, status: 'pending' } : kyc, checkedAt: new Date(dataUpdatedAt) }
    : query.isError
      ? { status: 'error' }
      : { status: 'loading' };
  return { load, refresh, markSubmitted };
}

interface Verification {
  start(): void;
  starting: boolean;
  error: string | undefined;
  /** The WebSDK step on the page: its token and builder script, while open. */
  session: KycStart | undefined;
  close(error?: string): void;
}

/** "Start verification" and "Try again": asks for a WebSDK token, then opens the WebSDK step on the page. */
function useStartVerification(refresh: () => void): Verification {
  const { t } = useI18n();
  const { end } = useAccount();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string>();
  const [session, setSession] = useState<KycStart>();
  const start = useCallback(() => {
    setStarting(true);
    setError(undefined);
    void startKyc().then((result) => {
      setStarting(false);
      if (result.kind === 'unauthenticated') return end(farewellFor(result));
      if (result.kind === 'error') {
        // Decided in the meantime (approved, or rejected for good): show where things stand.
        if (result.code === 'CONFLICT' || result.code === 'KYC_REJECTED') return refresh();
        return setError(t.kycStartFailed);
      }
      setSession(result.data);
    });
  }, [end, refresh, t]);
  const close = useCallback((closeError?: string) => {
    setSession(undefined);
    setError(closeError);
  }, []);
  return { start, starting, error, session, close };
}

/** The embedded WebSDK: the provider's verification UI, launched into a container on the page. */
function VerificationStep(props: { session: KycStart; onSubmitted(): void; onClose(error?: string): void }): ReactNode {
  const { t, locale } = useI18n();
  const { end } = useAccount();
  const [ready, setReady] = useState(false);
  const [sdkError, setSdkError] = useState(false);
  const container = useRef<HTMLDivElement>(null);
  const callbacks = useRef({ onSubmitted: props.onSubmitted, onClose: props.onClose, end, unavailable: t.kycSdkUnavailable });
  callbacks.current = { onSubmitted: props.onSubmitted, onClose: props.onClose, end, unavailable: t.kycSdkUnavailable };
  const { accessToken, webSdkScriptUrl } = props.session;
  const lang = locale === 'en' ? 'en' : 'no';

  useEffect(() => {
    let active = true;
    const element = container.current;
    // When the token expires the WebSDK asks for a fresh one: the same call as starting.
    const refreshToken = () =>
      startKyc().then((result) => {
        if (result.kind === 'ok') return result.data.accessToken;
        if (result.kind === 'unauthenticated' && active) callbacks.current.end(farewellFor(result));
        throw new Error('No fresh WebSDK token');
      });
    setReady(false);
    loadWebSdk(webSdkScriptUrl).then(
      (sdk) => {
        if (!active) return;
        sdk
          .init(accessToken, refreshToken)
          .withConf({ lang })
          .withOptions({ addViewportTag: false, adaptIframeHeight: true })
          .on('idCheck.onApplicantSubmitted', () => {
            if (active) callbacks.current.onSubmitted();
          })
          .on('idCheck.onError', () => {
            if (active) setSdkError(true);
          })
          .build()
          .launch(`#${WEBSDK_CONTAINER_ID}`);
        setReady(true);
      },
      () => {
        if (active) callbacks.current.onClose(callbacks.current.unavailable);
      },
    );
    return () => {
      active = false;
      element?.replaceChildren();
    };
  }, [accessToken, webSdkScriptUrl, lang]);

  return (
    <section className="card kyc-sdk" aria-labelledby="kyc-sdk-title" data-testid="kyc-sdk">
      <CardHead icon={<IdCardIcon />} titleId="kyc-sdk-title" title={t.kycSdkTitle}>
        <button
          type="button"
          className="button button-secondary kyc-sdk-cancel"
          onClick={() => props.onClose()}
          data-testid="kyc-sdk-cancel"
        >
          {t.kycSdkCancel}
        </button>
      </CardHead>
      <p className="card-text">{t.kycSdkText}</p>
      {!ready && (
        <p className="kyc-sdk-loading" role="status">
          <span className="spinner" aria-hidden="true" />
          {t.kycSdkLoading}
        </p>
      )}
      <div id={WEBSDK_CONTAINER_ID} className="kyc-sdk-container" ref={container} data-testid="kyc-sdk-container" />
      <ActionError text={sdkError ? t.kycSdkFailed : undefined} />
      <p className="kyc-provider-note kyc-sdk-note">
        <ShieldIcon />
        {t.kycProviderNote}
      </p>
    </section>
  );
}

function StartButton(props: { label: string; starting: boolean; onStart(): void; testId: string }): ReactNode {
  const { t } = useI18n();
  return (
    <BigButton onClick={props.onStart} disabled={props.starting} busy={props.starting} testId={props.testId}>
      {props.starting ? t.kycStarting : props.label}
      {!props.starting && <ChevronIcon />}
    </BigButton>
  );
}

function ActionError(props: { text: string | undefined }): ReactNode {
  if (!props.text) return null;
  return (
    <div className="inline-alert kyc-action-error" role="alert" data-testid="kyc-action-error">
      <AlertIcon />
      {props.text}
    </div>
  );
}

/** A card with a round, tinted icon: the customer's situation in one sentence. */
function StateCard(props: {
  tone: 'ok' | 'warn' | 'info' | 'down' | 'brand';
  icon: ReactNode;
  title: string;
  children?: ReactNode;
  testId?: string;
}): ReactNode {
  return (
    <section className="card kyc-state" data-tone={props.tone} data-testid={props.testId}>
      <span className="kyc-state-icon" aria-hidden="true">
        {props.icon}
      </span>
      <div className="kyc-state-body">
        <h2 className="kyc-state-title">{props.title}</h2>
        {props.children}
      </div>
    </section>
  );
}

function CheckedAt(props: { at: Date; onRefresh(): void }): ReactNode {
  const { t, locale } = useI18n();
  return (
    <div className="kyc-checked">
      <span data-testid="kyc-checked-at">{t.kycCheckedAt(formatTime(props.at, locale))}</span>
      <button type="button" className="button button-secondary" onClick={props.onRefresh} data-testid="kyc-refresh">
        <RefreshIcon />
        {t.kycCheckNow}
      </button>
    </div>
  );
}

const HOW_ICONS = [IdCardIcon, CameraIcon, SearchIcon];

function NotStarted(props: { starting: boolean; onStart(): void; error: string | undefined }): ReactNode {
  const { t } = useI18n();
  return (
    <section className="card kyc-start" aria-labelledby="kyc-how-title">
      <h2 id="kyc-how-title" className="card-title">
        {t.kycHowTitle}
      </h2>
      <ol className="kyc-how">
        {t.kycHowSteps.map((step, index) => {
          const StepIcon = HOW_ICONS[index] ?? CheckIcon;
          return (
            <li key={step.title}>
              <span className="kyc-how-icon" aria-hidden="true">
                <StepIcon />
              </span>
              <p className="kyc-how-title">{step.title}</p>
              <p className="kyc-how-text">{step.text}</p>
            </li>
          );
        })}
      </ol>
      <ActionError text={props.error} />
      <div className="kyc-start-actions">
        <StartButton label={t.kycStartButton} starting={props.starting} onStart={props.onStart} testId="kyc-start" />
        <p className="kyc-provider-note">
          <ShieldIcon />
          {t.kycProviderNote}
        </p>
      </div>
    </section>
  );
}

function Meter(props: { used: string; limit: string }): ReactNode {
  const limit = Number(props.limit);
  const share = limit > 0 ? Math.min(1, Number(props.used) / limit) : 1;
  return (
    <span className="meter" aria-hidden="true">
      <span className={`meter-fill${share >= 0.9 ? ' meter-high' : ''}`} style={{ inlineSize: `${(share * 100).toFixed(1)}%` }} />
    </span>
  );
}

function left(used: string, limit: string): string {
  return String(Math.max(0, Number(limit) - Number(used)));
}

function Limits(props: { kyc: KycOverview }): ReactNode {
  const { t, locale } = useI18n();
  const { limitsNok, usedNok, tier } = props.kyc;
  const nok = (amount: string) => formatNok(amount, locale);
  const periods = [
    { key: '30d', label: t.limitThirtyDays, used: usedNok.thirtyDays, limit: limitsNok.thirtyDays },
    { key: '12m', label: t.limitTwelveMonths, used: usedNok.twelveMonths, limit: limitsNok.twelveMonths },
  ];
  return (
    <section className="card limits-card" aria-labelledby="limits-title" data-testid="kyc-limits">
      <CardHead icon={<WalletIcon />} titleId="limits-title" title={t.limitsTitle}>
        <span className={`pill ${tier >= 2 ? 'pill-ok' : 'pill-brand'}`} data-testid="kyc-tier" data-tier={tier}>
          {t.limitsTier(tier)}
        </span>
      </CardHead>
      <dl className="limits">
        <div className="limit limit-headline">
          <dt>{t.limitPerTransfer}</dt>
          <dd className="limit-amount" data-testid="limit-per-transfer">
            {nok(limitsNok.perTransfer)}
          </dd>
        </div>
        {periods.map((period) => (
          <div className="limit" key={period.key}>
            <dt>{period.label}</dt>
            <dd>
              <span className="limit-amount" data-testid={`limit-${period.key}`}>
                {nok(period.limit)}
              </span>
              <Meter used={period.used} limit={period.limit} />
              <span className="limit-usage">
                <span data-testid={`used-${period.key}`}>{t.limitUsed(nok(period.used), nok(period.limit))}</span>
                <span>{t.limitLeft(nok(left(period.used, period.limit)))}</span>
              </span>
            </dd>
          </div>
        ))}
      </dl>
      <p className="card-foot-note">{t.limitsNote}</p>
    </section>
  );
}

/** The enhanced due diligence question: where the money comes from (10–500 characters). */
function SourceOfFunds(props: { requested: boolean; onSaved(): void }): ReactNode {
  const { t } = useI18n();
  const { end } = useAccount();
  const id = useId();
  const [source, setSource] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();
  const trimmed = source.trim();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (trimmed.length < 10) return setError(t.sofTooShort);
    setSending(true);
    setError(undefined);
    void declareSourceOfFunds(trimmed).then((result) => {
      setSending(false);
      if (result.kind === 'unauthenticated') return end(farewellFor(result));
      if (result.kind === 'error') return setError(result.code === 'VALIDATION_FAILED' ? t.sofTooShort : t.sofFailed);
      props.onSaved();
    });
  };

  return (
    <section className="card sof-card" aria-labelledby={`${id}-title`} data-testid="sof-card">
      <div className="card-head">
        <span className="card-icon">
          <CoinsIcon />
        </span>
        <h2 id={`${id}-title`} className="card-title">
          {t.sofTitle}
        </h2>
      </div>
      <p className="card-text" data-testid={props.requested ? 'sof-requested' : undefined}>
        {props.requested ? t.sofRequested : t.sofText}
      </p>
      <form className="sof-form" onSubmit={onSubmit} noValidate data-testid="sof-form">
        <label htmlFor={`${id}-source`} className="field-label">
          {t.sofLabel}
        </label>
        <textarea
          id={`${id}-source`}
          className={`textarea${error ? ' textarea-invalid' : ''}`}
          rows={3}
          maxLength={500}
          value={source}
          placeholder={t.sofPlaceholder}
          onChange={(event) => setSource(event.target.value)}
          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
          aria-invalid={error ? true : undefined}
          data-testid="sof-input"
        />
        <div className="field-foot">
          <span id={`${id}-hint`}>{t.sofHint}</span>
          <span aria-hidden="true">{t.sofCount(source.length)}</span>
        </div>
        {error && (
          <p id={`${id}-error`} className="field-error" role="alert" data-testid="sof-error">
            <AlertIcon />
            {error}
          </p>
        )}
        <div>
          <button type="submit" className="button button-primary" disabled={sending} aria-busy={sending} data-testid="sof-submit">
            {sending ? t.sofSending : t.sofSubmit}
          </button>
        </div>
      </form>
    </section>
  );
}

function Approved(props: { kyc: KycOverview; refresh(): void }): ReactNode {
  const { t } = useI18n();
  const [saved, setSaved] = useState(false);
  return (
    <>
      <StateCard tone="ok" icon={<CheckIcon />} title={t.kycApprovedTitle} testId="kyc-approved">
        <p className="kyc-state-text">{t.kycApprovedText}</p>
      </StateCard>
      <Limits kyc={props.kyc} />
      {props.kyc.sourceOfFundsDeclared ? (
        <section className="card sof-done" data-testid="sof-done">
          <span className="sof-done-icon" aria-hidden="true">
            <CheckIcon />
          </span>
          <div>
            <p className="sof-done-title">{t.sofDoneTitle}</p>
            <p className="sof-done-text" role={saved ? 'status' : undefined}>
              {saved ? t.sofSaved : t.sofDoneText}
            </p>
          </div>
        </section>
      ) : (
        <SourceOfFunds
          requested={props.kyc.sourceOfFundsRequested}
          onSaved={() => {
            setSaved(true);
            props.refresh();
          }}
        />
      )}
    </>
  );
}

interface KycPageProps {
  kyc: KycOverview;
  checkedAt: Date;
  refresh(): void;
  markSubmitted(): void;
  verification: Verification;
}

/** What the page shows for each status. */
function StatusContent(props: KycPageProps): ReactNode {
  const { t } = useI18n();
  const { kyc, refresh, verification } = props;
  if (verification.session && BEFORE_SUBMIT.includes(kyc.status)) {
    const { close } = verification;
    return (
      <VerificationStep
        session={verification.session}
        onSubmitted={() => {
          close();
          props.markSubmitted();
        }}
        onClose={close}
      />
    );
  }
  switch (kyc.status) {
    case 'not_started':
      return <NotStarted starting={verification.starting} onStart={verification.start} error={verification.error} />;
    case 'pending':
      return (
        <StateCard tone="info" icon={<ClockIcon />} title={t.kycPendingTitle} testId="kyc-pending">
          <p className="kyc-state-text">{t.kycPendingText}</p>
          <StepTracker steps={t.kycReviewSteps} done={1} className="kyc-review" />
          <CheckedAt at={props.checkedAt} onRefresh={refresh} />
        </StateCard>
      );
    case 'on_hold':
      return (
        <StateCard tone="warn" icon={<PauseIcon />} title={t.kycOnHoldTitle} testId="kyc-on-hold">
          <p className="kyc-state-text">{t.kycOnHoldText}</p>
          <CheckedAt at={props.checkedAt} onRefresh={refresh} />
        </StateCard>
      );
    case 'retry':
      return (
        <StateCard tone="warn" icon={<AlertIcon />} title={t.kycRetryTitle} testId="kyc-retry-card">
          <blockquote className="kyc-message" data-testid="kyc-message">
            {kyc.message ?? t.kycRetryFallback}
          </blockquote>
          <ActionError text={verification.error} />
          <div className="kyc-state-actions">
            <StartButton label={t.kycRetryButton} starting={verification.starting} onStart={verification.start} testId="kyc-retry" />
          </div>
        </StateCard>
      );
    case 'rejected':
      return (
        <StateCard tone="down" icon={<BanIcon />} title={t.kycRejectedTitle} testId="kyc-rejected">
          <p className="kyc-state-text">{t.kycRejectedText}</p>
        </StateCard>
      );
    case 'approved':
      return <Approved kyc={kyc} refresh={refresh} />;
  }
}

function stepsDone(status: KycStatus): number {
  return status === 'approved' ? 2 : 1;
}

function WhyCard(props: { status: KycStatus }): ReactNode {
  const { t } = useI18n();
  const done = stepsDone(props.status);
  return (
    <aside className="kyc-aside" aria-labelledby="kyc-why-title">
      <section className="card kyc-why">
        <h2 id="kyc-why-title" className="card-title">
          {t.kycWhyTitle}
        </h2>
        <p className="card-text">{t.kycWhyText}</p>
        <IconList items={t.kycWhyPoints} icon={<CheckIcon />} className="checklist kyc-why-points" />
      </section>
      <section className="onboarding kyc-onboarding" aria-labelledby="kyc-onboarding-label">
        <p className="onboarding-label" id="kyc-onboarding-label">
          {t.onboardingLabel}
        </p>
        <StepTracker steps={t.onboardingSteps} done={done} className="onboarding-steps" />
      </section>
    </aside>
  );
}

function headlineFor(t: Messages, status: KycStatus, verifying: boolean): { title: string; lead: string } {
  if (verifying) return { title: t.kycSdkHeadline, lead: t.kycSdkLead };
  return { title: t.kycHeadline[status], lead: t.kycLead[status] };
}

/** `/kyc`: the customer's identity verification – start it, follow it, and see the limits once approved. */
export function Kyc(): ReactNode {
  const { t } = useI18n();
  const { load, refresh, markSubmitted } = useKyc();
  const verification = useStartVerification(refresh);

  return (
    <>
      <BackLink to="/home" label={t.sessionsBack} />
      {load.status === 'loading' && <Loading label={t.loading} />}
      {load.status === 'error' && <ErrorCard title={t.loadFailedTitle} text={t.loadFailedText} onRetry={refresh} />}
      {load.status === 'ok' && (
        <KycPage kyc={load.kyc} checkedAt={load.checkedAt} refresh={refresh} markSubmitted={markSubmitted} verification={verification} />
      )}
    </>
  );
}

function KycPage(props: KycPageProps): ReactNode {
  const { t } = useI18n();
  const { kyc } = props;
  const verifying = props.verification.session !== undefined && BEFORE_SUBMIT.includes(kyc.status);
  const { title, lead } = headlineFor(t, kyc.status, verifying);
  const state = verifying ? 'verifying' : kyc.status;
  return (
    <div data-testid="kyc-page" data-status={state}>
      <PageHead eyebrow={t.kycPageTitle} title={title} titleTestId="kyc-headline" lead={lead} />
      {/* Announces a change of status (a decision arriving while the page is open). */}
      <p className="visually-hidden" role="status" aria-live="polite">
        {verifying ? '' : `${t.kycStatus[kyc.status]}: ${title}`}
      </p>
      <div className="kyc-layout">
        <div className="kyc-main">
          <StatusContent {...props} />
        </div>
        <WhyCard status={kyc.status} />
      </div>
    </div>
  );
}

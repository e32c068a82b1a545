import { formatCustomerNumber, formatDate, type KycStatus, localeTag, type Me } from '@drop/web-common';
import { AppLink } from '@drop/web-common/routing';
import type { ReactNode } from 'react';
import { type SignOut, SignOutEverywhere } from './AccountArea.tsx';
import { CardHead, PageHead, StepTracker } from './card.tsx';
import { EmailHomeCard } from './Email.tsx';
import { useI18n } from './i18n.ts';
import { ChevronIcon, ClockIcon, IdCardIcon, LogoutIcon, SendIcon, ShieldIcon, UserIcon } from './icons.tsx';
import { TransferRow, useTransfers } from './Transfers.tsx';

const KYC_TONES: Record<KycStatus, 'ok' | 'down' | 'warn' | 'unknown'> = {
  not_started: 'unknown',
  pending: 'warn',
  approved: 'ok',
  rejected: 'down',
  retry: 'warn',
  on_hold: 'warn',
};

function KycCard(props: { status: KycStatus; hasSent: boolean }): ReactNode {
  const { t } = useI18n();
  const { status } = props;
  const steps = t.onboardingSteps;
  // Signed in is done; identity is done once approved; sending once there is a transfer.
  const done = status === 'approved' ? (props.hasSent ? 3 : 2) : 1;
  return (
    <section className="card kyc-card" aria-labelledby="kyc-title" data-testid="kyc-card" data-status={status}>
      <CardHead icon={<IdCardIcon />} titleId="kyc-title" title={t.kycTitle}>
        <span className={`pill pill-${KYC_TONES[status]}`} data-testid="kyc-status">
          <span className="pill-dot" aria-hidden="true" />
          {t.kycStatus[status]}
        </span>
      </CardHead>
      <div className="kyc-body">
        <div className="kyc-copy">
          <p className="kyc-headline" data-testid="kyc-card-headline">
            {t.kycHeadline[status]}
          </p>
          <p className="kyc-text">{t.kycText[status]}</p>
          <div className="kyc-actions">
            <AppLink
              to="/kyc"
              className={`button ${status === 'not_started' || status === 'retry' ? 'button-primary' : 'button-ghost'}`}
              testId="kyc-card-action"
            >
              {t.kycCardAction[status]}
              <ChevronIcon />
            </AppLink>
          </div>
        </div>
        <div className="onboarding">
          <p className="onboarding-label" id="onboarding-label">
            {t.onboardingLabel}
          </p>
          <StepTracker steps={steps} done={done} className="onboarding-steps" labelledBy="onboarding-label" />
        </div>
      </div>
    </section>
  );
}

function ProfileCard(props: { me: Me }): ReactNode {
  const { t, locale } = useI18n();
  const { me } = props;
  const name = me.name ?? ([me.givenName, me.familyName].filter(Boolean).join(' ') || t.unknownValue);
  const since = new Intl.DateTimeFormat(localeTag(locale), { dateStyle: 'long' }).format(new Date(me.createdAt));
  return (
    <section className="card" aria-labelledby="profile-title" data-testid="profile-card">
      <CardHead icon={<UserIcon />} titleId="profile-title" title={t.profileTitle} />
      <dl className="facts">
        <div>
          <dt>{t.profileName}</dt>
          <dd data-testid="profile-name">{name}</dd>
        </div>
        <div>
          <dt>{t.profileBirthDate}</dt>
          <dd data-testid="profile-birth-date">{me.birthDate ? formatDate(me.birthDate, locale) : t.unknownValue}</dd>
        </div>
        <div>
          <dt>{t.profileCustomerId}</dt>
          <dd className="mono" data-testid="profile-customer-id">
            {formatCustomerNumber(me.customerNumber)}
          </dd>
        </div>
        <div>
          <dt>{t.profileSince}</dt>
          <dd>{since}</dd>
        </div>
      </dl>
      <p className="card-foot-note">{t.profileSource}</p>
    </section>
  );
}

function SecurityCard(props: { signOut: SignOut }): ReactNode {
  const { t } = useI18n();
  const { signOut } = props;
  return (
    <section className="card" aria-labelledby="security-title" data-testid="security-card">
      <CardHead icon={<ShieldIcon />} titleId="security-title" title={t.securityTitle} />
      <p className="card-text">{t.securityText}</p>
      <AppLink to="/sessions" className="link-row" testId="sessions-link">
        <span>{t.securitySessionsLink}</span>
        <ChevronIcon />
      </AppLink>
      <AppLink to="/privacy" className="link-row" testId="privacy-link">
        <span>{t.securityPrivacyLink}</span>
        <ChevronIcon />
      </AppLink>
      <div className="card-actions">
        <button
          type="button"
          className="button button-ghost"
          onClick={() => signOut.run('here')}
          disabled={signOut.busy !== undefined}
          data-testid="signout"
        >
          <LogoutIcon />
          {signOut.busy === 'here' ? t.signingOut : t.signOut}
        </button>
        <SignOutEverywhere signOut={signOut} />
      </div>
    </section>
  );
}

/** The way to send money, and the latest transfers with a link to all of them. */
function SendCard(props: ReturnType<typeof useTransfers>): ReactNode {
  const { t } = useI18n();
  const { transfers, failed } = props;
  return (
    <section className="card send-home-card" aria-labelledby="send-home-title" data-testid="send-card">
      <div className="send-home-intro">
        <span className="send-home-icon" aria-hidden="true">
          <SendIcon />
        </span>
        <div className="send-home-copy">
          <h2 id="send-home-title" className="send-home-title">
            {t.homeSendTitle}
          </h2>
          <p className="card-text">{t.homeSendText}</p>
        </div>
        <AppLink to="/send" className="button button-primary button-large send-home-button" testId="home-send">
          {t.homeSendButton}
          <ChevronIcon />
        </AppLink>
      </div>
      <div className="recent" data-testid="recent-transfers">
        <div className="recent-head">
          <h3 className="recent-title">
            <ClockIcon />
            {t.recentTitle}
          </h3>
          {transfers && !failed && transfers.length > 0 && (
            <AppLink to="/transfers" className="recent-all" testId="recent-all">
              {t.recentAll}
              <ChevronIcon />
            </AppLink>
          )}
        </div>
        {!transfers && !failed && <p className="recent-empty">{t.loading}</p>}
        {failed && <p className="recent-empty">{t.loadFailedText}</p>}
        {transfers && !failed && transfers.length === 0 && <p className="recent-empty">{t.recentEmpty}</p>}
        {transfers && !failed && transfers.length > 0 && (
          <ul className="transfer-list recent-list">
            {transfers.slice(0, RECENT).map((transfer) => (
              <TransferRow key={transfer.id} transfer={transfer} />
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

const RECENT = 3;

/** `/home`: the signed-in customer's overview. */
export function Home(props: { me: Me; signOut: SignOut }): ReactNode {
  const { t } = useI18n();
  const { me } = props;
  const firstName = me.givenName ?? me.name?.split(' ')[0];
  const recent = useTransfers(RECENT);
  const hasSent = !recent.failed && (recent.transfers?.length ?? 0) > 0;
  const approved = me.kycStatus === 'approved';
  return (
    <>
      <PageHead
        eyebrow={t.homeTitle}
        title={firstName ? t.greeting(firstName) : t.greetingAnonymous}
        titleTestId="greeting"
        lead={t.homeLead}
      />
      <div className="account-grid">
        {approved && <SendCard {...recent} />}
        <KycCard status={me.kycStatus} hasSent={hasSent} />
        {!me.email && <EmailHomeCard />}
        {!approved && <SendCard {...recent} />}
        <ProfileCard me={me} />
        <SecurityCard signOut={props.signOut} />
        {me.email && <EmailHomeCard />}
      </div>
    </>
  );
}

import { endSession, fetchMySessions, formatDateTime, formatRelative, type MySession } from '@drop/web-common';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { ErrorCard, Loading, type SignOut, SignOutEverywhere } from './AccountArea.tsx';
import { farewellFor, useAccount, useCustomerQuery } from './account.tsx';
import { BackLink, PageHead } from './card.tsx';
import { parseUserAgent } from './device.ts';
import { useI18n } from './i18n.ts';
import { AlertIcon, ComputerIcon, PhoneIcon, TabletIcon } from './icons.tsx';

const DEVICE_ICONS = { computer: ComputerIcon, phone: PhoneIcon, tablet: TabletIcon };

function methodOf(acr: string | null): 'bid' | 'bim' | 'bis' | undefined {
  const match = /^urn:bankid:(bid|bim|bis)\b/i.exec(acr ?? '');
  return match ? (match[1]?.toLowerCase() as 'bid' | 'bim' | 'bis') : undefined;
}

/** Current session first, then the most recently active. */
function ordered(sessions: MySession[]): MySession[] {
  return [...sessions].sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.localeCompare(a.lastSeenAt));
}

function SessionRow(props: { session: MySession; now: Date; ending: boolean; onEnd(name: string): void }): ReactNode {
  const { t, locale } = useI18n();
  const { session } = props;
  const device = parseUserAgent(session.userAgent);
  const name = session.userAgent ? t.deviceName(device.browser, device.os) : t.unknownDevice;
  const DeviceIcon = DEVICE_ICONS[device.kind];
  const method = methodOf(session.acr);
  return (
    <li className={`session${session.current ? ' session-current' : ''}`} data-testid="session" data-current={session.current}>
      <span className="session-icon">
        <DeviceIcon />
      </span>
      <div className="session-body">
        <p className="session-device">
          <span data-testid="session-device">{name}</span>
          {session.current && (
            <span className="badge" data-testid="this-device">
              {t.thisDevice}
            </span>
          )}
        </p>
        <dl className="session-meta">
          <div>
            <dt>{t.signedInAt}</dt>
            <dd>{formatDateTime(new Date(session.createdAt), locale)}</dd>
          </div>
          <div>
            <dt>{t.lastActive}</dt>
            <dd>{formatRelative(new Date(session.lastSeenAt), props.now, locale)}</dd>
          </div>
          {method && (
            <div>
              <dt>{t.method}</dt>
              <dd>{t.methods[method]}</dd>
            </div>
          )}
        </dl>
      </div>
      {!session.current && (
        <button
          type="button"
          className="button button-secondary session-end"
          onClick={() => props.onEnd(name)}
          disabled={props.ending}
          aria-label={t.endSessionLabel(name)}
        >
          {props.ending ? t.ending : t.endSession}
        </button>
      )}
    </li>
  );
}

/** `/sessions`: where the customer is signed in, with a way to end each other session, or all of them. */
export function Sessions(props: { signOut: SignOut }): ReactNode {
  const { t } = useI18n();
  const { end } = useAccount();
  const [ending, setEnding] = useState<string>();
  const [announcement, setAnnouncement] = useState('');
  const [failed, setFailed] = useState(false);
  const queryClient = useQueryClient();
  const queryKey = ['sessions'];
  const query = useCustomerQuery({ queryKey, load: fetchMySessions, select: ordered });
  const now = new Date(query.dataUpdatedAt);
  const sessions = query.isError ? undefined : query.data;

  const onEnd = (session: MySession, name: string) => {
    setEnding(session.id);
    setFailed(false);
    void endSession(session.id).then((result) => {
      setEnding(undefined);
      if (result.kind === 'unauthenticated') return end(farewellFor(result));
      if (result.kind === 'error') return setFailed(true);
      setAnnouncement(t.sessionEndedNotice(name));
      queryClient.setQueryData<MySession[]>(queryKey, (previous) => previous?.filter((other) => other.id !== session.id));
      void query.refetch();
    });
  };

  return (
    <>
      <BackLink to="/home" label={t.sessionsBack} />
      <PageHead eyebrow={t.sessionsEyebrow} title={t.sessionsTitle} lead={t.sessionsLead} />
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="sessions-announcement">
        {announcement}
      </p>
      {failed && (
        <div className="inline-alert" role="alert">
          <AlertIcon />
          {t.actionFailed}
        </div>
      )}
      {query.isPending && <Loading label={t.loading} />}
      {query.isError && <ErrorCard title={t.loadFailedTitle} text={t.loadFailedText} onRetry={() => void query.refetch()} />}
      {sessions && (
        <section className="card sessions-card" aria-labelledby="sessions-list-title">
          <div className="card-head">
            <h2 id="sessions-list-title" className="card-title">
              {t.sessionsListLabel}
            </h2>
            <span className="count" data-testid="sessions-count">
              {t.sessionsCount(sessions.length)}
            </span>
          </div>
          <ul className="session-list" aria-labelledby="sessions-list-title">
            {sessions.map((session) => (
              <SessionRow
                key={session.id}
                session={session}
                now={now}
                ending={ending === session.id}
                onEnd={(name) => onEnd(session, name)}
              />
            ))}
          </ul>
          <div className="sessions-foot">
            <div>
              <p className="sessions-foot-title">{t.everywhereTitle}</p>
              <p className="sessions-foot-text">{t.everywhereText}</p>
            </div>
            <SignOutEverywhere signOut={props.signOut} />
          </div>
        </section>
      )}
    </>
  );
}

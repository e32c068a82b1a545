import { formatDateTime, type Locale, localeTag } from '@drop/web-common';
import { AppLink } from '@drop/web-common/routing';
import type { ReactNode } from 'react';
import { AlertCase } from './AlertCase.tsx';
import { AlertHistory, AlertReview } from './AmlAlertReview.tsx';
import { formatAmount, SeverityBadge } from './AmlAlerts.tsx';
import { CustomerProfileLink } from './CustomerProfile.tsx';
import { useI18n } from './i18n.ts';
import { Notice } from './Login.tsx';
import { BackLink, Card, DataTable, LoadProblem, PageHead, RefreshControl, SystemReason } from './page.tsx';
import { pathFor } from './routes.ts';
import { useSession, useStaffData } from './session.ts';
import { type AmlAlertDetail, fetchAmlAlert } from './staff-api.ts';
import { TransferStatusBadge } from './Transfers.tsx';
import { Badge } from './ui.tsx';

type ScreeningMatch = NonNullable<AmlAlertDetail['screeningMatch']>;
type ListRecord = NonNullable<ScreeningMatch['record']>;

/** 0.9612 → "96 %" (nb) / "96%" (en): a 0..1 score as the page shows it. */
function percent(score: number, locale: Locale): string {
  return new Intl.NumberFormat(localeTag(locale), { style: 'percent', maximumFractionDigits: 0 }).format(score);
}

/** A fact's value as text: strings as they are, everything else as compact JSON. */
function factText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '–';
  return JSON.stringify(value);
}

/** A 0..1 score as a bar with its number, for the overall score and each feature. */
function ScoreBar(props: { label: string; score: number; testId: string }): ReactNode {
  const { locale } = useI18n();
  const clamped = Math.max(0, Math.min(1, props.score));
  return (
    <div className="score-row" data-testid={props.testId} data-score={props.score}>
      <span className="score-label">{props.label}</span>
      <meter className="score-meter" min={0} max={1} low={0.5} high={0.85} optimum={0} value={clamped} aria-label={props.label} />
      <span className="score-value num">{percent(props.score, locale)}</span>
    </div>
  );
}

function Facts(props: { alert: AmlAlertDetail }): ReactNode {
  const { t } = useI18n();
  const { alert } = props;
  const entries = Object.entries(alert.facts);
  return (
    <Card id="facts" title={t.alertWhyTitle} lead={t.alertWhyLead} testId="alert-facts">
      <DataTable
        className="table table-dense"
        testId="fact-table"
        empty={entries.length === 0 && t.alertNoFacts}
        columns={[t.colFact, t.colValue]}
      >
        {entries.map(([key, value]) => (
          <tr key={key} data-testid="fact-row" data-fact={key}>
            <td title={key}>{t.alertFactNames[key] ?? key}</td>
            <td className="cell-wrap" data-testid="fact-value">
              {key === 'with' && Array.isArray(value)
                ? value.map((code) => t.rules[String(code)] ?? String(code)).join(', ')
                : factText(value)}
            </td>
          </tr>
        ))}
      </DataTable>
    </Card>
  );
}

function NameMatch(props: { match: ScreeningMatch }): ReactNode {
  const { t } = useI18n();
  const { match } = props;
  return (
    <Card id="name-match" title={t.nameMatchTitle} lead={t.nameMatchLead(match.list, match.key)} testId="name-match">
      <div className="name-pair">
        <figure className="name-side" data-testid="query-name">
          <figcaption>{t.nameMatchScreened[match.subjectType]}</figcaption>
          <p className="name-text">{match.queryName}</p>
        </figure>
        <span className="name-versus" aria-hidden="true">
          ≈
        </span>
        <figure className="name-side" data-testid="matched-name">
          <figcaption>{t.nameMatchListed(match.list)}</figcaption>
          <p className="name-text">{match.matchedName}</p>
          {match.recordName !== match.matchedName && <p className="name-note">{t.nameMatchPrimaryName(match.recordName)}</p>}
        </figure>
      </div>
      <div className="score-list">
        <ScoreBar label={t.nameMatchScore} score={match.score} testId="match-score" />
        {match.features.map((feature) => (
          <ScoreBar key={feature.name} label={t.features[feature.name] ?? feature.name} score={feature.score} testId="feature-score" />
        ))}
      </div>
      {match.notes.length > 0 && (
        <ul className="match-notes" data-testid="match-notes">
          {match.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function RecordFacts(props: { record: ListRecord }): ReactNode {
  const { t } = useI18n();
  const { record } = props;
  const rows: Array<[string, ReactNode, string]> = [
    [t.recordList, `${record.list} · ${record.key}`, 'list'],
    [t.recordSchema, record.schema, 'schema'],
    [t.recordTopics, record.topics.map((topic) => t.topics[topic] ?? topic).join(', ') || '–', 'topics'],
    [t.recordProgrammes, record.programmes.join(', ') || '–', 'programmes'],
    [
      t.recordNames,
      <ul className="record-names" key="names">
        {record.names.map((name) => (
          <li key={`${name.full}-${name.quality}`} lang={name.lang ?? undefined}>
            {name.full} <span className="muted">({t.nameQuality[name.quality]})</span>
          </li>
        ))}
      </ul>,
      'names',
    ],
    [t.recordBirthDates, record.birthDates.join(', ') || '–', 'birthDates'],
    [t.recordCountries, record.countries.join(', ') || '–', 'countries'],
    [t.recordListedOn, record.listedOn ?? '–', 'listedOn'],
    [t.recordRemarks, record.remarks ?? '–', 'remarks'],
  ];
  return (
    <>
      {(!record.current || !record.sameAsMatched) && (
        <Notice tone="info">{record.current ? t.recordChanged : t.recordNotCurrent(record.version)}</Notice>
      )}
      <dl className="record-facts">
        {rows.map(([label, value, key]) => (
          <div key={key} className="record-fact" data-testid="record-fact" data-field={key}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}

function ListRecordCard(props: { match: ScreeningMatch }): ReactNode {
  const { t } = useI18n();
  const { record } = props.match;
  return (
    <Card
      id="list-record"
      title={t.recordTitle}
      lead={record ? t.recordLead(record.version) : undefined}
      testId="list-record"
      className="section-gap"
    >
      {record ? <RecordFacts record={record} /> : <p className="card-body muted">{t.recordMissing}</p>}
    </Card>
  );
}

function Parties(props: { alert: AmlAlertDetail }): ReactNode {
  const { t, locale } = useI18n();
  const { customer, transfer, recipient } = props.alert;
  return (
    <dl className="case-facts card" data-testid="alert-parties">
      <div className="case-fact">
        <dt>{t.alertCustomer}</dt>
        <dd data-testid="alert-customer">
          <CustomerProfileLink userId={customer.id}>{customer.name ?? customer.email ?? customer.id}</CustomerProfileLink>
        </dd>
        <dd className="figure-note">
          <code className="id" title={customer.id}>
            {customer.id}
          </code>
          {customer.birthDate && ` · ${customer.birthDate}`}
        </dd>
        <dd className="figure-note">
          {t.kycStatus[customer.kycStatus]}
          {customer.amlFrozenAt && ` · ${t.alertFrozen(formatDateTime(new Date(customer.amlFrozenAt), locale))}`}
          {customer.deletedAt && ` · ${t.alertDeleted}`}
        </dd>
      </div>
      <div className="case-fact">
        <dt>{t.colTransaction}</dt>
        {transfer ? (
          <>
            <dd>
              <AppLink to={pathFor('transfer', '', transfer.id)} testId="alert-transfer-link">
                <code>{transfer.id}</code>
              </AppLink>
            </dd>
            <dd className="figure-note">
              <TransferStatusBadge status={transfer.status} testId="alert-transfer-status" />{' '}
              {formatAmount(transfer.sendAmount, 'NOK', locale)}
              {transfer.receiveAmount &&
                transfer.receiveCurrency &&
                ` → ${formatAmount(transfer.receiveAmount, transfer.receiveCurrency, locale)}`}
            </dd>
          </>
        ) : (
          <dd className="muted">{t.noTransaction}</dd>
        )}
      </div>
      <div className="case-fact">
        <dt>{t.alertRecipient}</dt>
        {recipient ? (
          <>
            <dd>{recipient.name}</dd>
            <dd className="figure-note">{recipient.country}</dd>
          </>
        ) : (
          <dd className="muted">–</dd>
        )}
      </div>
      <div className="case-fact">
        <dt>{t.colCreated}</dt>
        <dd>{formatDateTime(new Date(props.alert.createdAt), locale)}</dd>
        {props.alert.reviewedAt && (
          <dd className="figure-note">{t.alertReviewed(formatDateTime(new Date(props.alert.reviewedAt), locale))}</dd>
        )}
      </div>
    </dl>
  );
}

/** One AML alert and why it fired: the rule's facts, the parties, and for a name match both names, the scores and the list record. */
export function AmlAlertPage(props: { alertId: string }): ReactNode {
  const { t } = useI18n();
  const { me } = useSession();
  const { result, reloading, reload } = useStaffData(['aml-alert', props.alertId], (signal) => fetchAmlAlert(props.alertId, signal));
  const back = <BackLink to={pathFor('aml')} label={t.backToAlerts} />;

  if (result.state !== 'ok') {
    return (
      <>
        {back}
        <PageHead title={t.alertTitle} />
        {result.state === 'error' && result.code === 'NOT_FOUND' ? (
          <Notice tone="info">{t.alertNotFound}</Notice>
        ) : (
          <LoadProblem result={result} retry={reload} role={t.roles[me.role]} />
        )}
      </>
    );
  }

  const alert = result.data;
  return (
    <>
      {back}
      <PageHead
        title={`${t.rules[alert.rule] ?? alert.rule}`}
        lead={
          <span className="case-lead">
            <SeverityBadge severity={alert.severity} />
            <Badge tone={alert.status === 'open' ? 'info' : 'neutral'} testId="alert-status">
              {t.alertStatus[alert.status]}
            </Badge>
            {alert.action && (
              <Badge tone={alert.action === 'hold' ? 'warn' : 'neutral'} testId="alert-action">
                {t.alertAction[alert.action]}
              </Badge>
            )}
            <code className="id" data-testid="alert-id">
              {alert.id}
            </code>
            {alert.ruleVersion !== null && (
              <span className="muted" title={t.ruleCodeTitle(alert.rule)}>
                {t.ruleVersion(alert.ruleVersion)}
              </span>
            )}
          </span>
        }
      >
        <RefreshControl result={result} reloading={reloading} reload={reload} />
      </PageHead>
      {alert.summary && (
        <Notice tone="info" testId="alert-summary">
          <SystemReason reason={alert.summary} />
        </Notice>
      )}
      <Parties alert={alert} />
      <AlertReview alert={alert} reload={reload} />
      <AlertCase alert={alert} />
      {alert.screeningMatch ? (
        <div className="case-columns">
          <div>
            <NameMatch match={alert.screeningMatch} />
            <ListRecordCard match={alert.screeningMatch} />
          </div>
          <Facts alert={alert} />
        </div>
      ) : (
        <Facts alert={alert} />
      )}
      <AlertHistory alert={alert} />
    </>
  );
}

import { type CustomerDataRequest, fetchMyDataRequests, formatDate, formatDateTime, requestErasure } from '@drop/web-common';
import { type ReactNode, useState } from 'react';
import { ErrorCard, Loading } from './AccountArea.tsx';
import { farewellFor, useAccount, useCustomerQuery } from './account.tsx';
import { BackLink, CardHead, PageHead } from './card.tsx';
import { ConfirmButton } from './confirm-dialog.tsx';
import { useI18n } from './i18n.ts';
import { AlertIcon, BanIcon, DownloadIcon, ListIcon } from './icons.tsx';
import { useNavigate } from './routes.ts';

type ExportFormat = 'json' | 'zip';

/** The file name the server gave (`Content-Disposition`), or a sensible one. */
function fileNameOf(response: Response, format: ExportFormat): string {
  const match = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '');
  return match?.[1] ?? `drop-data-export.${format}`;
}

/**
 * Downloads the export through fetch (not a plain link), so a refusal (429 after ten an hour, 401
 * when the session ended) is shown on the page instead of saved as a file, and the request list
 * can be refreshed once the export is recorded.
 */
async function downloadExport(format: ExportFormat): Promise<{ ok: true } | { ok: false; status: number }> {
  let response: Response;
  try {
    response = await fetch(`/api/user/data-export${format === 'zip' ? '?format=zip' : ''}`, { credentials: 'same-origin' });
  } catch {
    return { ok: false, status: 0 };
  }
  if (!response.ok) return { ok: false, status: response.status };
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileNameOf(response, format);
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: some browsers read the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { ok: true };
}

function DownloadCard(props: { onDownloaded(): void }): ReactNode {
  const { t } = useI18n();
  const { end } = useAccount();
  const [busy, setBusy] = useState<ExportFormat>();
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState('');
  const download = async (format: ExportFormat) => {
    setBusy(format);
    setProblem(undefined);
    setDone('');
    const result = await downloadExport(format);
    setBusy(undefined);
    if (result.ok) {
      setDone(t.privacy.downloaded);
      props.onDownloaded();
      return;
    }
    if (result.status === 401) return end(farewellFor({}));
    setProblem(result.status === 429 ? t.privacy.tooManyExports : t.privacy.downloadFailed);
  };
  return (
    <section className="card" aria-labelledby="privacy-download-title" data-testid="privacy-download">
      <CardHead icon={<DownloadIcon />} titleId="privacy-download-title" title={t.privacy.downloadTitle} />
      <p className="card-text">{t.privacy.downloadText}</p>
      {problem && (
        <div className="inline-alert" role="alert" data-testid="privacy-download-error">
          <AlertIcon />
          {problem}
        </div>
      )}
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="privacy-download-status">
        {done}
      </p>
      <div className="card-actions">
        {(['json', 'zip'] as const).map((format) => (
          <button
            key={format}
            type="button"
            className={format === 'json' ? 'button button-primary' : 'button button-secondary'}
            onClick={() => void download(format)}
            disabled={busy !== undefined}
            aria-busy={busy === format}
            data-testid={`privacy-download-${format}`}
          >
            <DownloadIcon />
            {busy === format ? t.privacy.preparing : format === 'json' ? t.privacy.downloadJson : t.privacy.downloadZip}
          </button>
        ))}
      </div>
      <p className="card-foot-note">{t.privacy.downloadNote}</p>
    </section>
  );
}

function RequestList(props: { requests: CustomerDataRequest[] }): ReactNode {
  const { t, locale } = useI18n();
  if (props.requests.length === 0) return <p className="card-text">{t.privacy.noRequests}</p>;
  return (
    <ul className="privacy-requests" data-testid="privacy-requests">
      {props.requests.map((request) => (
        <li
          key={request.id}
          className="privacy-request"
          data-testid="privacy-request"
          data-type={request.type}
          data-status={request.status}
        >
          <p className="privacy-request-title">
            <span data-testid="privacy-request-type">{t.privacy.types[request.type]}</span>
            <span className="badge" data-testid="privacy-request-status">
              {t.privacy.statuses[request.status]}
            </span>
          </p>
          <dl className="session-meta">
            <div>
              <dt>{t.privacy.received}</dt>
              <dd>{formatDateTime(new Date(request.createdAt), locale)}</dd>
            </div>
            {request.completedAt ? (
              <div>
                <dt>{t.privacy.completed}</dt>
                <dd>{formatDateTime(new Date(request.completedAt), locale)}</dd>
              </div>
            ) : (
              <div>
                <dt>{t.privacy.due}</dt>
                <dd data-testid="privacy-request-due">{formatDate(request.dueAt, locale)}</dd>
              </div>
            )}
          </dl>
        </li>
      ))}
    </ul>
  );
}

function DeleteCard(): ReactNode {
  const { t } = useI18n();
  const { end } = useAccount();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  return (
    <section className="card" aria-labelledby="privacy-delete-title" data-testid="privacy-delete">
      <CardHead icon={<BanIcon />} titleId="privacy-delete-title" title={t.privacy.deleteTitle} />
      <p className="card-text">{t.privacy.deleteIntro}</p>
      <ul className="privacy-points">
        {t.privacy.deletePoints.map((point) => (
          <li key={point}>{point}</li>
        ))}
      </ul>
      {problem && (
        <div className="inline-alert" role="alert" data-testid="privacy-delete-error">
          <AlertIcon />
          {problem}
        </div>
      )}
      <div className="card-actions">
        <ConfirmButton
          label={t.privacy.deleteButton}
          icon={<BanIcon />}
          className="button button-danger-ghost"
          testId="privacy-delete-button"
          disabled={busy}
          dialogTestId="privacy-delete-dialog"
          title={t.privacy.deleteConfirmTitle}
          text={t.privacy.deleteConfirmText}
          keepLabel={t.cancel}
          confirmLabel={busy ? t.privacy.deleting : t.privacy.deleteConfirm}
          confirmTestId="privacy-delete-confirm"
          busy={busy}
          onConfirm={(close) => {
            setBusy(true);
            setProblem(undefined);
            void requestErasure().then((answer) => {
              setBusy(false);
              close();
              // Access ends at once: the server revoked the sessions; say goodbye on the front page.
              if (answer.kind === 'ok' || answer.kind === 'unauthenticated') {
                end('accountDeleted');
                navigate('/');
                return;
              }
              setProblem(answer.status === 404 ? t.privacy.deleteUnavailable : t.privacy.deleteFailed(answer.code));
            });
          }}
        />
      </div>
    </section>
  );
}

/** `/privacy`: download my data (JSON, or a ZIP with receipts), my privacy requests, and deleting my account. */
export function Privacy(): ReactNode {
  const { t } = useI18n();
  const query = useCustomerQuery({ queryKey: ['data-requests'], load: fetchMyDataRequests });
  const requests = query.isError ? undefined : query.data;
  return (
    <>
      <BackLink to="/home" label={t.sessionsBack} />
      <PageHead eyebrow={t.privacy.eyebrow} title={t.privacy.title} lead={t.privacy.lead} />
      <div className="privacy-stack">
        <DownloadCard onDownloaded={() => void query.refetch()} />
        <section className="card" aria-labelledby="privacy-requests-title" data-testid="privacy-requests-card">
          <CardHead icon={<ListIcon />} titleId="privacy-requests-title" title={t.privacy.requestsTitle} />
          <p className="card-text">{t.privacy.requestsText}</p>
          {query.isPending && <Loading label={t.loading} />}
          {query.isError && <ErrorCard title={t.loadFailedTitle} text={t.loadFailedText} onRetry={() => void query.refetch()} />}
          {requests && <RequestList requests={requests} />}
        </section>
        <DeleteCard />
        <p className="card-foot-note">{t.privacy.footNote}</p>
      </div>
    </>
  );
}

import { type ReactNode, useState } from 'react';
import { formatAmount } from './AmlAlerts.tsx';
import { caseTitleOf } from './AmlCases.tsx';
import { useI18n } from './i18n.ts';
import { Field, Notice } from './Login.tsx';
import { BackLink, Card, LoadProblem, PageHead } from './page.tsx';
import { pathFor, useNavigate } from './routes.ts';
import { useSession, useStaffData } from './session.ts';
import { draftStr, editStr, fetchStr, fetchStrDraftContext, type StrContentInput, type StrDraftContext } from './staff-api.ts';

interface PersonRow {
  firstName: string;
  lastName: string;
  birthDate: string;
  nationalId: string;
  note: string;
}
interface CompanyRow {
  name: string;
  orgNumber: string;
  note: string;
}
const NO_PERSON: PersonRow = { firstName: '', lastName: '', birthDate: '', nationalId: '', note: '' };
const NO_COMPANY: CompanyRow = { name: '', orgNumber: '', note: '' };
/** The answer when there is no case to draft from (no request is made). */
const NO_CASE = { kind: 'error', status: 404, code: 'NOT_FOUND' } as const;

/** A text input in a Field, for the repeated person and company rows. */
function TextInput(props: { label: string; value: string; name: string; onChange(value: string): void }): ReactNode {
  return (
    <Field label={props.label}>
      {(attributes) => (
        <input
          {...attributes}
          className="input"
          name={props.name}
          value={props.value}
          onChange={(event) => props.onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

/** The form's rows from what the drafter wrote before (editing a draft). */
function personRows(input: StrContentInput | undefined): PersonRow[] {
  return (input?.connectedPersons ?? []).map((person) => ({
    firstName: person.firstName,
    lastName: person.lastName,
    birthDate: person.birthDate ?? '',
    nationalId: person.nationalId ?? '',
    note: person.note ?? '',
  }));
}

function companyRows(input: StrContentInput | undefined): CompanyRow[] {
  return (input?.companies ?? []).map((company) => ({ name: company.name, orgNumber: company.orgNumber ?? '', note: company.note ?? '' }));
}

/** The drafting form: a new STR from a case, or (`editing`) the drafter's draft with what they wrote before. */
function DraftForm(props: { context: StrDraftContext; editing?: { strId: string; input: StrContentInput } }): ReactNode {
  const { t, locale } = useI18n();
  const { expire } = useSession();
  const navigate = useNavigate();
  const { context, editing } = props;
  const [grounds, setGrounds] = useState(editing?.input.grounds ?? '');
  const [actionTaken, setActionTaken] = useState(editing?.input.actionTaken ?? '');
  const [picked, setPicked] = useState<Set<string>>(
    () =>
      new Set(
        editing ? editing.input.transactionIds : context.transfers.filter((transfer) => transfer.flagged).map((transfer) => transfer.id),
      ),
  );
  const [persons, setPersons] = useState<PersonRow[]>(() => personRows(editing?.input));
  const [companies, setCompanies] = useState<CompanyRow[]>(() => companyRows(editing?.input));
  const [busy, setBusy] = useState(false);
  const [groundsError, setGroundsError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async () => {
    if (!grounds.trim()) {
      setGroundsError(t.strs.groundsRequired);
      return;
    }
    setGroundsError(undefined);
    setBusy(true);
    const content: StrContentInput = {
      grounds: grounds.trim(),
      actionTaken: actionTaken.trim() || null,
      transactionIds: context.transfers.filter((transfer) => picked.has(transfer.id)).map((transfer) => transfer.id),
      connectedPersons: persons
        .filter((person) => person.firstName.trim() && person.lastName.trim())
        .map((person) => ({
          firstName: person.firstName.trim(),
          lastName: person.lastName.trim(),
          birthDate: person.birthDate.trim() || null,
          nationalId: person.nationalId.replace(/\s/g, '') || null,
          note: person.note.trim() || null,
        })),
      companies: companies
        .filter((company) => company.name.trim())
        .map((company) => ({ name: company.name.trim(), orgNumber: company.orgNumber.trim() || null, note: company.note.trim() || null })),
    };
    const answer = editing ? await editStr(editing.strId, content) : await draftStr({ caseId: context.case.id, ...content });
    setBusy(false);
    if (answer.kind === 'ok') {
      navigate('str', { id: answer.data.id });
      return;
    }
    if (answer.kind === 'unauthenticated') expire();
    setFailure(answer.kind === 'error' ? (t.strs.errors[answer.code] ?? t.strs.failed(answer.code)) : t.strs.failed(''));
  };

  return (
    <form
      className="stack"
      data-testid="str-draft-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Card
        id="str-case"
        title={`${t.strs.caseLabel}: ${caseTitleOf(t, context.case)}`}
        lead={`${context.case.customerName ?? context.case.userId} · ${context.case.id}`}
      >
        <dl className="facts">
          <div className="fact">
            <dt>{t.strs.indicators}</dt>
            <dd data-testid="str-draft-indicators">{context.indicators.map((rule) => t.rules[rule] ?? rule).join(', ') || '–'}</dd>
          </div>
        </dl>
        {context.sanctionsHit && (
          <div className="card-body">
            <Notice tone="info">{t.strs.sanctionsHit}</Notice>
          </div>
        )}
      </Card>
      <Card id="str-grounds" title={t.strs.grounds}>
        <div className="card-body form">
          <Field label={t.strs.grounds} hint={t.strs.groundsHint} error={groundsError}>
            {(attributes) => (
              <textarea
                {...attributes}
                className="input textarea"
                name="grounds"
                rows={8}
                value={grounds}
                onChange={(event) => setGrounds(event.target.value)}
              />
            )}
          </Field>
          <Field label={t.strs.actionTaken}>
            {(attributes) => (
              <textarea
                {...attributes}
                className="input textarea"
                name="actionTaken"
                rows={2}
                value={actionTaken}
                onChange={(event) => setActionTaken(event.target.value)}
              />
            )}
          </Field>
        </div>
      </Card>
      <Card id="str-transfers" title={t.strs.transfers}>
        <div className="card-body">
          {context.transfers.length === 0 ? (
            <p className="muted">{t.strs.noTransfers}</p>
          ) : (
            <fieldset className="choice-group" data-testid="str-transfer-choices">
              <legend className="visually-hidden">{t.strs.transfers}</legend>
              {context.transfers.map((transfer) => (
                <label key={transfer.id} className="choice">
                  <input
                    type="checkbox"
                    name="transfer"
                    value={transfer.id}
                    data-testid="str-transfer-choice"
                    checked={picked.has(transfer.id)}
                    onChange={(event) => {
                      const next = new Set(picked);
                      if (event.target.checked) next.add(transfer.id);
                      else next.delete(transfer.id);
                      setPicked(next);
                    }}
                  />
                  <span className="choice-text">
                    <span className="choice-label">
                      {formatAmount(transfer.sendAmount, 'NOK', locale)}
                      {transfer.receiveAmount && transfer.receiveCurrency
                        ? ` (${formatAmount(transfer.receiveAmount, transfer.receiveCurrency, locale)})`
                        : ''}{' '}
                      → {transfer.recipientName ?? '–'}, {transfer.recipientCountry ?? ''}
                      {transfer.flagged && <strong> · {t.strs.flagged}</strong>}
                    </span>
                    <span className="choice-hint">
                      <code>{transfer.id}</code> · {transfer.createdAt.slice(0, 10)} · {transfer.customerName ?? transfer.userId}
                    </span>
                  </span>
                </label>
              ))}
            </fieldset>
          )}
        </div>
      </Card>
      <Card id="str-persons" title={t.strs.connectedPersons}>
        <div className="card-body form">
          {persons.map((person, index) => {
            const update = (field: keyof PersonRow) => (value: string) =>
              setPersons(persons.map((row, at) => (at === index ? { ...row, [field]: value } : row)));
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity until saved; their order is their identity
              <fieldset key={index} className="str-entry" data-testid="str-person">
                <TextInput label={t.strs.firstName} name="firstName" value={person.firstName} onChange={update('firstName')} />
                <TextInput label={t.strs.lastName} name="lastName" value={person.lastName} onChange={update('lastName')} />
                <TextInput label={t.strs.birthDate} name="birthDate" value={person.birthDate} onChange={update('birthDate')} />
                <TextInput label={t.strs.nationalId} name="nationalId" value={person.nationalId} onChange={update('nationalId')} />
                <TextInput label={t.strs.personNote} name="note" value={person.note} onChange={update('note')} />
                <button type="button" className="button button-small" onClick={() => setPersons(persons.filter((_, at) => at !== index))}>
                  {t.strs.remove}
                </button>
              </fieldset>
            );
          })}
          <button
            type="button"
            className="button button-small str-add"
            data-testid="str-add-person"
            onClick={() => setPersons([...persons, NO_PERSON])}
          >
            {t.strs.addPerson}
          </button>
        </div>
      </Card>
      <Card id="str-companies" title={t.strs.companies}>
        <div className="card-body form">
          {companies.map((company, index) => {
            const update = (field: keyof CompanyRow) => (value: string) =>
              setCompanies(companies.map((row, at) => (at === index ? { ...row, [field]: value } : row)));
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity until saved; their order is their identity
              <fieldset key={index} className="str-entry" data-testid="str-company">
                <TextInput label={t.strs.companyName} name="companyName" value={company.name} onChange={update('name')} />
                <TextInput label={t.strs.orgNumber} name="orgNumber" value={company.orgNumber} onChange={update('orgNumber')} />
                <TextInput label={t.strs.personNote} name="companyNote" value={company.note} onChange={update('note')} />
                <button
                  type="button"
                  className="button button-small"
                  onClick={() => setCompanies(companies.filter((_, at) => at !== index))}
                >
                  {t.strs.remove}
                </button>
              </fieldset>
            );
          })}
          <button
            type="button"
            className="button button-small str-add"
            data-testid="str-add-company"
            onClick={() => setCompanies([...companies, NO_COMPANY])}
          >
            {t.strs.addCompany}
          </button>
        </div>
      </Card>
      {failure && (
        <Notice tone="error" testId="str-draft-error">
          {failure}
        </Notice>
      )}
      <p>
        <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy} data-testid="str-save">
          {busy ? t.strs.saving : t.strs.save}
        </button>
      </p>
    </form>
  );
}

/** `/console/strs/new?case=<case id>`: an officer drafts an STR from a case. */
export function StrDraft(props: { search: string }): ReactNode {
  const { t } = useI18n();
  const { me } = useSession();
  const caseId = new URLSearchParams(props.search).get('case') ?? '';
  // Without a case in the address there is nothing to ask the API for.
  const { result, reload } = useStaffData(['str-draft-context', caseId], (signal) =>
    caseId ? fetchStrDraftContext(caseId, signal) : Promise.resolve(NO_CASE),
  );
  return (
    <>
      <BackLink to={pathFor('strs')} label={t.strs.back} />
      <PageHead title={t.strs.newTitle} lead={t.strs.newLead} />
      {!caseId ? (
        <Notice tone="error">{t.strs.noCase}</Notice>
      ) : result.state !== 'ok' ? (
        <LoadProblem result={result} retry={reload} role={t.roles[me.role]} />
      ) : (
        <DraftForm key={caseId} context={result.data} />
      )}
    </>
  );
}

/** `/console/strs/<id>/edit`: the drafter edits their draft (returned to them, or not yet submitted). */
export function StrEdit(props: { strId: string }): ReactNode {
  const { t } = useI18n();
  const { me } = useSession();
  const str = useStaffData(['str', props.strId], (signal) => fetchStr(props.strId, signal));
  const caseId = str.result.state === 'ok' ? (str.result.data.caseId ?? '') : '';
  const context = useStaffData(['str-draft-context', caseId], (signal) =>
    caseId ? fetchStrDraftContext(caseId, signal) : Promise.resolve(NO_CASE),
  );
  return (
    <>
      <BackLink to={pathFor('str', '', props.strId)} label={t.strs.backToStr} />
      <PageHead title={t.strs.editTitle} lead={t.strs.newLead} />
      {str.result.state !== 'ok' ? (
        <LoadProblem result={str.result} retry={str.reload} role={t.roles[me.role]} />
      ) : str.result.data.status !== 'draft' || !str.result.data.draftInput ? (
        <Notice tone="error">{t.strs.notEditable}</Notice>
      ) : context.result.state !== 'ok' ? (
        <LoadProblem result={context.result} retry={context.reload} role={t.roles[me.role]} />
      ) : (
        <DraftForm key={props.strId} context={context.result.data} editing={{ strId: props.strId, input: str.result.data.draftInput }} />
      )}
    </>
  );
}

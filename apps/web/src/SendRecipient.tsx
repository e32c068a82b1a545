/** Step 2 of `/send`: pick one of the customer's recipients in the destination, or add one. */
import {
  type ApiProblem,
  addRecipient,
  type Corridor,
  editRecipient,
  type Locale,
  type Quote,
  RELATIONSHIPS,
  type Recipient,
  type RecipientField,
  type Relationship,
} from '@drop/web-common';
import { type FormEvent, type ReactNode, type Ref, useEffect, useId, useRef, useState } from 'react';
import { farewellFor, useAccount } from './account.tsx';
import { CardHead } from './card.tsx';
import { type Messages, useI18n } from './i18n.ts';
import { AlertIcon, BackIcon, ChevronIcon, PlusIcon, ReceiptIcon, UsersIcon } from './icons.tsx';
import { Countdown, FigureList, initialsOf, useMoneyFormat } from './transfer-ui.tsx';

/** The price taken on step 1, shown beside the later steps with its countdown. */
export function LockedPrice(props: { quote: Quote; deadline: number; now: number; onChange(): void }): ReactNode {
  const { t } = useI18n();
  const titleId = useId();
  return (
    <section className="card price-card" aria-labelledby={titleId} data-testid="locked-price">
      <CardHead icon={<ReceiptIcon />} titleId={titleId} title={t.quoteTitle} />
      <FigureList figures={props.quote} />
      <Countdown deadline={props.deadline} now={props.now} />
      <button type="button" className="button button-secondary price-change" onClick={props.onChange}>
        <BackIcon />
        {t.changeAmount}
      </button>
    </section>
  );
}

interface FieldProblem {
  /** `name`, `relationship` or a payout field's name. */
  field: string;
  message: string;
}

/** Where the API's `details.field` points: "details.iban" → "iban"; anything unknown stays on the form. */
function problemOf(t: Messages, locale: Locale, corridor: Corridor, error: ApiProblem, country: string) {
  const field = typeof error.details?.field === 'string' ? error.details.field : undefined;
  const reason = typeof error.details?.reason === 'string' ? error.details.reason : 'invalid';
  if (error.code !== 'RECIPIENT_INVALID' || !field) return undefined;
  const name = field.startsWith('details.') ? field.slice('details.'.length) : field;
  const payout = corridor.recipientFields.find((candidate) => candidate.name === name);
  const label = name === 'name' ? t.recipientName : name === 'relationship' ? t.recipientRelationshipShort : payout?.label[locale];
  if (!label) return undefined;
  const message = (t.recipientFieldErrors[reason] ?? t.recipientFieldErrors.invalid)?.(label, country) ?? '';
  return { field: name, message } satisfies FieldProblem;
}

function TextField(props: {
  name: string;
  label: string;
  hint?: string;
  optional?: boolean;
  value: string;
  onChange(value: string): void;
  error?: string;
  inputRef?: Ref<HTMLInputElement>;
  upper?: boolean;
}): ReactNode {
  const { t } = useI18n();
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const described = [props.hint ? hintId : '', props.error ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {props.label}
        {props.optional && <span className="field-optional"> ({t.optional})</span>}
      </label>
      <input
        id={id}
        ref={props.inputRef}
        className={`input${props.error ? ' input-invalid' : ''}${props.upper ? ' input-code' : ''}`}
        type="text"
        autoComplete="off"
        spellCheck={false}
        autoCapitalize={props.upper ? 'characters' : undefined}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={described || undefined}
        data-testid={`recipient-field-${props.name}`}
      />
      {props.hint && (
        <p id={hintId} className="field-hint">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={errorId} className="field-error" data-testid={`recipient-error-${props.name}`}>
          <AlertIcon />
          {props.error}
        </p>
      )}
    </div>
  );
}

/**
 * The recipient form, drawn from the corridor's recipient fields: a new recipient, or (with
 * `initial`) a change to one, which the server validates exactly as a new one.
 */
export function RecipientForm(props: {
  corridor: Corridor;
  initial?: Recipient;
  onAdded(recipient: Recipient): void;
  onCancel?: () => void;
}): ReactNode {
  const { t, locale } = useI18n();
  const { end } = useAccount();
  const format = useMoneyFormat();
  const { corridor } = props;
  const { initial } = props;
  const [name, setName] = useState(initial?.name ?? '');
  const [relationship, setRelationship] = useState<Relationship | ''>((initial?.relationship as Relationship | undefined) ?? '');
  const [details, setDetails] = useState<Record<string, string>>(initial?.details ?? {});
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<FieldProblem>();
  const [failed, setFailed] = useState<string>();
  const inputs = useRef(new Map<string, HTMLElement | null>());
  const relationshipId = useId();

  // After a refusal, focus goes to the field it names.
  useEffect(() => {
    if (problem) inputs.current.get(problem.field)?.focus();
  }, [problem]);

  const fieldRef = (field: string) => (element: HTMLElement | null) => {
    inputs.current.set(field, element);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    setSaving(true);
    setProblem(undefined);
    setFailed(undefined);
    const given = Object.fromEntries(Object.entries(details).filter(([, value]) => value.trim() !== ''));
    const body = {
      name,
      country: corridor.country,
      currency: corridor.currency,
      relationship: relationship as Relationship,
      details: given,
    };
    void (initial ? editRecipient(initial.id, body) : addRecipient(body)).then((result) => {
      setSaving(false);
      if (result.kind === 'unauthenticated') return end(farewellFor(result));
      if (result.kind === 'ok') return props.onAdded(result.data);
      const located = problemOf(t, locale, corridor, result, format.country(corridor.country));
      if (located) setProblem(located);
      else if (result.code === 'RECIPIENT_IN_USE' && initial) setFailed(t.recipientsPage.inUseEdit(initial.name));
      else setFailed(result.code === 'RECIPIENT_INVALID' && result.detail ? result.detail : t.recipientSaveFailed);
    });
  };

  const errorFor = (field: string) => (problem?.field === field ? problem.message : undefined);
  return (
    <form className="recipient-form" onSubmit={submit} noValidate data-testid="recipient-form">
      <h3 className="recipient-form-title">{initial ? t.recipientsPage.editTitle(initial.name) : t.recipientFormTitle}</h3>
      {initial && <p className="field-hint recipient-form-note">{t.recipientsPage.editNote}</p>}
      {(problem || failed) && (
        <div className="inline-alert" role="alert" data-testid="recipient-form-error">
          <AlertIcon />
          {failed ?? t.recipientFormError}
        </div>
      )}
      <TextField
        name="name"
        label={t.recipientName}
        hint={t.recipientNameHint}
        value={name}
        onChange={setName}
        error={errorFor('name')}
        inputRef={fieldRef('name')}
      />
      <div className="field">
        <label htmlFor={relationshipId} className="field-label">
          {t.recipientRelationship}
        </label>
        <select
          id={relationshipId}
          ref={fieldRef('relationship')}
          className={`select${errorFor('relationship') ? ' input-invalid' : ''}`}
          value={relationship}
          onChange={(event) => setRelationship(event.target.value as Relationship)}
          aria-invalid={errorFor('relationship') ? true : undefined}
          aria-describedby={errorFor('relationship') ? `${relationshipId}-error` : undefined}
          data-testid="recipient-field-relationship"
        >
          <option value="" disabled>
            {t.relationshipPlaceholder}
          </option>
          {RELATIONSHIPS.map((option) => (
            <option key={option} value={option}>
              {t.relationships[option]}
            </option>
          ))}
        </select>
        {errorFor('relationship') && (
          <p id={`${relationshipId}-error`} className="field-error" data-testid="recipient-error-relationship">
            <AlertIcon />
            {errorFor('relationship')}
          </p>
        )}
      </div>
      {corridor.recipientFields.map((field: RecipientField) => (
        <TextField
          key={field.name}
          name={field.name}
          label={field.label[locale]}
          hint={[field.hint?.[locale], t.fieldExample(field.example)].filter(Boolean).join('. ')}
          optional={!field.required}
          value={details[field.name] ?? ''}
          onChange={(value) => setDetails((previous) => ({ ...previous, [field.name]: value }))}
          error={errorFor(field.name)}
          inputRef={fieldRef(field.name)}
          upper={/iban|bic|ifsc/i.test(field.name)}
        />
      ))}
      <div className="form-actions">
        {props.onCancel && (
          <button type="button" className="button button-ghost" onClick={props.onCancel} disabled={saving}>
            {t.cancel}
          </button>
        )}
        <button type="submit" className="button button-primary" disabled={saving} aria-busy={saving} data-testid="recipient-save">
          {saving ? t.recipientSaving : initial ? t.recipientsPage.saveChanges : t.recipientSave}
          {!saving && <ChevronIcon />}
        </button>
      </div>
    </form>
  );
}

export interface RecipientStepProps {
  corridor: Corridor;
  recipients: Recipient[];
  selectedId: string | undefined;
  onSelect(id: string): void;
  onAdded(recipient: Recipient): void;
  onBack(): void;
  onContinue(): void;
  headingRef: Ref<HTMLHeadingElement>;
  aside: ReactNode;
}

export function RecipientStep(props: RecipientStepProps): ReactNode {
  const { t } = useI18n();
  const format = useMoneyFormat();
  const { corridor } = props;
  const matching = props.recipients.filter((r) => r.country === corridor.country && r.currency === corridor.currency);
  const [adding, setAdding] = useState(matching.length === 0);
  const country = format.country(corridor.country);
  const legendId = useId();

  return (
    <div className="send-grid" data-testid="send-step-recipient">
      <section className="card send-card" aria-labelledby="recipient-title">
        <div className="card-head">
          <span className="card-icon">
            <UsersIcon />
          </span>
          <h2 id="recipient-title" className="card-title" tabIndex={-1} ref={props.headingRef}>
            {t.recipientTitle(country)}
          </h2>
        </div>
        {matching.length > 0 ? (
          <fieldset className="recipient-options" aria-labelledby={legendId}>
            <legend id={legendId} className="field-label">
              {t.recipientListLabel}
            </legend>
            {matching.map((recipient) => (
              <label key={recipient.id} className="recipient-option" data-testid="recipient-option">
                <input
                  type="radio"
                  name="recipient"
                  value={recipient.id}
                  checked={props.selectedId === recipient.id}
                  onChange={() => props.onSelect(recipient.id)}
                />
                <span className="avatar recipient-avatar" aria-hidden="true">
                  {initialsOf(recipient.name)}
                </span>
                <span className="recipient-text">
                  <span className="recipient-name">{recipient.name}</span>
                  <span className="recipient-meta">
                    <span className="mono">{recipient.display}</span>
                    <span> · {t.relationships[recipient.relationship] ?? recipient.relationship}</span>
                  </span>
                </span>
              </label>
            ))}
          </fieldset>
        ) : (
          <p className="card-text">{t.recipientNone(country)}</p>
        )}

        {adding ? (
          <RecipientForm
            corridor={corridor}
            onAdded={(recipient) => {
              setAdding(false);
              props.onAdded(recipient);
            }}
            onCancel={matching.length > 0 ? () => setAdding(false) : undefined}
          />
        ) : (
          <button type="button" className="button button-ghost add-recipient" onClick={() => setAdding(true)} data-testid="recipient-add">
            <PlusIcon />
            {t.recipientAdd}
          </button>
        )}

        <div className="step-actions">
          <button type="button" className="button button-ghost" onClick={props.onBack}>
            <BackIcon />
            {t.back}
          </button>
          {!adding && (
            <button
              type="button"
              className="button button-primary"
              onClick={props.onContinue}
              disabled={!props.selectedId}
              data-testid="recipient-continue"
            >
              {t.continue}
              <ChevronIcon />
            </button>
          )}
        </div>
      </section>
      {props.aside}
    </div>
  );
}

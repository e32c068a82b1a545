/**
 * `/send`: the customer's send-money flow. Four steps on one page – amount and destination with
 * a live price, recipient, review, confirmation – and, for a customer who cannot send yet, what
 * to do first.
 */
import {
  type ApiResult,
  type Corridor,
  fetchCorridors,
  fetchKyc,
  fetchRecipients,
  type KycOverview,
  parseAmountInput,
  type Recipient,
  type Transfer,
  toAmountInput,
} from '@drop/web-common';
import { useRetry } from '@drop/web-common/query';
import { AppLink } from '@drop/web-common/routing';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { ErrorCard, Loading } from './AccountArea.tsx';
import { useAccount, useCustomerQuery } from './account.tsx';
import { BackLink, PageHead } from './card.tsx';
import { useI18n } from './i18n.ts';
import { CheckIcon, ChevronIcon, IdCardIcon } from './icons.tsx';
import { type AmountMode, AmountStep, corridorKey } from './SendAmount.tsx';
import { LockedPrice, RecipientStep } from './SendRecipient.tsx';
import { DoneStep, ReviewStep } from './SendReview.tsx';
import { useNow } from './transfer-ui.tsx';
import { askKey, type QuoteAsk, useQuote } from './use-quote.ts';

const STEPS = ['amount', 'recipient', 'review', 'done'] as const;
type Step = (typeof STEPS)[number];

interface SendData {
  kyc: KycOverview;
  corridors: Corridor[];
  recipients: Recipient[];
}

/** The customer's KYC state, the corridors and their recipients, asked all at once; the first answer that is not 'ok' (a 401 before others) stands for all. */
async function loadSendData(signal: AbortSignal): Promise<ApiResult<SendData>> {
  const [kyc, corridors, recipients] = await Promise.all([fetchKyc(signal), fetchCorridors(signal), fetchRecipients(signal)]);
  const signedOut = [kyc, corridors, recipients].find((answer) => answer.kind === 'unauthenticated');
  if (signedOut) return signedOut;
  if (kyc.kind !== 'ok') return kyc;
  if (corridors.kind !== 'ok') return corridors;
  if (recipients.kind !== 'ok') return recipients;
  return { kind: 'ok', data: { kyc: kyc.data, corridors: corridors.data, recipients: recipients.data } };
}

/** What the send page needs, loaded afresh each time it opens (the flow keeps its own list of recipients from there). */
function useSendData(): { data: SendData | undefined; failed: boolean; retry(): void } {
  const { setKycStatus } = useAccount();
  const queryKey = ['send'];
  const query = useCustomerQuery({ queryKey, load: loadSendData, gcTime: 0 });
  const status = query.data?.kyc.status;
  useEffect(() => {
    if (status) setKycStatus(status);
  }, [status, setKycStatus]);
  return { data: query.isError ? undefined : query.data, failed: query.isError, retry: useRetry(queryKey) };
}

function Stepper(props: { step: Step }): ReactNode {
  const { t } = useI18n();
  const current = STEPS.indexOf(props.step);
  return (
    <ol className="stepper" aria-label={t.sendStepsLabel} data-testid="send-stepper">
      {t.sendSteps.map((label, index) => {
        const state = index < current || props.step === 'done' ? 'done' : index === current ? 'current' : 'todo';
        return (
          <li
            key={label}
            className={`stepper-step stepper-${state}${index === current ? ' stepper-here' : ''}`}
            aria-current={index === current ? 'step' : undefined}
          >
            <span className="stepper-dot" aria-hidden="true">
              {state === 'done' ? <CheckIcon /> : index + 1}
            </span>
            <span className="stepper-label">{label}</span>
          </li>
        );
      })}
    </ol>
  );
}

/** For a customer who may not send yet: why, and the way to the identity check. */
function NotYet(props: { kyc: KycOverview }): ReactNode {
  const { t } = useI18n();
  const { status } = props.kyc;
  return (
    <section className="card kyc-state send-blocked" data-tone="warn" data-testid="send-blocked" data-status={status}>
      <span className="kyc-state-icon" aria-hidden="true">
        <IdCardIcon />
      </span>
      <div className="kyc-state-body">
        <h2 className="kyc-state-title">{t.sendBlockedTitle}</h2>
        <p className="kyc-state-text">{t.kycText[status]}</p>
        <div className="kyc-state-actions">
          <AppLink to="/kyc" className="button button-primary" testId="send-blocked-kyc">
            {t.kycCardAction[status]}
            <ChevronIcon />
          </AppLink>
        </div>
      </div>
    </section>
  );
}

function SendFlow(props: { corridors: Corridor[]; recipients: Recipient[] }): ReactNode {
  const { t, locale } = useI18n();
  const [step, setStep] = useState<Step>('amount');
  const [destination, setDestination] = useState('');
  const [mode, setMode] = useState<AmountMode>('send');
  const [amountText, setAmountText] = useState('');
  const [recipients, setRecipients] = useState(props.recipients);
  const [recipientId, setRecipientId] = useState<string>();
  const [transfer, setTransfer] = useState<Transfer>();
  const heading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  const corridor = props.corridors.find((c) => corridorKey(c) === destination);
  const ask = useMemo<QuoteAsk>(() => {
    if (!corridor || amountText.trim() === '') return 'empty';
    const amount = parseAmountInput(amountText, locale);
    if (amount === undefined) return 'invalid';
    const where = { country: corridor.country, currency: corridor.currency };
    return mode === 'send' ? { ...where, sendAmount: amount } : { ...where, receiveAmount: amount };
  }, [corridor, amountText, mode, locale]);
  const { state: quote, refresh } = useQuote(ask, step === 'amount');
  const quoteCurrent = typeof ask !== 'string' && quote.askKey === askKey(ask);
  const now = useNow(step !== 'done');
  const recipient = recipients.find((r) => r.id === recipientId);

  // A new step: focus its heading, so keyboard and screen-reader users start there.
  useEffect(() => {
    void step;
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    heading.current?.focus();
  }, [step]);

  const locked = quote.quote && quote.deadline !== undefined ? { quote: quote.quote, deadline: quote.deadline } : undefined;

  // A new price could not be had on a later step: back to the amount, which says why.
  const lost = (step === 'recipient' || step === 'review') && !locked && quote.status !== 'loading';
  useEffect(() => {
    if (lost) setStep('amount');
  }, [lost]);

  const go = (next: Step) => {
    setStep(next);
    window.scrollTo({ top: 0, behavior: 'instant' });
  };

  const switchMode = (next: AmountMode) => {
    if (next === mode) return;
    // Keep the figures in step: the other side of the current price becomes the amount typed.
    const current = quote.status === 'ok' && quoteCurrent ? quote.quote : undefined;
    if (current) setAmountText(toAmountInput(next === 'send' ? current.send.amount : current.receive.amount, locale));
    setMode(next);
  };

  const chooseDestination = (key: string) => {
    setDestination(key);
    const next = props.corridors.find((c) => corridorKey(c) === key);
    if (recipient && next && (recipient.country !== next.country || recipient.currency !== next.currency)) setRecipientId(undefined);
  };

  const startOver = () => {
    setTransfer(undefined);
    setAmountText('');
    setMode('send');
    setRecipientId(undefined);
    go('amount');
  };

  return (
    <div className="send-flow" data-testid="send-flow" data-step={step}>
      <Stepper step={step} />
      <p className="visually-hidden" aria-live="polite">
        {t.stepOf(STEPS.indexOf(step) + 1, STEPS.length)}: {t.sendSteps[STEPS.indexOf(step)]}
      </p>
      {step === 'amount' && (
        <AmountStep
          corridors={props.corridors}
          corridor={corridor}
          onDestination={chooseDestination}
          mode={mode}
          onMode={switchMode}
          amountText={amountText}
          onAmountText={setAmountText}
          quote={quote}
          quoteCurrent={quoteCurrent}
          now={now}
          onRetry={refresh}
          onContinue={() => go(recipient ? 'review' : 'recipient')}
          headingRef={heading}
        />
      )}
      {step === 'recipient' && corridor && locked && (
        <RecipientStep
          corridor={corridor}
          recipients={recipients}
          selectedId={recipientId}
          onSelect={setRecipientId}
          onAdded={(added) => {
            setRecipients((previous) => [added, ...previous.filter((r) => r.id !== added.id)]);
            setRecipientId(added.id);
            go('review');
          }}
          onBack={() => go('amount')}
          onContinue={() => go('review')}
          headingRef={heading}
          aside={<LockedPrice quote={locked.quote} deadline={locked.deadline} now={now} onChange={() => go('amount')} />}
        />
      )}
      {step === 'review' && corridor && locked && recipient && (
        <ReviewStep
          key={`${locked.quote.id}:${recipient.id}`}
          corridor={corridor}
          quote={locked.quote}
          deadline={locked.deadline}
          now={now}
          recipient={recipient}
          renewing={quote.status === 'loading'}
          onNewPrice={refresh}
          onChangeAmount={() => go('amount')}
          onChangeRecipient={() => go('recipient')}
          onSent={(sent) => {
            setTransfer(sent);
            go('done');
          }}
          headingRef={heading}
        />
      )}
      {step === 'done' && transfer && (
        <DoneStep
          transfer={transfer}
          deadline={locked && locked.quote.id === transfer.quoteId ? locked.deadline : undefined}
          onAnother={startOver}
          headingRef={heading}
        />
      )}
    </div>
  );
}

/** `/send`. */
export function Send(): ReactNode {
  const { t } = useI18n();
  const { data, failed, retry } = useSendData();
  return (
    <>
      <BackLink to="/home" label={t.sessionsBack} />
      <PageHead eyebrow={t.sendEyebrow} title={t.sendHeadline} lead={t.sendLead} />
      {!data && !failed && <Loading label={t.loading} />}
      {failed && <ErrorCard title={t.loadFailedTitle} text={t.loadFailedText} onRetry={retry} />}
      {data && (data.kyc.canSend ? <SendFlow corridors={data.corridors} recipients={data.recipients} /> : <NotYet kyc={data.kyc} />)}
    </>
  );
}

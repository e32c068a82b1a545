/**
 * The receipt for a paid-out transfer: one A4 page the customer can keep or hand to anyone who
 * asks where their money went, in the customer's language. It gives who issued it (Drop's name,
 * organisation number, address and licence, from configuration), the transfer's reference and
 * the customer's number (what support asks for), who sent what to whom, when (created, funds
 * received, paid out, in Norwegian time), the account paid (masked), every amount of the sum
 * (sent, fee, converted, the rate with every decimal it was priced with, what the recipient got)
 * and the payout partner's reference, which is what the recipient's bank can trace.
 *
 * The same data gives the same bytes: the PDF's creation date (and the file id pdfkit derives
 * from it) is the payout time, not the time of rendering, and the standard Helvetica font is
 * referenced rather than embedded. So a receipt can be re-rendered at any time and still be the
 * document the customer downloaded before.
 */

import { formatCustomerNumber } from '@drop/contracts';
import PDFDocument from 'pdfkit';
import {
  type CustomerLocale,
  countryName,
  formatExactRate,
  formatMoney,
  formatOsloDateTime,
  type MoneyText,
  maskAccountNumber,
} from '../notifications/customer-formatting.ts';
import { toWinAnsi } from './win-ansi-text.ts';

export interface ReceiptData {
  transferId: string;
  /** The transfer's human reference (DRP-7K3-92QX). */
  reference: string;
  /** The company issuing the receipt, as registered (Brønnøysundregistrene), and its licence (Finanstilsynet). */
  company: { name: string; orgNumber: string; address: string; licence: string };
  /** `customerNumber`: eight digits, shown in two groups of four. */
  sender: { name: string; customerNumber: string };
  /** `accountMasked` is masked again here to its last four characters, whatever it holds. */
  recipient: { name: string; accountMasked: string; country: string };
  /** What the customer paid. */
  send: MoneyText;
  fee: MoneyText;
  /** `send` less the fee: the amount exchanged at `rate`. */
  converted: MoneyText;
  receive: MoneyText;
  /** Units of the receive currency per one unit of the converted currency ("0.0851027470"). */
  rate: string;
  createdAt: Date;
  fundsReceivedAt?: Date;
  paidOutAt: Date;
  /** The payout partner's id for the payment, what the recipient's bank can trace it by. */
  partnerReference?: string;
}

type Row = [label: string, value: string, emphasis?: 'strong'];

interface Section {
  heading: string;
  rows: Row[];
  /** Amounts line up on the right, where the eye adds them. */
  alignValues?: 'right';
}

const WORDS = {
  nb: {
    title: 'Kvittering',
    orgNumber: 'Org.nr.',
    transfer: 'Overføring',
    reference: 'Referanse',
    transferId: 'Transaksjons-ID',
    customerNumber: 'Kundenummer',
    created: 'Opprettet',
    fundsReceived: 'Innbetaling mottatt',
    paidOut: 'Utbetalt',
    partnerReference: 'Utbetalingsreferanse',
    sender: 'Avsender',
    recipient: 'Mottaker',
    name: 'Navn',
    account: 'Konto',
    country: 'Land',
    amounts: 'Beløp',
    sent: 'Du sendte',
    fee: 'Gebyr',
    converted: 'Vekslet beløp',
    rate: 'Vekslingskurs',
    received: 'Mottaker fikk',
    footer: (company: string) => `Kvitteringen er laget automatisk av ${company}. Alle tidspunkter er norsk tid.`,
  },
  en: {
    title: 'Receipt',
    orgNumber: 'Org. no.',
    transfer: 'Transfer',
    reference: 'Reference',
    transferId: 'Transaction ID',
    customerNumber: 'Customer number',
    created: 'Created',
    fundsReceived: 'Funds received',
    paidOut: 'Paid out',
    partnerReference: 'Payout reference',
    sender: 'Sender',
    recipient: 'Recipient',
    name: 'Name',
    account: 'Account',
    country: 'Country',
    amounts: 'Amounts',
    sent: 'You sent',
    fee: 'Fee',
    converted: 'Amount converted',
    rate: 'Exchange rate',
    received: 'Recipient received',
    footer: (company: string) => `This receipt was generated automatically by ${company}. All times are Norwegian time.`,
  },
} satisfies Record<CustomerLocale, Record<string, string | ((company: string) => string)>>;

function sectionsOf(receipt: ReceiptData, locale: CustomerLocale): Section[] {
  const w = WORDS[locale];
  const when = (date: Date) => formatOsloDateTime(date, locale);
  const money = (amount: MoneyText) => formatMoney(amount, locale);
  return [
    {
      heading: w.transfer,
      rows: [
        [w.reference, receipt.reference, 'strong'],
        [w.transferId, receipt.transferId],
        [w.created, when(receipt.createdAt)],
        ...(receipt.fundsReceivedAt ? [[w.fundsReceived, when(receipt.fundsReceivedAt)] satisfies Row] : []),
        [w.paidOut, when(receipt.paidOutAt)],
        ...(receipt.partnerReference ? [[w.partnerReference, receipt.partnerReference] satisfies Row] : []),
      ],
    },
    {
      heading: w.sender,
      rows: [
        [w.name, receipt.sender.name],
        [w.customerNumber, formatCustomerNumber(receipt.sender.customerNumber)],
      ],
    },
    {
      heading: w.recipient,
      rows: [
        [w.name, receipt.recipient.name],
        [w.account, maskAccountNumber(receipt.recipient.accountMasked)],
        [w.country, countryName(receipt.recipient.country, locale)],
      ],
    },
    {
      heading: w.amounts,
      alignValues: 'right',
      rows: [
        [w.sent, money(receipt.send)],
        [w.fee, money(receipt.fee)],
        [w.converted, money(receipt.converted)],
        [w.rate, `1 ${receipt.converted.currency} = ${formatExactRate(receipt.rate, locale)} ${receipt.receive.currency}`],
        [w.received, money(receipt.receive), 'strong'],
      ],
    },
  ];
}

// A4 in points, with 2 cm margins.
const MARGIN = 56;
const LABEL_WIDTH = 170;
const INK = '#1f2328';
const MUTED = '#5c6370';
const RULE = '#d0d4da';

/** The receipt as PDF bytes, in the customer's language. */
export function renderReceiptPdf(receipt: ReceiptData, locale: CustomerLocale): Promise<Uint8Array> {
  const w = WORDS[locale];
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    lang: locale === 'nb' ? 'nb-NO' : 'en-GB',
    info: {
      Title: toWinAnsi(`${w.title} ${receipt.reference}`),
      Author: toWinAnsi(receipt.company.name),
      Subject: toWinAnsi(`${w.title} ${receipt.reference}`),
      // The payout time, not now: the same receipt always has the same bytes.
      CreationDate: receipt.paidOutAt,
    },
  });
  const bytes = new Promise<Uint8Array>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });

  const left = MARGIN;
  const width = doc.page.width - 2 * MARGIN;
  const valueX = left + LABEL_WIDTH;
  const valueWidth = width - LABEL_WIDTH;
  const rule = (y: number) =>
    doc
      .moveTo(left, y)
      .lineTo(left + width, y)
      .lineWidth(0.75)
      .strokeColor(RULE)
      .stroke();

  // Heading: who issues the receipt on the left, what it is on the right.
  doc.font('Helvetica-Bold').fontSize(20).fillColor(INK).text(toWinAnsi(receipt.company.name), left, MARGIN, { width, lineBreak: false });
  doc.text(w.title, left, MARGIN, { width, align: 'right', lineBreak: false });
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor(MUTED)
    .text(toWinAnsi(`${w.orgNumber} ${receipt.company.orgNumber} · ${receipt.company.address}`), left, MARGIN + 28, { width })
    .text(toWinAnsi(receipt.company.licence), { width });
  let y = doc.y + 14;
  rule(y);
  y += 22;

  for (const section of sectionsOf(receipt, locale)) {
    doc.font('Helvetica-Bold').fontSize(12).fillColor(INK).text(toWinAnsi(section.heading), left, y, { width });
    y = doc.y + 8;
    for (const [label, value, emphasis] of section.rows) {
      const text = toWinAnsi(value);
      doc
        .font('Helvetica')
        .fontSize(10)
        .fillColor(MUTED)
        .text(toWinAnsi(label), left, y, { width: LABEL_WIDTH - 12 });
      const labelBottom = doc.y;
      doc
        .font(emphasis === 'strong' ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(emphasis === 'strong' ? 11 : 10)
        .fillColor(INK)
        .text(text, valueX, y, { width: valueWidth, align: section.alignValues ?? 'left' });
      y = Math.max(labelBottom, doc.y) + 6;
    }
    y += 14;
  }

  // The footer sits above the bottom margin, so pdfkit never starts a second page for it.
  const footerY = doc.page.height - MARGIN - 24;
  rule(footerY - 10);
  doc
    .font('Helvetica')
    .fontSize(8)
    .fillColor(MUTED)
    .text(toWinAnsi(w.footer(receipt.company.name)), left, footerY, { width, align: 'center', lineBreak: false });
  doc.end();
  return bytes;
}

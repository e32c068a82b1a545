export { type CapturedMail, type MailCapture, type MailCaptureOptions, startMailCapture } from './email/mail-capture.ts';
export { SmtpMailError, SmtpMailer, type SmtpMailerOptions, type SmtpOutgoingMail } from './email/smtp-mailer.ts';
export { camtBankFileParser, type ParsedBankFile, parseCamt } from './iso20022/camt.ts';
export { buildCamt053, buildCamt054, type Camt053Input, type Camt054Input, type CamtEntryInput } from './iso20022/camt-files.ts';
export { buildPain001, type Pain001Input, type Pain001Payment } from './iso20022/pain001.ts';
export {
  type NorgesBankObservation,
  NorgesBankRateSource,
  type NorgesBankRateSourceOptions,
  parseExchangeRateDocument,
  shiftDecimalLeft,
} from './norges-bank/norges-bank-client.ts';
export { createSumsubClient, type SumsubClient, type SumsubClientOptions, SumsubError } from './sumsub/client.ts';
export { sumsubKycProvider, sumsubKycProviderFrom } from './sumsub/kyc-provider.ts';
export {
  requestSignature,
  signedRequestHeaders,
  verifyRequestSignature,
  verifyWebhookDigest,
  WEBHOOK_DIGEST_ALGORITHMS,
  type WebhookDigestAlgorithm,
  type WebhookVerdict,
  webhookDigest,
} from './sumsub/signing.ts';
export {
  type Applicant,
  applicantSchema,
  formatSumsubTimestamp,
  parseSumsubTimestamp,
  type ReviewResult,
  type ReviewStatus,
  type SumsubWebhook,
  webhookSchema,
} from './sumsub/types.ts';
export { payoutStateOfWise, WISE_TRANSFER_STATES, wiseAmount, wiseRecipientAccount, wiseReference } from './wise/wise-mapping.ts';
export { WisePayoutPartner, type WisePayoutPartnerOptions } from './wise/wise-payout-partner.ts';

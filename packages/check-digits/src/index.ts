export { isNorwegianIban, validIban } from './iban.ts';
export { mod10CheckDigit } from './mod10.ts';
export {
  hasNationalIdControlDigits,
  isNorwegianAccountNumber,
  mod11CheckDigit,
  mod11ControlDigit,
  nationalIdControlDigits,
} from './mod11.ts';
export {
  CUSTOMER_NUMBER_LENGTH,
  formatCustomerNumber,
  formatTransferReference,
  mod31CheckChar,
  parseCustomerNumber,
  parseTransferReference,
  REFERENCE_ALPHABET,
  TRANSFER_REFERENCE_BODY_LENGTH,
  TRANSFER_REFERENCE_PREFIX,
} from './references.ts';

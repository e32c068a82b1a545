export { isNorwegianIban, validIban } from './iban.ts';
export { mod10CheckDigit } from './mod10.ts';
export {
  hasNationalIdControlDigits,
  isNorwegianAccountNumber,
  mod11CheckDigit,
  mod11ControlDigit,
  nationalIdControlDigits,
} from './mod11.ts';

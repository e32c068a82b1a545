export { AmlScreening } from './aml-screening.ts';
export { type ListVersionSource, type RescreenResult, rescreenSubjects } from './rescreen-subjects.ts';
export {
  customerSubject,
  recipientSubject,
  SCREENING_SUBJECT_TYPES,
  type ScreeningSubject,
  type ScreeningSubjectType,
} from './screening-subjects.ts';
export {
  type PartyMatch,
  partyMatches,
  recordScreening,
  type ScreeningIndexSource,
  type ScreeningVerdict,
  SubjectScreener,
} from './subject-screener.ts';
export { TransferScreening } from './transfer-screening.ts';

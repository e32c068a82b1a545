export { addAlertToCase } from './add-alert-to-case.ts';
export { assignAmlCase } from './assign-aml-case.ts';
export { closeAmlCase } from './close-aml-case.ts';
export { getAmlCase } from './get-aml-case.ts';
export { listAmlCases } from './list-aml-cases.ts';
export { noteAmlCase } from './note-aml-case.ts';
export { openAmlCase } from './open-aml-case.ts';
export { startAmlCaseInvestigation } from './start-aml-case-investigation.ts';

export {
  type AltinnMt0002Document,
  type AltinnMt0002Item,
  type AltinnMt0002Person,
  type AltinnMt0002Transaction,
  buildAltinnMt0002,
  renderAltinnMt0002,
} from './altinn-mt0002.ts';
export { GOAML_CODES, GOAML_INDICATOR_BY_RULE, renderGoamlXml } from './goaml-xml.ts';
export { mfaReference, renderMfaNotice } from './mfa-notice.ts';
export { renderStrExport } from './render-str-export.ts';
export type { StrExportFile, StrExportInput } from './str-export-input.ts';

/** The goAML 5.0.1 schema Drop validates its goAML exports against (a copy; see goaml-5.0.1/README.md). */
export const GOAML_5_0_1_XSD = new URL('./goaml-5.0.1/goAMLSchema.xsd', import.meta.url);

/**
 * One entry point for every STR export format (`STR_EXPORT_FORMATS`): the API's export route and
 * `drop str export ID --format …` call this with the stored document and get a file back.
 * - goaml: goAML 5.0.1 XML (application/xml) for an FIU on goAML;
 * - altinn: the Altinn MT-0002 content as JSON with a Norwegian `text` to paste (application/json);
 * - mfa: the notice to the Ministry of Foreign Affairs (text/plain), only for a sanctions hit;
 *   otherwise STR_EXPORT_NOT_APPLICABLE.
 */
import type { StrExportFormat } from '@drop/contracts';
import { renderAltinnMt0002 } from './altinn-mt0002.ts';
import { renderGoamlXml } from './goaml-xml.ts';
import { renderMfaNotice } from './mfa-notice.ts';
import type { StrExportFile, StrExportInput } from './str-export-input.ts';

const RENDERERS: Record<StrExportFormat, (input: StrExportInput) => StrExportFile> = {
  goaml: renderGoamlXml,
  altinn: renderAltinnMt0002,
  mfa: renderMfaNotice,
};

export function renderStrExport(format: StrExportFormat, input: StrExportInput): StrExportFile {
  return RENDERERS[format](input);
}

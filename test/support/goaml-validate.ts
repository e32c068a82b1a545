/**
 * Validates goAML XML against the goAML 5.0.1 schema Drop ships (packages/core/src/aml/str-exports/
 * goaml-5.0.1/goAMLSchema.xsd) with xmllint compiled to WebAssembly: a real XML Schema validator,
 * so no system libxml2 is needed. Any test (core, API, browser) that receives a goAML export uses
 * this to prove the file would be accepted.
 */
import { readFileSync } from 'node:fs';
import { GOAML_5_0_1_XSD } from '@drop/core';
import { validateXML } from 'xmllint-wasm';

let schema: string | undefined;

/**
 * The schema's complaints about `xml`, as xmllint words them; an empty list means it validates.
 * Several documents are checked in one xmllint run (each named report-N.xml in the messages).
 */
export async function goamlSchemaErrors(xml: string | readonly string[]): Promise<string[]> {
  schema ??= readFileSync(GOAML_5_0_1_XSD, 'utf8');
  const documents = typeof xml === 'string' ? [xml] : xml;
  const result = await validateXML({
    xml: documents.map((contents, index) => ({ fileName: documents.length === 1 ? 'report.xml' : `report-${index + 1}.xml`, contents })),
    schema: [{ fileName: 'goAMLSchema.xsd', contents: schema }],
  });
  // A schema that fails to compile also reports valid: false, with its own errors; both fail the tests.
  return result.valid ? [] : result.errors.map((error) => error.rawMessage);
}

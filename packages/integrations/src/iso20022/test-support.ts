/**
 * Shared by the ISO 20022 tests only: the recorded fixtures, validation against the official
 * schemas (xmllint compiled to WebAssembly, so no system libxml2 is needed), and catching the
 * BankFileError a refused file throws.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BankFileError } from '@drop/core';
import { validateXML } from 'xmllint-wasm';

const FIXTURES = new URL('../../fixtures/iso20022/', import.meta.url);

export function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

/** The schema's complaints about `xml`, as xmllint words them; an empty list means the file is valid. */
export async function schemaErrors(xml: string, schema: 'camt.053.001.08.xsd' | 'pain.001.001.09.xsd'): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'file.xml', contents: xml }],
    schema: [{ fileName: schema, contents: fixture(schema) }],
  });
  // A schema that fails to compile also reports valid: false, with its own errors; both fail the tests.
  return result.valid ? [] : result.errors.map((error) => error.rawMessage);
}

export function refusalOf(read: () => unknown): BankFileError {
  try {
    read();
  } catch (error) {
    if (error instanceof BankFileError) return error;
    throw error;
  }
  return assert.fail('the file was accepted, but should have been refused');
}

/** 1-based line of the first occurrence of `needle`, to check the line a refusal names. */
export function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  assert.notEqual(at, -1, `the test text contains ${needle}`);
  return text.slice(0, at).split('\n').length;
}

/** Replaces exactly one occurrence, so a test cannot silently edit nothing (or more than it meant to). */
export function replaceOnce(text: string, search: string | RegExp, replacement: string): string {
  const matches = typeof search === 'string' ? text.split(search).length - 1 : [...text.matchAll(new RegExp(search, 'g'))].length;
  assert.equal(matches, 1, `expected exactly one ${String(search)} in the test text`);
  return text.replace(search, replacement);
}

/**
 * The format-independent first step of reading a bank file: bytes to text, text to a checked XML
 * tree. A bank file comes from outside Drop, so this step refuses what a bank never sends and an
 * attacker might: files over 20 MB, DTDs and entity declarations (no entity is ever expanded, so
 * no "billion laughs"), text that is not well-formed, more than one root element.
 */

import { BankFileError } from '@drop/core';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeXmlText, lineAt, XmlElement } from './xml-element.ts';

/** Far above a day of statements for one account, far below what could hurt the process. */
export const MAX_BANK_FILE_BYTES = 20 * 1024 * 1024;

export interface BankXml {
  /** The root element, e.g. `Document`. */
  root: XmlElement;
  rootName: string;
  /** The namespace of the root element (its default namespace, or the one bound to its prefix). */
  rootNamespace: string | undefined;
  rootLine: number;
}

/** Norwegian banks send UTF-8; some older exports are ISO-8859-1 (which browsers and Node read as windows-1252). */
const SINGLE_BYTE_ENCODINGS = new Set(['iso-8859-1', 'iso8859-1', 'latin1', 'latin-1', 'windows-1252', 'cp1252']);

/** `repeatable` names the elements that may occur more than once, so they always parse as lists. */
export function readBankXml(input: string | Uint8Array, repeatable: ReadonlySet<string>): BankXml {
  const bytes = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (bytes > MAX_BANK_FILE_BYTES) {
    throw new BankFileError(
      `the file is ${(bytes / 1024 / 1024).toFixed(1)} MB, more than the ${MAX_BANK_FILE_BYTES / 1024 / 1024} MB Drop reads`,
    );
  }
  const text = (typeof input === 'string' ? input : decode(input)).replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new BankFileError('the file is empty');

  const declaration = /<!(DOCTYPE|ENTITY)/i.exec(text);
  if (declaration) {
    throw new BankFileError(
      `the file has a ${declaration[1]?.toUpperCase()} declaration; bank files never do, and Drop does not process DTDs or entities`,
      `line ${lineAt(text, declaration.index)}`,
    );
  }

  // Every well-formed document ends with the '>' of its root's end tag (or of a comment after it);
  // a file cut inside a tag or text would otherwise be reported as some odd syntax error.
  const trimmed = text.trimEnd();
  if (!trimmed.endsWith('>')) {
    const open = unclosedElements(trimmed.slice(0, trimmed.lastIndexOf('>') + 1));
    const line = `line ${lineAt(text, trimmed.length)}`;
    throw new BankFileError(
      `the file ends ${open ? `inside ${open}, ` : ''}in the middle of a tag or text ('…${trimmed.slice(-24).replace(/\s+/g, ' ')}'), so it looks truncated`,
      open ? `${open}, ${line}` : line,
    );
  }

  const verdict = XMLValidator.validate(text);
  if (verdict !== true) throw notWellFormed(text, verdict.err);

  const start = rootStartTag(text);
  let tree: Record<string, unknown>;
  try {
    tree = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      removeNSPrefix: true,
      parseTagValue: false,
      parseAttributeValue: false,
      processEntities: false,
      captureMetaData: true,
      isArray: (name) => repeatable.has(name),
    }).parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new BankFileError(`the file could not be read as XML: ${(error as Error).message}`);
  }
  const roots = Object.keys(tree).filter((key) => key !== '?xml');
  if (roots.length !== 1 || Array.isArray(tree[start.localName])) {
    throw new BankFileError('the file has more than one root element; an XML document has exactly one');
  }
  return {
    root: new XmlElement(start.localName, tree[start.localName], text, start.offset),
    rootName: start.localName,
    rootNamespace: start.namespace,
    rootLine: lineAt(text, start.offset),
  };
}

function decode(bytes: Uint8Array): string {
  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe)) {
    throw new BankFileError('the file is UTF-16; Drop reads bank files in UTF-8 or ISO-8859-1');
  }
  const head = new TextDecoder('windows-1252').decode(bytes.subarray(0, 512));
  const declared = /^(?:\uFEFF|ï»¿)?\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']/i.exec(head)?.[1]?.toLowerCase();
  if (declared !== undefined && SINGLE_BYTE_ENCODINGS.has(declared)) return new TextDecoder('windows-1252').decode(bytes);
  if (declared !== undefined && declared !== 'utf-8' && declared !== 'utf8') {
    throw new BankFileError(`the file says it is encoded as ${declared}; Drop reads bank files in UTF-8 or ISO-8859-1`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BankFileError('the file is not valid UTF-8 (and does not declare another encoding)');
  }
}

/**
 * XMLValidator's messages are written for XML tooling. The one that matters most, a file cut off
 * in transfer, arrives as "Invalid '[ "Document", "BkToCstmrStmt", "Stmt" ]' found." (the elements
 * still open at the end), so it is reworded to say which element the file ends inside.
 */
function notWellFormed(text: string, err: { msg: string; line: number; col: number }): BankFileError {
  const open = openElementsIn(err.msg);
  if (open) {
    return new BankFileError(
      `the file ends inside ${open}, before that element is closed, so it looks truncated`,
      `${open}, line ${lineAt(text, text.length)}`,
    );
  }
  const where = err.col === undefined ? `line ${err.line}` : `line ${err.line}, column ${err.col}`;
  return new BankFileError(`the file is not well-formed XML: ${err.msg.replace(/\.$/, '')}`, where);
}

/** The path of the elements still open at the end of `text`, when that is all that is wrong with it. */
function unclosedElements(text: string): string | undefined {
  const verdict = XMLValidator.validate(text);
  return verdict === true ? undefined : openElementsIn(verdict.err.msg);
}

function openElementsIn(message: string): string | undefined {
  const list = /^Invalid '(\[.*\])' found\.$/s.exec(message)?.[1];
  if (list === undefined) return undefined;
  try {
    const names: unknown = JSON.parse(list);
    return Array.isArray(names) && names.length > 0 ? names.map(String).join('/') : undefined;
  } catch {
    return undefined;
  }
}

interface RootStartTag {
  localName: string;
  namespace: string | undefined;
  offset: number;
}

/**
 * The parser drops `xmlns` attributes when it removes prefixes, so the root's namespace (which
 * names the message and its version) is read from the root's start tag directly. The text is
 * already known to be well-formed, so skipping the prolog is simple.
 */
function rootStartTag(text: string): RootStartTag {
  let at = 0;
  for (;;) {
    while (at < text.length && /\s/.test(text.charAt(at))) at++;
    const end = text.startsWith('<?', at) ? text.indexOf('?>', at) + 2 : text.startsWith('<!--', at) ? text.indexOf('-->', at) + 3 : -1;
    if (end < 2) break;
    at = end;
  }
  const tag = /<([^\s/>]+)([^>]*)>/y;
  tag.lastIndex = at;
  const match = tag.exec(text);
  if (!match?.[1]) throw new BankFileError('the file has no root element', `line ${lineAt(text, at)}`);
  const qualifiedName = match[1];
  const colon = qualifiedName.indexOf(':');
  const prefix = colon === -1 ? undefined : qualifiedName.slice(0, colon);
  const namespaceAttribute = prefix === undefined ? 'xmlns' : `xmlns:${prefix}`;
  let namespace: string | undefined;
  for (const attribute of (match[2] ?? '').matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    if (attribute[1] !== namespaceAttribute) continue;
    try {
      namespace = decodeXmlText(attribute[2] ?? attribute[3] ?? '').trim();
    } catch (error) {
      throw new BankFileError(`the root's namespace cannot be read: ${(error as Error).message}`, `line ${lineAt(text, at)}`);
    }
  }
  return { localName: colon === -1 ? qualifiedName : qualifiedName.slice(colon + 1), namespace, offset: at };
}

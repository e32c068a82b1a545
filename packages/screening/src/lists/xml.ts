import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { type ListFormat, ListFormatError } from '../model.ts';

/** An element as fast-xml-parser gives it: attributes and children by name, text under `#text`. */
export type XmlNode = { [name: string]: unknown };

/**
 * Parses a whole list file, refusing it if it is not well-formed XML (the parser alone is lenient:
 * it would read a truncated download as a shorter list). `repeated` names the elements that are
 * always arrays, so one child and many children read the same.
 */
export function parseXml(format: ListFormat, content: Buffer | undefined, repeated: ReadonlySet<string>): XmlNode {
  const text = content?.toString('utf8') ?? '';
  if (!text.trim()) throw new ListFormatError(format, 'the file is empty');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new ListFormatError(format, `not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    isArray: (name, _path, _leaf, attribute) => !attribute && repeated.has(localName(name)),
  });
  return parser.parse(text) as XmlNode;
}

export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** The text of an element or attribute ('' when absent or empty). */
export function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object' && '#text' in value) return text((value as XmlNode)['#text']);
  return '';
}

export function nodes(value: unknown): XmlNode[] {
  if (Array.isArray(value)) return value.filter((v): v is XmlNode => typeof v === 'object' && v !== null);
  return typeof value === 'object' && value !== null ? [value as XmlNode] : [];
}

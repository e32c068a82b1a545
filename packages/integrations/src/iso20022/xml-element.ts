/**
 * A parsed XML element that knows where it is, so a refusal can say which element of which line
 * was wrong. fast-xml-parser hands back plain objects: a leaf without attributes is a string, an
 * element with attributes or children an object (`#text`, `@_Name`, child names), a repeated
 * element an array. Entities are decoded here rather than by the parser, because the parser leaves
 * numeric references (`&#229;`) alone and would expand DOCTYPE entities; this way only the five
 * predefined entities and character references are ever decoded, and an unknown one is refused.
 */

import { BankFileError } from '@drop/core';
import { XMLParser } from 'fast-xml-parser';

/** The parser's metadata (start offset in the text) sits on every object node under this symbol. */
const METADATA = XMLParser.getMetaDataSymbol() as unknown as symbol;

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export class XmlElement {
  readonly path: string;
  readonly #value: unknown;
  readonly #text: string;
  readonly #offset: number | undefined;

  constructor(path: string, value: unknown, text: string, offset: number | undefined) {
    this.path = path;
    this.#value = value;
    this.#text = text;
    this.#offset = startOffset(value) ?? offset;
  }

  /** Every `name` child in document order (an absent one gives an empty list). */
  children(name: string): XmlElement[] {
    const raw = this.#object()?.[name];
    if (raw === undefined) return [];
    const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
    return list.map(
      (value, i) =>
        new XmlElement(
          Array.isArray(raw) ? `${this.path}/${name}[${i + 1}]` : `${this.path}/${name}`,
          value,
          this.#text,
          this.#childOffset(name, i),
        ),
    );
  }

  optional(name: string): XmlElement | undefined {
    const found = this.children(name);
    if (found.length > 1) this.fail(`${name} appears ${found.length} times in ${this.path}, where the schema allows it once`);
    return found[0];
  }

  required(name: string): XmlElement {
    return this.optional(name) ?? this.fail(`the required element ${this.path}/${name} is missing`);
  }

  /** The element's text, entities decoded and surrounding whitespace trimmed. */
  text(): string {
    const value = this.#value;
    let raw: string;
    if (typeof value === 'string') raw = value;
    else if (isObject(value) && typeof value['#text'] === 'string') raw = value['#text'];
    else if (isObject(value) && Object.keys(value).every((key) => key.startsWith('@_'))) raw = '';
    else this.fail(`${this.path} should hold text, but holds other elements`);
    return this.#decode(raw).trim();
  }

  optionalText(name: string): string | undefined {
    const text = this.optional(name)?.text();
    return text === '' ? undefined : text;
  }

  requiredText(name: string): string {
    const element = this.required(name);
    const text = element.text();
    if (text === '') element.fail(`${element.path} is empty`);
    return text;
  }

  attribute(name: string): string | undefined {
    const raw = this.#object()?.[`@_${name}`];
    return typeof raw === 'string' ? this.#decode(raw).trim() : undefined;
  }

  /** `Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Amt, line 57` */
  get location(): string {
    if (this.#offset === undefined) return this.path;
    return `${this.path}, line ${lineAt(this.#text, this.#offset)}`;
  }

  fail(problem: string): never {
    throw new BankFileError(problem, this.location);
  }

  #object(): Record<string, unknown> | undefined {
    return isObject(this.#value) ? this.#value : undefined;
  }

  /**
   * A leaf child is a bare string with no metadata of its own, so its line is found by looking for
   * its n-th start tag after this element's own. Only used to word an error, so a rough answer for
   * an odd file is acceptable.
   */
  #childOffset(name: string, occurrence: number): number | undefined {
    if (this.#offset === undefined) return undefined;
    const tag = new RegExp(`<(?:[\\w.-]+:)?${name}[\\s/>]`, 'g');
    tag.lastIndex = this.#offset + 1;
    let found: RegExpExecArray | null = null;
    for (let i = 0; i <= occurrence; i++) {
      found = tag.exec(this.#text);
      if (found === null) return this.#offset;
    }
    return found?.index;
  }

  #decode(raw: string): string {
    try {
      return decodeXmlText(raw);
    } catch (error) {
      return this.fail((error as Error).message);
    }
  }
}

/** Decodes the predefined entities and character references; anything else is refused. */
export function decodeXmlText(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&\s<]{0,32});|&/g, (whole, reference: string | undefined) => {
    if (reference === undefined) throw new Error(`the text '${raw}' holds a bare '&' (it should be written &amp;)`);
    if (reference.startsWith('#')) {
      const codePoint = reference.startsWith('#x') ? Number.parseInt(reference.slice(2), 16) : Number.parseInt(reference.slice(1), 10);
      if (!Number.isInteger(codePoint) || !isXmlCharacter(codePoint) || !/^#(x[0-9a-fA-F]+|[0-9]+)$/.test(reference)) {
        throw new Error(`the character reference ${whole} is not a character XML allows`);
      }
      return String.fromCodePoint(codePoint);
    }
    const replacement = PREDEFINED_ENTITIES[reference];
    if (replacement === undefined) throw new Error(`the entity ${whole} is not one of XML's predefined entities`);
    return replacement;
  });
}

/** XML 1.0's Char production. */
export function isXmlCharacter(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function startOffset(value: unknown): number | undefined {
  if (!isObject(value)) return undefined;
  const metadata = (value as Record<symbol, unknown>)[METADATA];
  return isObject(metadata) && typeof metadata.startIndex === 'number' ? metadata.startIndex : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

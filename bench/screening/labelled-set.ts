/**
 * The labelled set of `npm run bench:screening`, generated deterministically (seeded PRNG) from the
 * shipped lists. The generator was written before the matcher was tuned and not changed to suit it
 * (the perturbations follow how names vary in documents, not the matcher's tables); the matcher was
 * then tuned on seed 12, so the bench also reports a second seed that was never looked at.
 *
 *  - positives: a listed person's or organisation's name (primary or strong alias, never a weak
 *    alias) with one realistic perturbation, with or without the right birth date;
 *  - ordinary: names of people (and small companies) in Norway composed from `names.ts`, dropping
 *    any whose tokens equal a listed name's;
 *  - namesakes: a listed person's exact name with a birth date at least five years from every date
 *    the record gives.
 */
import anyAscii from 'any-ascii';
import type { BirthDate, ListName, ListRecord, ListSnapshot } from '../../packages/screening/src/index.ts';
import { COMMUNITIES, COMPANY_WORDS, type Community } from './names.ts';

export interface LabelledQuery {
  name: string;
  schema: 'Person' | 'Organization';
  birthDate?: string;
  country?: string;
  /** `<list>:<key>` the query was made from; undefined for names that must not alert. */
  expected?: string;
  kind: 'positive' | 'ordinary' | 'namesake';
  /** The perturbation (positives) or community (ordinary). */
  variant: string;
}

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;

const LATIN = /^[\p{Script=Latin}\p{P}\p{Zs}\d]+$/u;
const tokensOf = (s: string): string[] =>
  anyAscii(s)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
const tokenKey = (s: string): string => tokensOf(s).sort().join(' ');

/** One keyboard or hearing slip in a word: substitute, delete, insert or swap neighbours. */
function typo(rng: Rng, word: string): string {
  if (word.length < 4) return word;
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const i = 1 + Math.floor(rng() * (word.length - 1)); // first letters are rarely wrong
  const op = Math.floor(rng() * 4);
  const upper = word === word.toUpperCase();
  let ch = pick(rng, letters.split(''));
  if (upper) ch = ch.toUpperCase();
  if (op === 0) return word.slice(0, i) + ch + word.slice(i + 1);
  if (op === 1) return word.slice(0, i) + word.slice(i + 1);
  if (op === 2) return word.slice(0, i) + ch + word.slice(i);
  if (i + 1 < word.length) return word.slice(0, i) + (word[i + 1] as string) + (word[i] as string) + word.slice(i + 2);
  return word.slice(0, i - 1) + (word[i] as string) + (word[i - 1] as string);
}

/** Spelling changes between transliteration systems (English, French, German, Russian passports). */
const TRANSLIT_RULES: readonly [RegExp, string][] = [
  [/ou/gi, 'u'],
  [/u/gi, 'ou'],
  [/ee/gi, 'i'],
  [/y$/gi, 'iy'],
  [/iy$/gi, 'y'],
  [/ii$/gi, 'iy'],
  [/kh/gi, 'h'],
  [/x/gi, 'ks'],
  [/ks/gi, 'x'],
  [/j/gi, 'dj'],
  [/sh/gi, 'ch'],
  [/v/gi, 'w'],
  [/ph/gi, 'f'],
  [/q/gi, 'k'],
  [/mm/gi, 'm'],
  [/ss/gi, 's'],
  [/([bcdfglmnprst])\1/gi, '$1'],
  [/([aeiou])([bdlmnrst])([aeiou])/gi, '$1$2$2$3'],
  [/e/gi, 'a'],
  [/a/gi, 'e'],
  [/o/gi, 'u'],
  [/i/gi, 'e'],
  [/ay/gi, 'ai'],
  [/ai/gi, 'ay'],
];

const GIVEN_VARIANTS: readonly (readonly string[])[] = [
  ['Mohammed', 'Muhammad', 'Mohamed', 'Mohammad', 'Muhammed', 'Mohamad'],
  ['Ahmed', 'Ahmad', 'Akhmed'],
  ['Osama', 'Usama'],
  ['Yusuf', 'Yousef', 'Youssef'],
  ['Hussein', 'Husain', 'Hussain', 'Husayn'],
  ['Abdul', 'Abdel', 'Abd al'],
  ['Abdullah', 'Abdallah', 'Abd Allah'],
  ['Omar', 'Umar'],
  ['Sergei', 'Sergey', 'Serhiy'],
  ['Aleksandr', 'Alexander', 'Oleksandr'],
  ['Yuri', 'Yury', 'Yuriy'],
];

function transliterate(rng: Rng, name: string): string {
  const words = name.split(/\s+/);
  // A known name with several customary spellings, if there is one.
  for (let w = 0; w < words.length; w++) {
    const row = GIVEN_VARIANTS.find((r) => r.some((v) => v.toLowerCase() === (words[w] as string).toLowerCase()));
    if (row && rng() < 0.8) {
      const others = row.filter((v) => v.toLowerCase() !== (words[w] as string).toLowerCase());
      words[w] = pick(rng, others);
      return words.join(' ');
    }
  }
  // Else one transliteration rule in one long-enough word (the rule that applies, tried in random order).
  const candidates = words.map((w, i) => ({ w, i })).filter(({ w }) => w.length >= 4);
  if (candidates.length === 0) return name;
  const { w, i } = pick(rng, candidates);
  const start = Math.floor(rng() * TRANSLIT_RULES.length);
  for (let k = 0; k < TRANSLIT_RULES.length; k++) {
    const [re, to] = TRANSLIT_RULES[(start + k) % TRANSLIT_RULES.length] as [RegExp, string];
    const changed = w.replace(re, to);
    if (changed !== w && changed.length >= 3) {
      words[i] = changed;
      return words.join(' ');
    }
  }
  return name;
}

const ACCENTS: Record<string, string[]> = {
  a: ['á', 'à', 'ä', 'â'],
  e: ['é', 'è', 'ë'],
  i: ['í', 'ï'],
  o: ['ó', 'ö', 'ø'],
  u: ['ú', 'ü'],
  c: ['ç'],
  n: ['ñ'],
  s: ['ş'],
};

function diacritics(rng: Rng, name: string): string {
  const stripped = name.normalize('NFD').replace(/\p{M}/gu, '');
  if (stripped !== name) return stripped;
  let out = '';
  let changed = 0;
  for (const ch of name) {
    const options = ACCENTS[ch.toLowerCase()];
    if (options && changed < 2 && rng() < 0.3) {
      const a = pick(rng, options);
      out += ch === ch.toLowerCase() ? a : a.toUpperCase();
      changed++;
    } else out += ch;
  }
  return changed > 0 ? out : `${name.toLowerCase()}`;
}

const CYRILLIC: Record<string, string> = {
  shch: 'щ',
  kh: 'х',
  ts: 'ц',
  ch: 'ч',
  sh: 'ш',
  yu: 'ю',
  ya: 'я',
  zh: 'ж',
  a: 'а',
  b: 'б',
  v: 'в',
  g: 'г',
  d: 'д',
  e: 'е',
  z: 'з',
  i: 'и',
  y: 'й',
  k: 'к',
  l: 'л',
  m: 'м',
  n: 'н',
  o: 'о',
  p: 'п',
  r: 'р',
  s: 'с',
  t: 'т',
  u: 'у',
  f: 'ф',
  h: 'х',
  c: 'к',
  j: 'й',
  w: 'в',
  x: 'кс',
  q: 'к',
};

/** A Latin name as a Russian clerk would write it in Cyrillic (for records given only in Latin). */
function toCyrillic(name: string): string {
  const lower = name.toLowerCase();
  let out = '';
  for (let i = 0; i < lower.length; ) {
    let done = false;
    for (const len of [4, 2, 1]) {
      const piece = lower.slice(i, i + len);
      const mapped = CYRILLIC[piece];
      if (mapped) {
        out += i === 0 || lower[i - 1] === ' ' ? mapped.toUpperCase() : mapped;
        i += len;
        done = true;
        break;
      }
    }
    if (!done) {
      out += lower[i];
      i++;
    }
  }
  return out;
}

function shuffleWords(rng: Rng, name: string): string {
  const words = name.split(/\s+/);
  if (words.length < 2) return name;
  // The most common reorder: family name first (or last), then the rest.
  const last = words.pop() as string;
  if (rng() < 0.7) return [last, ...words].join(' ');
  words.push(last);
  for (let i = words.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [words[i], words[j]] = [words[j] as string, words[i] as string];
  }
  return words.join(' ');
}

const PARTICLE = /^(al|el|bin|ibn|ben|bint|abu|ould|de|van|von)$/i;

function dropMiddle(name: string, rng: Rng): string | undefined {
  const words = name.split(/\s+/);
  const middles = words.map((w, i) => ({ w, i })).filter(({ w, i }) => i > 0 && i < words.length - 1 && !PARTICLE.test(w));
  if (words.length < 3 || middles.length === 0) return undefined;
  const { i } = pick(rng, middles);
  return words.filter((_, k) => k !== i).join(' ');
}

const LEGAL_SWAP: readonly [RegExp, string][] = [
  [/\b(LLC|L\.L\.C\.|LIMITED LIABILITY COMPANY)\b/i, 'Ltd'],
  [/\b(LTD\.?|LIMITED)\b/i, 'LLC'],
  [/\b(OOO|OAO|AO|PAO|ZAO|JSC|PJSC|OJSC|CJSC)\b/i, 'LLC'],
  [/\b(CO\.?|COMPANY)\b/i, 'Co'],
  [/\b(GMBH|AG|SA|S\.A\.)\b/i, ''],
];

function legalForm(rng: Rng, name: string): string {
  for (const [re, to] of LEGAL_SWAP)
    if (re.test(name))
      return name
        .replace(re, to)
        .replace(/\s+/g, ' ')
        .replace(/[ ,]+$/, '')
        .trim();
  return `${name} ${pick(rng, ['LLC', 'Ltd', 'Company', 'AS', 'GmbH'])}`;
}

function exactDate(record: ListRecord): string | undefined {
  const d = record.birthDates.find((b) => b.date);
  return d?.date;
}

function yearsOf(b: BirthDate): [number, number] | undefined {
  if (b.date) return [Number(b.date.slice(0, 4)), Number(b.date.slice(0, 4))];
  if (b.fromYear !== undefined) return [b.fromYear, b.toYear ?? b.fromYear];
  return undefined;
}

interface Source {
  list: ListName;
  record: ListRecord;
}

export interface SetOptions {
  seed: number;
  positives: number;
  ordinary: number;
  ordinaryCompanies: number;
  namesakes: number;
}

const PERSON_VARIANTS = ['exact', 'typo1', 'typo2', 'transliteration', 'reorder', 'drop-middle', 'diacritics', 'original-script'] as const;
const ORG_VARIANTS = ['exact', 'typo1', 'typo2', 'legal-form', 'diacritics', 'case-punctuation'] as const;

export interface LabelledSet {
  queries: LabelledQuery[];
  /** Ordinary names generated but dropped because a listed name has exactly their tokens. */
  droppedAsListed: number;
}

export function buildLabelledSet(snapshots: readonly ListSnapshot[], options: SetOptions): LabelledSet {
  const rng = prng(options.seed);
  const sources: Source[] = [];
  const listedKeys = new Set<string>();
  for (const s of snapshots) {
    for (const record of s.records) {
      if (record.schema !== 'Person' && record.schema !== 'Organization') continue;
      sources.push({ list: s.list, record });
      for (const n of record.names) listedKeys.add(tokenKey(n.full));
    }
  }
  const out: LabelledQuery[] = [];

  // Positives.
  let guard = 0;
  let positives = 0;
  while (positives < options.positives && guard++ < options.positives * 20) {
    const { list, record } = pick(rng, sources);
    const usable = record.names.filter((n) => n.quality !== 'weak' && LATIN.test(n.full) && tokensOf(n.full).length > 0);
    if (usable.length === 0) continue;
    const base = rng() < 0.6 ? (usable[0] as (typeof usable)[number]) : pick(rng, usable);
    const person = record.schema === 'Person';
    const variant = pick(rng, person ? PERSON_VARIANTS : ORG_VARIANTS);
    let name: string | undefined = base.full;
    const words = base.full.split(/\s+/);
    switch (variant) {
      case 'exact':
        break;
      case 'typo1': {
        const i = Math.floor(rng() * words.length);
        words[i] = typo(rng, words[i] as string);
        name = words.join(' ');
        break;
      }
      case 'typo2': {
        const long = words.map((w, i) => ({ w, i })).filter(({ w }) => w.length >= 4);
        if (long.length === 0) name = undefined;
        else if (long.length === 1) {
          const { i } = long[0] as { i: number };
          if ((words[i] as string).length < 7) name = undefined;
          else words[i] = typo(rng, typo(rng, words[i] as string));
        } else {
          const a = pick(rng, long);
          const b = pick(
            rng,
            long.filter((x) => x.i !== a.i),
          );
          words[a.i] = typo(rng, a.w);
          words[b.i] = typo(rng, b.w);
        }
        if (name !== undefined) name = words.join(' ');
        break;
      }
      case 'transliteration':
        name = transliterate(rng, base.full);
        break;
      case 'reorder':
        name = shuffleWords(rng, base.full);
        break;
      case 'drop-middle':
        name = dropMiddle(base.full, rng);
        break;
      case 'diacritics':
        name = diacritics(rng, base.full);
        break;
      case 'original-script': {
        const native = record.names.filter((n) => n.quality !== 'weak' && !LATIN.test(n.full));
        if (native.length > 0) name = pick(rng, native).full;
        else if (['RU', 'BY', 'UA', 'KZ'].some((c) => record.countries.includes(c))) name = toCyrillic(base.full);
        else name = undefined;
        break;
      }
      case 'legal-form':
        name = legalForm(rng, base.full);
        break;
      case 'case-punctuation':
        name = base.full.toLowerCase().replace(/[.,]/g, '').replace(/-/g, ' ');
        break;
    }
    if (name === undefined || tokensOf(name).length === 0) continue;
    const date = person && rng() < 0.5 ? exactDate(record) : undefined;
    out.push({
      name,
      schema: person ? 'Person' : 'Organization',
      ...(date ? { birthDate: date } : {}),
      expected: `${list}:${record.key}`,
      kind: 'positive',
      variant: date ? `${variant}+dob` : variant,
    });
    positives++;
  }

  // Ordinary people living in Norway.
  const weights = COMMUNITIES.map((c) => c.share);
  const totalShare = weights.reduce((a, b) => a + b, 0);
  const community = (): Community => {
    let r = rng() * totalShare;
    for (const c of COMMUNITIES) {
      r -= c.share;
      if (r <= 0) return c;
    }
    return COMMUNITIES[0] as Community;
  };
  let ordinary = 0;
  guard = 0;
  let droppedAsListed = 0;
  while (ordinary < options.ordinary && guard++ < options.ordinary * 10) {
    const c = community();
    const parts = [pick(rng, c.given)];
    if (rng() < c.middle) parts.push(pick(rng, c.patronymic ? [...c.given, ...c.family] : c.given));
    parts.push(pick(rng, c.family));
    if (new Set(parts).size < parts.length) continue;
    const name = parts.join(' ');
    if (listedKeys.has(tokenKey(name))) {
      droppedAsListed++;
      continue;
    }
    const year = 1940 + Math.floor(rng() * 66);
    const withDate = rng() < 0.6;
    const date = `${year}-${String(1 + Math.floor(rng() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rng() * 28)).padStart(2, '0')}`;
    out.push({
      name,
      schema: 'Person',
      ...(withDate ? { birthDate: date } : {}),
      ...(rng() < 0.5 ? { country: c.country } : {}),
      kind: 'ordinary',
      variant: c.name,
    });
    ordinary++;
  }
  for (let i = 0; i < options.ordinaryCompanies; i++) {
    const name = `${pick(rng, COMPANY_WORDS.distinctive)} ${pick(rng, COMPANY_WORDS.business)} ${pick(rng, COMPANY_WORDS.forms)}`.trim();
    if (listedKeys.has(tokenKey(name))) continue;
    out.push({ name, schema: 'Organization', ...(rng() < 0.5 ? { country: 'NO' } : {}), kind: 'ordinary', variant: 'Norwegian company' });
  }

  // Namesakes: the exact listed name, another person's birth date.
  const dated = sources.filter((s) => s.record.schema === 'Person' && s.record.birthDates.some((b) => yearsOf(b)));
  let namesakes = 0;
  guard = 0;
  while (namesakes < options.namesakes && guard++ < options.namesakes * 20 && dated.length > 0) {
    const { list, record } = pick(rng, dated);
    const base = record.names.find((n) => n.quality !== 'weak' && LATIN.test(n.full));
    if (!base) continue;
    const spans = record.birthDates.map(yearsOf).filter((s): s is [number, number] => s !== undefined);
    const anchor = (spans[0] as [number, number])[0];
    const shift = (5 + Math.floor(rng() * 26)) * (rng() < 0.5 ? -1 : 1);
    const year = anchor + shift;
    if (year > 2008 || spans.some(([from, to]) => year > from - 5 && year < to + 5)) continue;
    out.push({
      name: base.full,
      schema: 'Person',
      birthDate: `${year}-${String(1 + Math.floor(rng() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rng() * 28)).padStart(2, '0')}`,
      expected: `${list}:${record.key}`,
      kind: 'namesake',
      variant: `${Math.abs(shift)}y apart`,
    });
    namesakes++;
  }
  return { queries: out, droppedAsListed };
}

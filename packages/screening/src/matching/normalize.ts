/**
 * Name normalisation: every name, in any script, becomes a list of lower-case Latin tokens with the
 * keys the index and the scorer compare. Transliteration (any-ascii) and phonetics (double-metaphone)
 * come from kept libraries; the word tables below are Drop's own.
 */
import anyAscii from 'any-ascii';
import { doubleMetaphone } from 'double-metaphone';

/** How much a token says about identity, before its rarity (IDF) is taken into account. */
export type TokenKind = 'name' | 'particle' | 'legal';

export interface NameToken {
  /** Normalised Latin form: 'mohammed', 'qaida'. */
  text: string;
  /** Spelling-variant canonical form ('muhammad' for every Mohammed/Mohamed/…), else `text`. */
  canonical: string;
  /** Double-metaphone primary key ('' for very short tokens). */
  phonetic: string;
  /** Consonant skeleton ('mhmd'), to compare with names written in Arabic or Hebrew script, which omit short vowels. */
  skeleton: string;
  kind: TokenKind;
  /** Index-wide number of the token (interned at build), so comparisons can be cached per query; -1 in queries. */
  id: number;
}

export interface NormalizedName {
  tokens: NameToken[];
  /** True when the name was written in an abjad (Arabic, Hebrew, Syriac): compare by skeleton too. */
  abjad: boolean;
}

/**
 * Titles and honorifics carry little identity: they weigh as little as particles, so 'Sheikh Ahmed
 * Yassin' and 'Ahmed Yassin' are the same name. They are kept, not dropped: several are also names
 * (Hafiz Saeed, Somali surnames such as Haji).
 */
const HONORIFICS = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'dr',
  'prof',
  'sir',
  'sheikh',
  'shaikh',
  'shaykh',
  'sheik',
  'haji',
  'hajji',
  'hadji',
  'mullah',
  'mulla',
  'maulana',
  'maulvi',
  'mawlawi',
  'mawlavi',
  'qari',
  'general',
  'gen',
  'colonel',
  'col',
  'major',
  'maj',
  'captain',
  'capt',
  'lieutenant',
  'lt',
  'brigadier',
  'admiral',
  'hon',
  'honorable',
  'honourable',
  'senator',
  'rep',
]);

/**
 * Name particles: articles, patronymic and kunya markers, nobiliary particles. They stay (so
 * 'Bin Laden' keeps its order) but weigh little, and a name cannot match on particles alone.
 */
const PARTICLES = new Set([
  'al',
  'el',
  'ad',
  'ar',
  'as',
  'ash',
  'at',
  'az',
  'ul',
  'ud',
  'bin',
  'ibn',
  // The same particles transliterated from Arabic script, without vowels: bn (bin), bw/abw (abu), bnt (bint), wld (ould).
  'bn',
  'bw',
  'abw',
  'bnt',
  'wld',
  'ben',
  'bint',
  'binti',
  'bent',
  'abu',
  'abou',
  'abo',
  'umm',
  'um',
  'ould',
  'wuld',
  'walad',
  'de',
  'da',
  'di',
  'do',
  'dos',
  'das',
  'del',
  'della',
  'la',
  'le',
  'van',
  'von',
  'der',
  'den',
  'ter',
  'ten',
  'y',
  'e',
  'und',
  'and',
  'of',
  'the',
  'for',
]);

/**
 * Organisation legal forms and generic company words (Watchman issue #483: 'CORP' alone matching at
 * 100% made it unusable). They count for little on either side.
 */
const LEGAL_FORMS = new Set([
  'llc',
  'ltd',
  'limited',
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'companies',
  'plc',
  'gmbh',
  'ag',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'as',
  'asa',
  'ab',
  'oy',
  'aps',
  'kft',
  'sro',
  'ooo',
  'oao',
  'zao',
  'pao',
  'ao',
  'tov',
  'pjsc',
  'ojsc',
  'cjsc',
  'jsc',
  'ojs',
  'fze',
  'fzco',
  'fzc',
  'fzllc',
  'dmcc',
  'pte',
  'pty',
  'sdn',
  'bhd',
  'lp',
  'llp',
  'group',
  'holding',
  'holdings',
  'international',
  'intl',
  'trading',
  'enterprise',
  'enterprises',
  'establishment',
  'est',
  'firm',
  'organization',
  'organisation',
  'foundation',
  'society',
  'association',
  'industries',
  'industry',
  'general',
  'private',
  'public',
  'joint',
  'stock',
  'closed',
  'open',
  'ltda',
  'liability',
  'cv',
  'rl',
  'sal',
  'sab',
  'pjs',
  'unitary',
  'federal',
  'state',
  'budgetary',
  'institution',
  'cia',
  'sociedad',
  'anonima',
]);

/**
 * Transliteration variants a phonetic key does not join on its own (or joins too loosely): each row
 * is one name, its first entry the canonical spelling.
 */
const VARIANT_ROWS: readonly string[][] = [
  [
    'muhammad',
    'mohammed',
    'mohamed',
    'mohammad',
    'mohamad',
    'muhammed',
    'muhamed',
    'mouhamed',
    'mohamud',
    'mohammod',
    'muhamad',
    'mahomed',
    'mehmet',
    'mehmed',
    'mohd',
    'md',
    'mukhammad',
    'magomed',
    'mukhamed',
    'mohummad',
  ],
  ['ahmad', 'ahmed', 'ahmet', 'akhmed', 'akhmad', 'achmed', 'achmad', 'ahamed'],
  ['mahmud', 'mahmoud', 'mahmood', 'mehmood', 'mahmut'],
  ['hussein', 'husein', 'hussain', 'husain', 'hosein', 'hossein', 'husayn', 'hussayn', 'huseyn', 'huseyin'],
  ['hassan', 'hasan', 'hasen', 'hassen', 'khasan'],
  ['usama', 'osama', 'ussama', 'oussama', 'osamah'],
  ['yusuf', 'yousef', 'yousuf', 'youssef', 'yusef', 'yussuf', 'yosef', 'jusuf', 'yusup', 'yussef'],
  ['abd', 'abdul', 'abdel', 'abdal', 'abdoul', 'abdol', 'abdulla', 'abdu'],
  ['abdullah', 'abdallah', 'abdulla', 'abdellah', 'abdoulah', 'abdulloh', 'abdoullah'],
  ['abdulrahman', 'abdurrahman', 'abdelrahman', 'abdalrahman', 'abdurahman', 'abdulrahmon'],
  ['omar', 'umar', 'omer', 'oumar'],
  ['uthman', 'othman', 'osman', 'usman', 'ousmane', 'usmon'],
  ['ali', 'aly', 'alee'],
  ['khalid', 'khaled', 'halid', 'khaleed'],
  ['said', 'saeed', 'sayed', 'sayyid', 'sayid', 'saied', 'syed', 'seyed', 'seyyed'],
  ['ibrahim', 'ebrahim', 'ibrahem', 'brahim', 'ibragim'],
  ['ismail', 'ismael', 'esmail', 'ismayil', 'ismoil'],
  ['yahya', 'yahia', 'yehia', 'yahyah'],
  ['mustafa', 'mustapha', 'moustafa', 'mostafa', 'mustafo'],
  ['abubakar', 'abubakr', 'aboubakar', 'abubaker'],
  ['qaida', 'qaeda', 'kaida', 'qaidah'],
  ['jamal', 'gamal', 'djamel', 'jamel'],
  ['jafar', 'jaafar', 'jaffar', 'djafar'],
  ['abdulaziz', 'abdelaziz', 'abdalaziz', 'abdolaziz'],
  ['nasrallah', 'nasrullah', 'nasrollah'],
  ['aleksandr', 'alexander', 'aleksander', 'alexandr', 'oleksandr'],
  ['sergei', 'sergey', 'serguei', 'serhiy', 'serhii'],
  ['yuri', 'yury', 'yuriy', 'iouri', 'yurii'],
  ['dmitri', 'dmitry', 'dmitriy', 'dmitrii', 'dmytro'],
  ['andrei', 'andrey', 'andrii', 'andriy'],
  ['alexei', 'aleksei', 'alexey', 'aleksey', 'oleksii', 'oleksiy'],
  ['nikolai', 'nikolay', 'mykola', 'nicolai'],
  ['evgeny', 'evgeni', 'evgenii', 'yevgeny', 'yevgeniy', 'yevhen', 'eugene'],
  ['vladimir', 'wladimir', 'volodymyr'],
  ['mikhail', 'mihail', 'mykhailo', 'michail'],
  ['tatiana', 'tatyana', 'tetiana', 'tatjana'],
];

const VARIANTS = new Map<string, string>();
for (const row of VARIANT_ROWS) {
  const canonical = row[0] as string;
  for (const spelling of row) if (!VARIANTS.has(spelling)) VARIANTS.set(spelling, canonical);
}
// Filled after foldSpelling is defined (below): folded spellings of the rows find their row too.
function addFoldedVariants(): void {
  for (const row of VARIANT_ROWS) {
    const canonical = row[0] as string;
    for (const spelling of row) {
      const folded = foldSpelling(spelling);
      if (!VARIANTS.has(folded)) VARIANTS.set(folded, canonical);
    }
  }
}

/** Alignment buffers are sized for this many tokens per name. */
export const MAX_TOKENS = 40;

const ABJAD = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}]/u;
const VOWELS = /[aeiouy]/g;

/** A token's consonant skeleton: no vowels, no doubled letters, no final 'h' (Arabic tāʾ marbūṭa). */
export function skeletonOf(token: string): string {
  let out = '';
  for (const ch of token.replace(VOWELS, '')) if (out[out.length - 1] !== ch) out += ch;
  if (out.length > 2 && out.endsWith('h')) out = out.slice(0, -1);
  return out;
}

export function phoneticOf(token: string): string {
  if (token.length < 3) return '';
  return doubleMetaphone(token)[0];
}

function kindOf(token: string, schema: 'Person' | 'Organization' | 'any'): TokenKind {
  if (schema !== 'Person' && LEGAL_FORMS.has(token)) return 'legal';
  if (PARTICLES.has(token)) return 'particle';
  if (schema !== 'Organization' && HONORIFICS.has(token)) return 'particle';
  return 'name';
}

/**
 * Spelling differences between transliteration systems that are not worth a table row: French 'ou'
 * for 'u', German 'w' for 'v', 'x' for 'ks', Russian endings '-iy/-ij/-ii', doubled letters.
 */
export function foldSpelling(token: string): string {
  return token
    .replace(/x/g, 'ks')
    .replace(/ph/g, 'f')
    .replace(/w/g, 'v')
    .replace(/ou/g, 'u')
    .replace(/kh/g, 'h')
    .replace(/q/g, 'k')
    .replace(/dj/g, 'j')
    .replace(/([a-z])\1+/g, '$1')
    .replace(/(iy|ij|ii|yi|yy)$/, 'y');
}

export function makeToken(text: string, kind: TokenKind): NameToken {
  const folded = /^[a-z]+$/.test(text) ? foldSpelling(text) : text;
  const canonical = VARIANTS.get(text) ?? VARIANTS.get(folded) ?? folded;
  return { text, canonical, phonetic: phoneticOf(canonical), skeleton: skeletonOf(text), kind, id: -1 };
}

/**
 * 'LAST, First Middle' (OFAC) becomes 'First Middle LAST', so the first and last tokens are the
 * given name and the family name whatever the publisher's order. Organisation names keep their
 * commas ('ANGLO-CARIBBEAN CO., LTD.').
 */
function naturalOrder(name: string, schema: 'Person' | 'Organization' | 'any'): string {
  if (schema !== 'Person') return name;
  const comma = name.indexOf(',');
  if (comma < 0 || name.indexOf(',', comma + 1) >= 0) return name;
  return `${name.slice(comma + 1)} ${name.slice(0, comma)}`;
}

/** Transliterates, folds diacritics and case, strips punctuation and titles, and classifies tokens. */
export function normalizeName(raw: string, schema: 'Person' | 'Organization' | 'any'): NormalizedName {
  const abjad = ABJAD.test(raw);
  const latin = anyAscii(naturalOrder(raw.normalize('NFC'), schema))
    .toLowerCase()
    // Dotted abbreviations are one word: 'S.A.' is 'sa', 'L.L.C.' is 'llc', 'M.' stays 'm'.
    .replace(/\b(?:[a-z0-9]\.+){1,}[a-z0-9]\b\.*/g, (m) => m.replace(/\./g, ''))
    // Apostrophes and the ayn/hamza marks any-ascii writes as ' and ` join their word: O'Brien, Ba'th.
    .replace(/['`’ʼʻ]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  const tokens: NameToken[] = [];
  for (const text of latin.split(' ')) {
    // Very long names (organisation descriptions) are cut: the first forty words identify them.
    if (tokens.length >= MAX_TOKENS) break;
    if (text === '') continue;
    tokens.push(makeToken(text, kindOf(text, schema)));
  }
  return { tokens, abjad };
}

addFoldedVariants();

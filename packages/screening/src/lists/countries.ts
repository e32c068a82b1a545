import countries from 'i18n-iso-countries';
import english from 'i18n-iso-countries/langs/en.json' with { type: 'json' };

countries.registerLocale(english);

/**
 * Names the publishers use that the ISO register (i18n-iso-countries, English) does not know:
 * OFAC's inverted forms ("Korea, North"), UN/UNTERM official names, older names and the
 * nationality adjectives some records carry instead of a country. Keys are lower case.
 */
const ALIASES: Readonly<Record<string, string>> = {
  'korea, north': 'KP',
  'north korea': 'KP',
  "democratic people's republic of korea": 'KP',
  'korea, south': 'KR',
  'south korea': 'KR',
  'republic of korea': 'KR',
  'congo, democratic republic of the': 'CD',
  'congo, republic of the': 'CG',
  burma: 'MM',
  'man, isle of': 'IM',
  'virgin islands, british': 'VG',
  'british virgin islands': 'VG',
  'iran (islamic republic of)': 'IR',
  syria: 'SY',
  'united kingdom of great britain and northern ireland': 'GB',
  'cabo verde': 'CV',
  'viet nam': 'VN',
  laos: 'LA',
  "lao people's democratic republic": 'LA',
  moldova: 'MD',
  'republic of moldova': 'MD',
  macedonia: 'MK',
  'the former yugoslav republic of macedonia': 'MK',
  'bahamas, the': 'BS',
  'gambia, the': 'GM',
  "cote d'ivoire": 'CI',
  'cote d ivoire': 'CI',
  'china, hong kong special administrative region': 'HK',
  'hong kong': 'HK',
  macau: 'MO',
  palestinian: 'PS',
  palestine: 'PS',
  'west bank': 'PS',
  gaza: 'PS',
  'region: west bank': 'PS',
  'region: gaza': 'PS',
  'region: russia': 'RU',
  'north macedonia, the republic of': 'MK',
  'st. vincent and the grenadines': 'VC',
  'st. kitts and nevis': 'KN',
  'st. kitts & nevis': 'KN',
  brunei: 'BN',
  'micronesia, federated states of': 'FM',
  'saint kitts and nevis': 'KN',
  'brunei darussalam': 'BN',
  'bolivia (plurinational state of)': 'BO',
  'venezuela (bolivarian republic of)': 'VE',
  'russian federation': 'RU',
  czechia: 'CZ',
  eswatini: 'SZ',
  swaziland: 'SZ',
  // Nationality adjectives, where a list writes one instead of a country.
  afghan: 'AF',
  iraqi: 'IQ',
  iranian: 'IR',
  syrian: 'SY',
  russian: 'RU',
  belarusian: 'BY',
  ukrainian: 'UA',
  chinese: 'CN',
  'north korean': 'KP',
  pakistani: 'PK',
  lebanese: 'LB',
  yemeni: 'YE',
  libyan: 'LY',
  somali: 'SO',
  sudanese: 'SD',
  saudi: 'SA',
  egyptian: 'EG',
  american: 'US',
  british: 'GB',
  turkish: 'TR',
  venezuelan: 'VE',
  cuban: 'CU',
  norwegian: 'NO',
};

/**
 * The ISO 3166-1 alpha-2 code for a country name or nationality adjective as a list writes it,
 * or undefined when it is not a country Drop can name with certainty ("former Soviet Union", "na"):
 * an unknown stays out of the record rather than being guessed.
 */
export function countryCode(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // Lists repeat a few hundred country spellings tens of thousands of times; the ISO lookup is a linear scan.
  if (!known.has(value)) known.set(value, lookUp(value));
  return known.get(value);
}

const known = new Map<string, string | undefined>();

function lookUp(value: string): string | undefined {
  const name = value.trim().replace(/\s+/g, ' ').replace(/\.$/, '');
  if (!name) return undefined;
  const alias = ALIASES[name.normalize('NFD').replace(/\p{M}/gu, '').replace(/[’`]/g, "'").toLowerCase()];
  if (alias) return alias;
  return countries.getSimpleAlpha2Code(name, 'en') ?? undefined;
}

/**
 * A field that holds an ISO 3166-1 alpha-2 code (EU countryIso2Code, FtM nationality/country), in either
 * case, checked against the register; the EU's '00' (unknown) and FtM's non-ISO codes stay out.
 */
export function isoCountryCode(value: string | undefined): string | undefined {
  const code = value?.trim().toUpperCase();
  return code && /^[A-Z]{2}$/.test(code) && countries.isValid(code) ? code : undefined;
}

/**
 * Text as the PDF's standard fonts can draw it. The receipt uses Helvetica, one of the 14 fonts
 * every PDF reader has, so nothing is embedded and the file stays small and byte-for-byte
 * reproducible; its WinAnsi encoding covers Norwegian (æøå), the other Western European letters,
 * "€", "–" and "•", and nothing else. pdfkit writes any other character as garbage, so such
 * characters are folded here first: accents come off ("Nguyễn Văn Đức" → "Nguyen Van Duc"), a few
 * letters with no decomposition are spelt out, and what is left becomes "?".
 */

// WinAnsi's 0x80–0x9F block: the characters Windows-1252 puts where Latin-1 has control codes.
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

// Letters that do not decompose into a base letter and a mark.
const SPELT_OUT: Record<string, string> = { Đ: 'D', đ: 'd', Ł: 'L', ł: 'l', ı: 'i', Ħ: 'H', ħ: 'h', Ŧ: 'T', ŧ: 't', ĸ: 'k' };

// Spaces and dashes Intl and word processors use that WinAnsi lacks, as their nearest WinAnsi twin.
const NEAREST: Record<string, string> = {
  '\u202f': '\u00a0',
  '\u2009': ' ',
  '\u2007': '\u00a0',
  '\u2212': '-',
  '\u2010': '-',
  '\u2011': '-',
};

function isWinAnsi(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(character);
}

/** `text` with every character the standard PDF fonts cannot draw replaced by its nearest drawable one. */
export function toWinAnsi(text: string): string {
  let result = '';
  for (const character of text) {
    if (isWinAnsi(character)) {
      result += character;
      continue;
    }
    const replacement = NEAREST[character] ?? SPELT_OUT[character] ?? character.normalize('NFD').replace(/\p{M}/gu, '');
    result += [...replacement].every(isWinAnsi) && replacement !== '' ? replacement : /\s/.test(character) ? ' ' : '?';
  }
  return result;
}

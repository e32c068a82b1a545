import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toWinAnsi } from './win-ansi-text.ts';

test('Norwegian and Western European text, euro sign, dashes and bullets pass unchanged', () => {
  const text = 'Blåbærsyltetøy ÆØÅ æøå – Café Müller, 846,43 € •••• 3000 “Straße”';
  assert.equal(toWinAnsi(text), text);
  assert.equal(toWinAnsi('1\u00a0234,56\u00a0kr'), '1\u00a0234,56\u00a0kr');
});

test('letters outside WinAnsi lose their accents or are spelt out', () => {
  assert.equal(toWinAnsi('Nguyễn Văn Đức'), 'Nguyen Van Duc');
  assert.equal(toWinAnsi('Łukasz Wałęsa'), 'Lukasz Walesa');
  assert.equal(toWinAnsi('Şükrü Ağaoğlu'), 'Sükrü Agaoglu');
});

test('what cannot be drawn becomes "?", odd spaces become drawable ones, line breaks become spaces', () => {
  assert.equal(toWinAnsi('王小明'), '???');
  assert.equal(toWinAnsi('1\u202f234'), '1\u00a0234');
  assert.equal(toWinAnsi('a\nb\tc'), 'a b c');
  assert.equal(toWinAnsi('\u2212 5'), '- 5');
  assert.equal(toWinAnsi('😀'), '?');
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SETTING_NAMES } from '@drop/config';

describe('.env.example', () => {
  it('documents exactly the settings the configuration module reads', () => {
    const text = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    const documented = text
      .split('\n')
      .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line))
      .map((line) => line.slice(0, line.indexOf('=')));
    assert.deepEqual([...documented].sort(), [...SETTING_NAMES].sort());
    assert.ok(SETTING_NAMES.includes('PORT') && SETTING_NAMES.includes('HOST'));
  });
});

/** Settings are read in one typed place; the keys stay in step with package.json once it declares them. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readSettings, DEFAULT_SETTINGS, SETTING_KEYS } from '../../server/src/settings';
import { REPO } from './client';

test('readSettings falls back to defaults for missing or malformed values', () => {
  assert.deepEqual(readSettings(undefined), DEFAULT_SETTINGS);
  assert.deepEqual(readSettings({ platform: 'no-such-os', inlayHints: 'yes', cookbookPaths: [1, 'vendor'] }), { ...DEFAULT_SETTINGS, cookbookPaths: ['vendor'] });
  assert.equal(readSettings({ platform: 'almalinux-9' }).platform, 'almalinux-9');
  assert.equal(readSettings({ inlayHints: { attributeValues: false } }).inlayHints.attributeValues, false);
});

test('package.json contributes.configuration declares exactly the settings the server reads', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const conf = pkg.contributes?.configuration;
  const props = Object.keys((Array.isArray(conf) ? Object.assign({}, ...conf.map((c: { properties?: object }) => c.properties)) : conf?.properties) ?? {}).filter((k) => k.startsWith('cloche.') && SETTING_KEYS.some((s) => s.split('.')[1] === k.split('.')[1]));
  for (const k of SETTING_KEYS) assert.ok(props.includes(k), `package.json lacks ${k}`);
});

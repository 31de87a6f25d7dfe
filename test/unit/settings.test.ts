/** Settings and commands stay in step with package.json: keys, types, defaults, ids and titles. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CLIENT_SETTING_KEYS, DEFAULTS, readClientSettings } from '../../client/src/settings';
import { COMMANDS, COMMAND_CATEGORY } from '../../client/src/commands';
import { SETTING_KEYS as SERVER_SETTING_KEYS, DEFAULT_SETTINGS as SERVER_DEFAULTS } from '../../server/src/settings';
import { listPlatformProfiles } from '../../server/src/chef/platforms';

const pkg = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8'));
const declared: Record<string, { type: string; default: unknown; enum?: string[] }> = pkg.contributes.configuration.properties;

/** Reads a dotted path (`container.runtime`) out of an object. */
const at = (o: unknown, dotted: string): unknown => dotted.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);

describe('settings ↔ contributes.configuration', () => {
  it('declares exactly the keys the client and the server read', () => {
    const read = new Set<string>([...CLIENT_SETTING_KEYS, ...SERVER_SETTING_KEYS]);
    assert.deepEqual(Object.keys(declared).sort(), [...read].sort());
  });

  it('declares the defaults the readers use, with matching JSON types', () => {
    for (const key of CLIENT_SETTING_KEYS) {
      const value = at(DEFAULTS, key.slice('cloche.'.length));
      assert.deepEqual(declared[key].default, value, key);
      const type = Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : typeof value;
      assert.equal(declared[key].type, type, key);
    }
    // An empty string or object in package.json reads as "not set" (undefined) on the server.
    const unset = (v: unknown) => (v === '' || (typeof v === 'object' && v !== null && !Array.isArray(v) && !Object.keys(v).length) ? undefined : v);
    for (const key of SERVER_SETTING_KEYS) assert.deepEqual(unset(declared[key].default), unset(at(SERVER_DEFAULTS, key.slice('cloche.'.length))), key);
  });

  it('offers every platform profile the core knows', () => {
    assert.deepEqual(declared['cloche.platform'].enum, ['auto', ...listPlatformProfiles()]);
  });

  it('enumerated settings accept exactly what the reader accepts', () => {
    for (const key of CLIENT_SETTING_KEYS) {
      const allowed = declared[key].enum;
      if (!allowed || key === 'cloche.platform') continue;
      const short = key.slice('cloche.'.length);
      for (const v of allowed) assert.equal(at(readClientSettings((k) => (k === short ? v : undefined)), short), v, `${key}=${v}`);
      assert.equal(at(readClientSettings((k) => (k === short ? 'bogus' : undefined)), short), at(DEFAULTS, short), `${key} rejects bogus`);
    }
  });

  it('falls back to defaults for missing or malformed values', () => {
    assert.deepEqual(readClientSettings(() => undefined), DEFAULTS);
    const bad = readClientSettings((k) => ({ 'timeouts.planSeconds': -3, 'graph.updateDelayMs': 'soon', 'container.images': { 'debian-12': 'img:1', x: 4 } } as Record<string, unknown>)[k]);
    assert.equal(bad.timeouts.planSeconds, DEFAULTS.timeouts.planSeconds);
    assert.equal(bad.graph.updateDelayMs, DEFAULTS.graph.updateDelayMs);
    assert.deepEqual(bad.container.images, { 'debian-12': 'img:1' });
  });

  it('reads the matrix settings: concurrency 0 or more (whole), hosts as non-empty strings', () => {
    const read = (values: Record<string, unknown>) => readClientSettings((k) => values[k]).test;
    assert.deepEqual(read({ 'test.concurrency': 3, 'test.hosts': ['ssh://me@box', ' tcp://b:2376 ', '', 7] }), { concurrency: 3, hosts: ['ssh://me@box', 'tcp://b:2376'] });
    assert.deepEqual(read({ 'test.concurrency': -1, 'test.hosts': 'ssh://me@box' }), { concurrency: 0, hosts: [] });
    assert.equal(read({ 'test.concurrency': 2.7 }).concurrency, 2);
  });
});

describe('commands ↔ contributes.commands', () => {
  it('contributes every command of the table, with its title and category, and nothing else', () => {
    const contributed = (pkg.contributes.commands as { command: string; title: string; category: string; icon?: string }[]);
    assert.deepEqual(contributed.map((c) => c.command).sort(), Object.values(COMMANDS).map((c) => c.id).sort());
    for (const c of Object.values(COMMANDS)) {
      const p = contributed.find((x) => x.command === c.id)!;
      assert.equal(p.title, c.title, c.id);
      assert.equal(p.category, COMMAND_CATEGORY, c.id);
      assert.equal(p.icon, 'icon' in c ? c.icon : undefined, c.id);
    }
  });

  it('walkthrough steps and welcome views link only to contributed commands (or VS Code\'s own)', () => {
    const ids = new Set<string>([...Object.values(COMMANDS).map((c) => c.id), 'workbench.trust.manage']);
    const texts = [
      ...(pkg.contributes.walkthroughs as { steps: { description: string; completionEvents?: string[] }[] }[]).flatMap((w) => w.steps.flatMap((st) => [st.description, ...(st.completionEvents ?? [])])),
      ...(pkg.contributes.viewsWelcome as { contents: string }[]).map((v) => v.contents),
    ];
    const linked = texts.flatMap((t) => [...t.matchAll(/(?:\(command:|onCommand:)([\w.]+)/g)].map((m) => m[1]));
    assert.ok(linked.length >= 6, `links found: ${linked.join(', ')}`);
    for (const id of linked) assert.ok(ids.has(id), id);
    for (const w of pkg.contributes.walkthroughs as { steps: { media: { markdown: string } }[] }[]) {
      for (const st of w.steps) assert.ok(existsSync(path.join(__dirname, '../..', st.media.markdown)), st.media.markdown);
    }
  });

  it('menus only name contributed commands', () => {
    const ids = new Set<string>(Object.values(COMMANDS).map((c) => c.id));
    for (const [menu, items] of Object.entries(pkg.contributes.menus as Record<string, { command: string }[]>)) {
      for (const item of items) assert.ok(ids.has(item.command), `${menu}: ${item.command}`);
    }
  });
});

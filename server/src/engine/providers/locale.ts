/**
 * locale :update on Debian-family systems, as Chef 19's resource does it: it needs the
 * `locale-gen` tool (package locales; Chef fails without it, whatever the state), reads LANG
 * from /etc/locale.conf (not /etc/default/locale), and converges when `lang` differs or when
 * `lc_env` is given at all — Chef compares lc_env with its default `{}`, never with the file, so
 * a resource with lc_env is updated on every run (the plan says so). Converging runs `locale-gen`
 * with the locales `locale -a` lacks, then writes /etc/locale.conf (`LC_…=…` and `LANG=…`, sorted).
 *
 * Debian's locale-gen ignores the names it is given and builds the locales enabled in
 * /etc/locale.gen: the plan reads that file and says which locales will stay unavailable.
 */
import type { PlanChange } from '../../protocol';
import { PropReader } from '../props';
import type { Query } from '../probeScript';
import type { EngineResource, PlanContext, Provider, ProviderStep } from '../types';
import { change, failedStep, shQuote, unknownStep, upToDate } from './common';
import { planContentFile, writeFileScript } from './file';

/** The file Chef writes and reads LANG from. */
const LOCALE_CONF = '/etc/locale.conf';
/** The LC_ variables Chef accepts in lc_env. */
const LC_VARIABLES = ['LC_ADDRESS', 'LC_COLLATE', 'LC_CTYPE', 'LC_IDENTIFICATION', 'LC_MEASUREMENT', 'LC_MESSAGES', 'LC_MONETARY', 'LC_NAME', 'LC_NUMERIC', 'LC_PAPER', 'LC_TELEPHONE', 'LC_TIME'];
/** Chef's LOCALE_REGEX: non-empty, no leading whitespace. */
const LOCALE_VALUE = /^\S+/;
/** Seconds Chef gives locale-gen. */
const LOCALE_GEN_TIMEOUT_SEC = 1800;

function want(r: EngineResource) {
  const reader = new PropReader(r);
  return { reader, lang: reader.str('lang'), lcEnv: reader.map('lc_env') ?? {} };
}
type Want = ReturnType<typeof want>;

/** What the apply runs, kept from the plan. */
interface ApplyData { generate: string[]; content?: string }
const planned = new WeakMap<ProviderStep, ApplyData>();

/**
 * LANG as Chef's load_current_value reads it: `Hash[text.split("\n").map { |v| v.split("=") }]`,
 * which raises on a blank line inside the file or on a line with two `=`.
 */
function currentLang(text: string): { lang?: string; failed?: string } {
  const lines = text.split('\n');
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  const entries = new Map<string, string | undefined>();
  for (const l of lines) {
    // Ruby's split drops trailing empty fields: "LANG=" is ["LANG"].
    const parts = l.split('=');
    while (parts.length && parts[parts.length - 1] === '') parts.pop();
    if (parts.length === 0 || parts.length > 2) return { failed: `Chef cannot read ${LOCALE_CONF}: the line ${JSON.stringify(l)} makes Hash[] raise (invalid number of elements)` };
    entries.set(parts[0], parts[1]);
  }
  return { lang: entries.get('LANG') };
}

/** The locales /etc/locale.gen enables (`name charset` lines, not comments), undefined when it cannot be read. */
function enabledLocales(ctx: PlanContext): Set<string> | undefined {
  const k = ctx.state.path('/etc/locale.gen');
  if (!k.ok || (k.value.kind !== 'missing' && k.value.content === undefined)) return undefined;
  const text = k.value.kind === 'missing' ? '' : k.value.content ?? '';
  return new Set(text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((l) => l.split(/\s+/)[0]));
}

function planUpdate(ctx: PlanContext, w: Want): ProviderStep {
  if (ctx.facts.platformFamily !== 'debian') return failedStep(`The locale resource is not supported on platform family: ${ctx.facts.platformFamily}`);
  if (w.lang !== undefined && !LOCALE_VALUE.test(w.lang)) return failedStep('The provided lang is not valid. It should be a non-empty string without any leading whitespace.');
  const bad = Object.keys(w.lcEnv).filter((k) => !LC_VARIABLES.includes(k));
  if (bad.length) return failedStep(`Key of option lc_env must be equal to one of: "${LC_VARIABLES.join('", "')}"!  You passed "${bad.join(', ')}".`);
  if (!Object.values(w.lcEnv).every((v) => LOCALE_VALUE.test(v))) return failedStep('Values of option lc_env should be non-empty string without any leading whitespace.');
  const assumptions: string[] = [];
  const gen = ctx.state.system('which:locale-gen');
  if (!gen.ok) return unknownStep(gen.reason);
  if (!gen.value.v?.[0]) {
    if (!ctx.state.installs.length) return failedStep('The locale resource requires the locale-gen tool, which the container lacks (package locales)');
    assumptions.push(`assuming locale-gen (package locales) is installed by ${ctx.state.installs.join(', ')}, installed earlier`);
  }
  const conf = ctx.state.path(LOCALE_CONF);
  if (!conf.ok) return unknownStep(conf.reason);
  if (conf.value.kind !== 'missing' && conf.value.content === undefined) return unknownStep(`${LOCALE_CONF} exists but its content could not be read`);
  const cur = conf.value.kind === 'missing' ? {} : currentLang(conf.value.content ?? '');
  if (cur.failed) return failedStep(cur.failed);
  const lcSet = Object.keys(w.lcEnv).length > 0;
  const langChanges = w.lang !== undefined && w.lang !== cur.lang;
  if (!langChanges && !lcSet) return upToDate(cur.lang === undefined ? `LANG is not set in ${LOCALE_CONF}, and the resource sets none` : `LANG is ${cur.lang}`);

  const changes: PlanChange[] = [];
  const notes: string[] = [];
  if (langChanges) changes.push({ property: 'lang', from: cur.lang ?? null, to: w.lang!, message: `would set LANG ${cur.lang ?? '(unset)'} → ${w.lang}` });
  if (lcSet) {
    changes.push({ property: 'lc_env', from: {}, to: w.lcEnv, message: `would set ${Object.keys(w.lcEnv).sort().join(', ')}` });
    notes.push('Chef compares lc_env with its default {}, never with the file, so it updates this resource on every run');
  }
  // locale-gen for what `locale -a` lacks.
  const avail = ctx.state.system('locales');
  if (!avail.ok) return unknownStep(avail.reason);
  if (avail.value.none) return failedStep('Chef runs `locale -a`, and the container has no locale command');
  const required = [...new Set([w.lang, ...Object.values(w.lcEnv)].filter((x): x is string => x !== undefined))];
  const generate = required.filter((l) => !(avail.value.v ?? []).includes(l));
  if (generate.length) {
    changes.push({ property: 'locales', from: null, to: generate, message: `would run locale-gen ${generate.join(' ')}` });
    const enabled = enabledLocales(ctx);
    const stays = enabled ? generate.filter((l) => !enabled.has(l)) : undefined;
    if (stays === undefined) notes.push('Debian\'s locale-gen builds only the locales enabled in /etc/locale.gen, which the plan could not read');
    else if (stays.length) notes.push(`Debian's locale-gen ignores the names it is given and builds the locales enabled in /etc/locale.gen: ${stays.join(', ')} ${stays.length > 1 ? 'are' : 'is'} not enabled there and will stay unavailable`);
    ctx.state.setSystem('locales', { unknown: `locale-gen, run by ${ctx.resource.id}, changes the available locales` });
  }
  // /etc/locale.conf: lc_env and LANG, sorted by name.
  const entries = { ...w.lcEnv, ...(w.lang !== undefined ? { LANG: w.lang } : {}) };
  const content = Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join('\n') + '\n';
  const file = planContentFile(ctx, LOCALE_CONF, {}, content, 'file');
  if (file.status === 'failed' || file.status === 'unknown') return file;
  changes.push(...file.changes);
  assumptions.push(...(file.assumptions ?? []));
  const step = change(changes, {
    diff: file.diff, content: file.content, reason: notes.join('; ') || undefined, opaque: generate.length > 0,
    ...(assumptions.length ? { assumptions } : {}),
  });
  if (generate.length) ctx.state.opaque.push(ctx.resource.id);
  planned.set(step, { generate, ...(file.status === 'change' ? { content } : {}) });
  return step;
}

export const localeProvider: Provider = {
  types: ['locale'],
  actions: ['update', 'nothing'],
  queries(): Query[] {
    return [
      { kind: 'system', name: 'which:locale-gen' }, { kind: 'system', name: 'locales' },
      { kind: 'path', path: LOCALE_CONF, content: true }, { kind: 'path', path: '/etc/locale.gen', content: true }, { kind: 'path', path: '/etc' },
    ];
  },
  plan(ctx) {
    const w = want(ctx.resource);
    if (w.reader.reasons.length) return unknownStep(w.reader.reasons.join('; '));
    return planUpdate(ctx, w);
  },
  apply(ctx, step) {
    const data = planned.get(step);
    if (!data) throw new Error(`cannot apply ${ctx.resource.id}: it was not planned`);
    const lines = ['set -e'];
    if (data.generate.length) lines.push(`locale-gen ${data.generate.map(shQuote).join(' ')}`);
    if (data.content !== undefined) lines.push(writeFileScript(LOCALE_CONF, {}));
    return { script: lines.join('\n'), ...(data.content !== undefined ? { stdin: data.content } : {}), timeoutSec: LOCALE_GEN_TIMEOUT_SEC + 60 };
  },
};

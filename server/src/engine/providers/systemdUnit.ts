/**
 * systemd_unit, as Chef's provider runs it: `create` writes the unit (`unit_name`, under
 * /etc/systemd/system, 0644 root:root) with Chef's INI rendering of a hash `content`, then
 * `systemctl daemon-reload` (`triggers_reload`, default true); `delete` removes it the same way; the
 * other actions (enable, disable, reenable, mask, unmask, start, stop, restart, reload, try_restart,
 * reload_or_restart, reload_or_try_restart, preset, revert) decide on the unit's real state under
 * systemd (initSystem.ts). Without systemd the file is still written (daemon-reload cannot run,
 * and the step says so) and the other actions are unknown, with what to do.
 */
import type { JsonValue } from '../../protocol';
import { PropReader, sym, unknownReason } from '../props';
import type { ServiceInfo } from '../state';
import type { EngineResource, PlanContext, Provider, ProviderStep } from '../types';
import { change, pathQueries, shQuote, unknownStep, upToDate } from './common';
import { planContentFile, writeFileScript } from './file';
import { planSystemd, setService, SYSTEMD_ADVICE, systemctlScript, UNIT_SYSTEMD } from './initSystem';

/** Chef writes unit files 0644 root:root. */
const UNIT_FILE_ATTRS = { owner: 'root', group: 'root', mode: '644' };

/** The first unknown anywhere in a value (hash values, arrays). */
function deepUnknown(v: JsonValue | undefined): string | undefined {
  const own = unknownReason(v);
  if (own) return own;
  if (v && typeof v === 'object' && !Array.isArray(v)) for (const x of Object.values(v)) { const r = deepUnknown(x); if (r) return r; }
  return undefined;
}

/** Chef's `to_ini`: a string as it is; a hash as `[Section]` blocks of `key=value` (arrays repeat the key), a blank line between. */
export function unitText(v: JsonValue | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  // Symbols (`:Service`, `:ExecStart`) are written by their names, as Ruby's to_s does.
  const text = (x: JsonValue): string => (typeof x === 'string' ? sym(x) : JSON.stringify(x));
  return Object.entries(v).map(([section, kv]) => {
    const lines = kv && typeof kv === 'object' && !Array.isArray(kv)
      ? Object.entries(kv).flatMap(([k, x]) => (Array.isArray(x) ? x : [x]).map((e) => `${sym(k)}=${text(e)}`)) : [];
    return `[${sym(section)}]\n${lines.map((l) => `${l}\n`).join('')}`;
  }).join('\n');
}

/** What the resource names, read once. */
function settings(r: EngineResource): { unit: string; path: string; user?: string; reload: boolean; reasons: string[] } {
  const reader = new PropReader(r);
  const unit = reader.str('unit_name') ?? r.name;
  const user = reader.str('user');
  const reload = reader.bool('triggers_reload') ?? true;
  return { unit, path: `${user ? '/etc/systemd/user' : '/etc/systemd/system'}/${unit}`, user, reload, reasons: reader.reasons };
}

/** Whether the text has an [Install] section with something in it (else systemd calls the unit static). */
const installable = (text: string): boolean => /^\[Install\]\s*\n(?:[ \t]*(?:[#;].*)?\n)*[ \t]*\w+\s*=/m.test(text);

/** What a written or deleted unit file leaves in the simulated systemd (the converge probes it again). */
function afterFileChange(ctx: PlanContext, unit: string, info: ServiceInfo, text: string | undefined): void {
  if (!info.systemd) { setService(ctx, unit, { ...info, by: ctx.resource.id }); return; }
  const sd = info.systemd;
  const file = text === undefined ? ''
    : !installable(text) ? 'static'
    : sd.load === 'loaded' && sd.file && sd.file !== 'static' ? sd.file : 'disabled';
  setService(ctx, unit, { ...info, systemd: { ...sd, load: text === undefined ? 'not-found' : 'loaded', file }, by: ctx.resource.id });
}

/** The note of a file step in a container without systemd. */
function noReloadNote(info: ServiceInfo, reload: boolean): string | undefined {
  if (info.systemd || !reload) return undefined;
  return `systemd is not running in this container (PID 1 is ${info.pid1 || 'unknown'}): the unit file is written, but systemctl daemon-reload cannot run; ${SYSTEMD_ADVICE}`;
}

function plan(ctx: PlanContext): ProviderStep {
  const s = settings(ctx.resource);
  if (s.reasons.length) return unknownStep(s.reasons.join('; '));
  if (s.user) return unknownStep(`user units (user ${s.user}, ${s.path}, systemctl --user) are not planned by Cloche`);
  const k = ctx.state.service(s.unit);
  if (!k.ok) return unknownStep(k.reason);
  const info = k.value;
  if (ctx.action === 'create') {
    const why = deepUnknown(ctx.resource.properties.content);
    if (why) return unknownStep(`content: ${why}`);
    const text = unitText(ctx.resource.properties.content);
    if (text === undefined) return unknownStep(ctx.resource.properties.content === undefined ? 'systemd_unit :create without content' : 'the unit content is neither a string nor a hash');
    const step = planContentFile(ctx, s.path, UNIT_FILE_ATTRS, text, 'systemd unit');
    if (step.status !== 'change') return step;
    afterFileChange(ctx, s.unit, info, text);
    const note = noReloadNote(info, s.reload);
    return { ...step, ...(note ? { reason: note } : {}), ...(info.systemd && s.reload ? { opaque: true } : {}) };
  }
  if (ctx.action === 'delete') {
    const cur = ctx.state.path(s.path);
    if (!cur.ok) return unknownStep(cur.reason);
    if (cur.value.kind === 'missing') return upToDate(`${s.path} does not exist`);
    ctx.state.setPath(s.path, { kind: 'missing', by: ctx.resource.id });
    afterFileChange(ctx, s.unit, info, undefined);
    const note = noReloadNote(info, s.reload);
    return change([{ property: 'path', from: s.path, to: null, message: `would delete unit ${s.path}` }],
      { ...(note ? { reason: note } : {}), ...(info.systemd && s.reload ? { opaque: true } : {}) });
  }
  if (!info.systemd) {
    return unknownStep(`systemd_unit :${ctx.action} needs systemd, and it is not running in this container (PID 1 is ${info.pid1 || 'unknown'}); ${SYSTEMD_ADVICE}`);
  }
  return planSystemd(ctx, s.unit, 'systemd unit', info, UNIT_SYSTEMD);
}

/** daemon-reload after a file change, when systemd runs (the plan said so when it does not). */
const daemonReload = 'if [ -d /run/systemd/system ]; then systemctl --system daemon-reload; fi';

export const systemdUnitProvider: Provider = {
  types: ['systemd_unit'],
  actions: ['create', 'delete', ...Object.keys(UNIT_SYSTEMD), 'nothing'],
  queries(r) {
    const s = settings(r);
    return [...pathQueries(s.path, UNIT_FILE_ATTRS, true), { kind: 'service', name: s.unit }];
  },
  plan,
  apply(ctx) {
    const s = settings(ctx.resource);
    if (ctx.action === 'create') {
      const text = deepUnknown(ctx.resource.properties.content) ? undefined : unitText(ctx.resource.properties.content);
      if (text === undefined) throw new Error(`cannot write ${s.path}: the unit content is not known`);
      return { script: [writeFileScript(s.path, UNIT_FILE_ATTRS), s.reload ? daemonReload : ''].filter(Boolean).join('\n'), stdin: text };
    }
    if (ctx.action === 'delete') return { script: [`rm -f ${shQuote(s.path)}`, s.reload ? daemonReload : ''].filter(Boolean).join('\n') };
    return { script: systemctlScript(UNIT_SYSTEMD, ctx.action, s.unit) };
  },
};

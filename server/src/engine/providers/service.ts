/**
 * service and systemd_unit. The container's init decides what can be known: with systemd as PID 1,
 * `systemctl is-enabled/is-active`; without it (minbase containers run `sh` as PID 1), an
 * /etc/init.d script's LSB `status` and its rc*.d links. When neither exists the plan says so
 * plainly rather than guessing.
 */

import { PropReader } from '../props';
import type { ServiceInfo } from '../state';
import type { EngineResource, PlanContext, Provider, ProviderStep } from '../types';
import { change, shQuote, unknownStep, upToDate } from './common';
import { planContentFile, writeFileScript } from './file';

/** Normalized service condition; undefined = cannot be known. */
interface Condition { running?: boolean; enabled?: boolean; how: string }

function condition(info: ServiceInfo): Condition | string {
  if (info.systemd) return { running: info.systemd.active === 'active', enabled: /^(enabled|static|alias)/.test(info.systemd.enabled), how: 'systemd' };
  if (info.sysv) return { running: info.sysv.running, enabled: info.sysv.enabled, how: 'init script' };
  const pid1 = info.pid1 || 'unknown';
  return `the container has no init system (PID 1 is ${pid1}) and no /etc/init.d script for this service${info.unitFile ? ` (a systemd unit ${info.unitFile} exists, but systemd is not running)` : ''}`;
}

const VERB: Record<string, [keyof Omit<Condition, 'how'>, boolean, string] | undefined> = {
  start: ['running', true, 'start'], stop: ['running', false, 'stop'], enable: ['enabled', true, 'enable'], disable: ['enabled', false, 'disable'],
};

/** Plans one service action against what is known of its init. */
function planAction(ctx: PlanContext, name: string, label: string): ProviderStep {
  const k = ctx.state.service(name);
  if (!k.ok) return unknownStep(k.reason);
  const info = k.value;
  const id = ctx.resource.id;
  if (ctx.action === 'restart' || ctx.action === 'reload') {
    // Chef always runs these actions (and they always count as updated).
    ctx.state.setService(name, { ...info, sysv: info.sysv && { ...info.sysv, running: true }, by: id });
    return change([{ property: 'state', from: null, to: ctx.action, message: `would ${ctx.action} ${label} ${name}` }]);
  }
  const verb = VERB[ctx.action];
  if (!verb) return unknownStep(`action :${ctx.action} of ${label} is not planned by Cloche`);
  const [field, want, word] = verb;
  const c = condition(info);
  if (typeof c === 'string') {
    if (ctx.state.installs.length && !info.by) {
      // A package install is planned earlier: assume it brings the service's init script.
      return change([{ property: field, from: null, to: want, message: `would ${word} ${label} ${name}` }],
        { assumptions: [`assuming ${name} is installed by ${ctx.state.installs.join(', ')} with an init script (now ${c})`] });
    }
    return unknownStep(`whether ${name} is ${field} cannot be known: ${c}`);
  }
  if (c[field] === undefined) return unknownStep(`the ${c.how} of ${name} did not say whether it is ${field}`);
  if (c[field] === want) return upToDate(`${name} is ${want ? '' : 'not '}${field} (${c.how})`);
  const next: ServiceInfo = { ...info, by: id };
  if (next.sysv) next.sysv = { ...next.sysv, [field]: want };
  ctx.state.setService(name, next);
  return change([{ property: field, from: c[field] ?? null, to: want, message: `would ${word} ${label} ${name}` }]);
}

/** The shell that performs a service action with whatever init the container has at run time. */
function serviceScript(name: string, action: string): string {
  const n = shQuote(name);
  const sysv: Record<string, string> = {
    start: `service ${n} start`, stop: `service ${n} stop`, restart: `service ${n} restart`, reload: `service ${n} reload`,
    enable: `update-rc.d ${n} defaults >/dev/null && update-rc.d ${n} enable`, disable: `update-rc.d ${n} disable`,
  };
  return [
    `if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then systemctl ${action} ${n}`,
    `elif [ -x /etc/init.d/${name} ]; then ${sysv[action] ?? `echo "cloche: action ${action} needs systemd" >&2; exit 1`}`,
    `else echo "cloche: ${name}: no init system in this container (PID 1 is $(cat /proc/1/comm)) and no /etc/init.d/${name}" >&2; exit 1; fi`,
  ].join('\n');
}

function serviceName(r: EngineResource): string {
  return new PropReader(r).str('service_name') ?? r.name;
}

export const serviceProvider: Provider = {
  types: ['service', 'systemd_service', 'debian_service', 'sysvinit_service'],
  actions: ['enable', 'disable', 'start', 'stop', 'restart', 'reload', 'nothing'],
  queries(r) {
    return [{ kind: 'service', name: serviceName(r) }];
  },
  plan(ctx) {
    return planAction(ctx, serviceName(ctx.resource), 'service');
  },
  apply(ctx) {
    return { script: serviceScript(serviceName(ctx.resource), ctx.action) };
  },
};

/** Renders a unit given as a hash ({ Unit: { Description: … }, Service: {…} }) to INI text. */
function unitText(v: unknown): string | undefined {
  if (typeof v === 'string') return v.endsWith('\n') ? v : `${v}\n`;
  if (!v || typeof v !== 'object') return undefined;
  return Object.entries(v as Record<string, Record<string, unknown>>).map(([section, kv]) =>
    `[${section}]\n${Object.entries(kv).flatMap(([k, x]) => (Array.isArray(x) ? x : [x]).map((e) => `${k}=${String(e)}`)).join('\n')}\n`).join('\n');
}

function unitPath(r: EngineResource): string {
  const name = r.name.includes('.') ? r.name : `${r.name}.service`;
  return `/etc/systemd/system/${name}`;
}

export const systemdUnitProvider: Provider = {
  types: ['systemd_unit'],
  actions: ['create', 'delete', 'enable', 'disable', 'start', 'stop', 'restart', 'reload', 'nothing'],
  queries(r) {
    return [{ kind: 'path', path: unitPath(r), content: true }, { kind: 'path', path: '/etc/systemd/system' }, { kind: 'service', name: r.name.replace(/\.service$/, '') }];
  },
  plan(ctx) {
    const path = unitPath(ctx.resource);
    if (ctx.action === 'create') {
      const reader = new PropReader(ctx.resource);
      const text = unitText(ctx.resource.properties.content);
      if (reader.str('content') === undefined && reader.reasons.length) return unknownStep(reader.reasons.join('; '));
      if (text === undefined) return unknownStep('unit content is not known');
      return planContentFile(ctx, path, { mode: '644' }, text, 'systemd unit');
    }
    if (ctx.action === 'delete') {
      const cur = ctx.state.path(path);
      if (!cur.ok) return unknownStep(cur.reason);
      if (cur.value.kind === 'missing') return upToDate();
      ctx.state.setPath(path, { kind: 'missing', by: ctx.resource.id });
      return change([{ property: 'path', from: path, to: null, message: `would delete unit ${path}` }]);
    }
    return planAction(ctx, ctx.resource.name.replace(/\.service$/, ''), 'systemd unit');
  },
  apply(ctx) {
    const path = unitPath(ctx.resource);
    if (ctx.action === 'create') {
      const text = unitText(ctx.resource.properties.content);
      if (text === undefined) throw new Error(`cannot write ${path}: the unit content is unknown`);
      return { script: `${writeFileScript(path, { mode: '644' })}\ncommand -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ] && systemctl daemon-reload || true`, stdin: text };
    }
    if (ctx.action === 'delete') return { script: `rm -f ${shQuote(path)}` };
    return { script: serviceScript(ctx.resource.name.replace(/\.service$/, ''), ctx.action) };
  },
};

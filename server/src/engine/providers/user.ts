/**
 * user: create / remove / modify / manage through getent (probe) and useradd/usermod (apply).
 * The primary group may be one an earlier `group` resource creates (forward simulation).
 */
import type { PlanChange } from '../../protocol';
import { PropReader } from '../props';
import type { UserInfo } from '../state';
import type { EngineResource, PlanContext, Provider, ProviderStep } from '../types';
import { change, failedStep, shQuote, unknownStep, upToDate } from './common';

function want(r: EngineResource) {
  const reader = new PropReader(r);
  return {
    reader, name: reader.str('username') ?? r.name,
    uid: reader.num('uid'), gid: reader.str('gid') ?? reader.str('group'), home: reader.str('home'), shell: reader.str('shell'),
    comment: reader.str('comment'), system: reader.bool('system') ?? false, manageHome: reader.bool('manage_home') ?? false,
    password: reader.str('password'),
  };
}
type Want = ReturnType<typeof want>;

/** Resolves the wanted primary group to a gid through the (virtual) state. */
function wantedGid(ctx: PlanContext, w: Want): { gid?: number; failed?: string; unknown?: string; note?: string } {
  if (w.gid === undefined) return {};
  if (/^\d+$/.test(w.gid)) return { gid: Number(w.gid) };
  const g = ctx.state.group(w.gid);
  if (!g.ok) return { unknown: g.reason };
  if (!g.value) return { failed: `group ${w.gid} does not exist (and no earlier resource creates it)` };
  return { gid: g.value.gid, note: g.value.by ? `group ${w.gid} is created earlier by ${g.value.by}` : undefined };
}

function planUser(ctx: PlanContext, w: Want): ProviderStep {
  const cur = ctx.state.user(w.name);
  if (!cur.ok) return unknownStep(cur.reason);
  const u = cur.value;
  const id = ctx.resource.id;
  if (ctx.action === 'remove') {
    if (!u) return upToDate();
    ctx.state.setUser(w.name, null);
    return change([{ property: 'user', from: w.name, to: null, message: `would remove user ${w.name}` }]);
  }
  if (ctx.action === 'lock' || ctx.action === 'unlock') return unknownStep(`password lock state is not probed (action :${ctx.action})`);
  if (!u && ctx.action === 'modify') return failedStep(`user ${w.name} does not exist (action :modify requires it)`);
  if (!u && ctx.action === 'manage') return upToDate(`user ${w.name} does not exist; :manage does nothing`);
  const g = wantedGid(ctx, w);
  if (g.failed) return failedStep(g.failed);
  if (g.unknown) return unknownStep(g.unknown);
  const changes: PlanChange[] = [];
  const diff = (property: string, from: string | number | undefined, to: string | number | undefined): void => {
    if (to !== undefined && (!u || from !== to)) changes.push({ property, from: u ? from ?? null : null, to, message: u ? `would change ${property} of user ${w.name} ${from} → ${to}` : `${property} ${to}` });
  };
  diff('uid', u?.uid, w.uid);
  // A group created earlier in this plan has no gid yet: show it by name.
  diff('gid', u?.gid, g.gid !== undefined && Number.isNaN(g.gid) ? w.gid : g.gid);
  diff('home', u?.home, w.home);
  diff('shell', u?.shell, w.shell);
  diff('comment', u?.comment, w.comment);
  if (!u) changes.unshift({ property: 'user', from: null, to: w.name, message: `would create ${w.system ? 'system ' : ''}user ${w.name}` });
  if (!changes.length) return upToDate(g.note);
  const next: UserInfo = { name: w.name, uid: w.uid ?? u?.uid ?? NaN, gid: g.gid ?? u?.gid ?? NaN, comment: w.comment ?? u?.comment ?? '',
    home: w.home ?? u?.home ?? `/home/${w.name}`, shell: w.shell ?? u?.shell ?? '/bin/sh', by: id };
  ctx.state.setUser(w.name, next);
  if (w.manageHome && w.home) ctx.state.setPath(w.home, { kind: 'directory', owner: w.name, mode: '755', by: id });
  return change(changes, { reason: g.note });
}

export const userProvider: Provider = {
  types: ['user', 'linux_user'],
  actions: ['create', 'remove', 'modify', 'manage', 'lock', 'unlock', 'nothing'],
  queries(r) {
    const w = want(r);
    const qs: ReturnType<Provider['queries']> = [{ kind: 'user', name: w.name }];
    if (w.gid && !/^\d+$/.test(w.gid)) qs.push({ kind: 'group', name: w.gid });
    if (w.home) qs.push({ kind: 'path', path: w.home });
    return qs;
  },
  plan(ctx) {
    const w = want(ctx.resource);
    if (w.reader.reasons.length) return unknownStep(w.reader.reasons.join('; '));
    return planUser(ctx, w);
  },
  apply(ctx) {
    const w = want(ctx.resource);
    const n = shQuote(w.name);
    if (ctx.action === 'remove') return { script: `userdel ${w.manageHome ? '-r ' : ''}${n}` };
    if (ctx.action === 'lock') return { script: `usermod -L ${n}` };
    if (ctx.action === 'unlock') return { script: `usermod -U ${n}` };
    const flags = [
      w.uid !== undefined ? `-u ${w.uid}` : '', w.gid ? `-g ${shQuote(w.gid)}` : '', w.home ? `-d ${shQuote(w.home)}` : '',
      w.shell ? `-s ${shQuote(w.shell)}` : '', w.comment !== undefined ? `-c ${shQuote(w.comment)}` : '', w.password ? `-p ${shQuote(w.password)}` : '',
    ].filter(Boolean).join(' ');
    const create = `useradd ${w.system ? '-r ' : ''}${w.manageHome ? '-m' : '-M'} ${flags} ${n}`;
    const modify = `usermod ${flags}${w.manageHome && w.home ? ' -m' : ''} ${n}`;
    return { script: `if getent passwd ${n} >/dev/null; then ${flags ? modify : ':'}; else ${create}; fi` };
  },
};

/**
 * user: create / remove / modify / manage through getent (probe) and useradd/usermod (apply).
 * The primary group may be one an earlier `group` resource creates (forward simulation), or one
 * a package installed earlier may create (an assumption). :lock and :unlock read the password
 * state as Chef does (`passwd -S`: L locked, P or NP not) and apply `usermod -L`/`-U`; an unlock
 * that usermod refuses (the password is only `!`: nothing would remain) is failed, not applied —
 * Chef would report it done while the account stays locked. A `password` is compared with the
 * shadow field as Chef compares them (the probe reads only its sha256).
 */
import { createHash } from 'node:crypto';
import type { PlanChange } from '../../protocol';
import { PropReader } from '../props';
import type { PasswordLock, UserInfo } from '../state';
import type { EngineResource, PlanContext, Provider, ProviderStep } from '../types';
import { change, failedStep, needAccount, shQuote, unknownStep, upToDate } from './common';

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

/** Resolves the wanted primary group to a gid through the (virtual) state (NaN: created earlier, gid not known yet). */
function wantedGid(ctx: PlanContext, w: Want): { gid?: number; failed?: string; unknown?: string; note?: string; assumption?: string } {
  if (w.gid === undefined) return {};
  if (/^\d+$/.test(w.gid)) return { gid: Number(w.gid) };
  const c = needAccount(ctx.state, 'group', w.gid);
  if (c.unknown || c.failed) return c;
  if (c.assumption) return { gid: NaN, assumption: c.assumption };
  const g = ctx.state.group(w.gid);
  return { gid: g.ok && g.value ? g.value.gid : NaN, note: c.note };
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** The password state after useradd/usermod -p: a hash is a usable password; without one useradd leaves `!`. */
function lockAfterPassword(password: string | undefined, cur: PasswordLock | undefined): PasswordLock | undefined {
  if (password === undefined) return cur;
  const hash = { sha256: sha256(password) };
  if (password === '') return { status: 'NP', afterUnlock: 'NP', ...hash };
  return password.startsWith('!') || password.startsWith('*') ? { status: 'L', afterUnlock: password.length > 1 ? 'P' : 'refuse', ...hash } : { status: 'P', afterUnlock: 'P', ...hash };
}

/** :lock / :unlock, as Chef's check_lock reads `passwd -S`. */
function planLock(ctx: PlanContext, w: Want, u: UserInfo | null): ProviderStep {
  const lock = ctx.action === 'lock';
  if (!u) {
    if (ctx.state.installs.length) {
      return unknownStep(`user ${w.name} does not exist now; ${ctx.state.installs.join(', ')}, installed earlier, may create it, and its password state is known only then (the converge reads it after the install)`);
    }
    return failedStep(`Cannot modify user ${w.name} - does not exist! (Chef's :${ctx.action} needs the user)`);
  }
  if (!u.lock) return unknownStep(`the password state of user ${w.name} was not read by the probe`);
  const { status, afterUnlock } = u.lock;
  const locked = /^L/.test(status) ? true : /^[PN]/.test(status) ? false : undefined;
  if (locked === undefined) {
    return failedStep(`Cannot determine if user ${w.name} is locked: \`passwd -S ${w.name}\` gave ${status ? `status ${JSON.stringify(status)}` : 'no status (does the container have passwd?)'}`);
  }
  if (lock) {
    if (locked) return upToDate(`user ${w.name} is already locked`);
    // The field gets a leading "!": its hash is no longer any password's ("!" + the old hash says which).
    const prefixed = u.lock.sha256 ? { sha256: `!${u.lock.sha256}` } : {};
    ctx.state.setUser(w.name, { ...u, lock: { status: 'L', afterUnlock: status === 'NP' ? 'refuse' : 'P', ...prefixed }, by: ctx.resource.id });
    return change([{ property: 'locked', from: false, to: true, message: `would lock user ${w.name} (usermod -L)` }]);
  }
  if (!locked) return upToDate(`user ${w.name} is not locked`);
  if (afterUnlock === 'refuse') {
    return failedStep(`usermod -U cannot unlock user ${w.name}: its password is only "!" (none was ever set), so usermod warns that unlocking would leave a passwordless account, exits 0 and changes nothing — Chef would report it unlocked on every run; give the user a password first`);
  }
  if (afterUnlock !== 'P' && afterUnlock !== 'NP') {
    return failedStep(`usermod -U cannot unlock user ${w.name}: its password stays locked after removing one "!" (it is "*" or starts with "!!")`);
  }
  const unlocked = u.lock.sha256?.startsWith('!') ? { sha256: u.lock.sha256.slice(1) } : {};
  ctx.state.setUser(w.name, { ...u, lock: { status: afterUnlock, afterUnlock, ...unlocked }, by: ctx.resource.id });
  return change([{ property: 'locked', from: true, to: false, message: `would unlock user ${w.name} (usermod -U)` }]);
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
  if (ctx.action === 'lock' || ctx.action === 'unlock') return planLock(ctx, w, u);
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
  // Chef compares `password` with the shadow field (a locked one has a leading "!", so Chef sets it again).
  if (u && w.password !== undefined) {
    if (!u.lock?.sha256) return unknownStep(`the password of user ${w.name} was not read by the probe`);
    if (u.lock.sha256 !== sha256(w.password)) changes.push({ property: 'password', from: '(suppressed)', to: '(suppressed)', message: `would change the password of user ${w.name}` });
  }
  if (!u) changes.unshift({ property: 'user', from: null, to: w.name, message: `would create ${w.system ? 'system ' : ''}user ${w.name}` });
  const assumptions = g.assumption ? { assumptions: [g.assumption] } : {};
  if (!changes.length) return { ...upToDate(g.note), ...assumptions };
  const lock = u ? lockAfterPassword(w.password, u.lock) : lockAfterPassword(w.password ?? '!', undefined);
  const next: UserInfo = { name: w.name, uid: w.uid ?? u?.uid ?? NaN, gid: g.gid ?? u?.gid ?? NaN, comment: w.comment ?? u?.comment ?? '',
    home: w.home ?? u?.home ?? `/home/${w.name}`, shell: w.shell ?? u?.shell ?? '/bin/sh', by: id, ...(lock ? { lock } : {}) };
  ctx.state.setUser(w.name, next);
  if (w.manageHome && w.home) ctx.state.setPath(w.home, { kind: 'directory', owner: w.name, mode: '755', by: id });
  return change(changes, { reason: g.note, ...assumptions });
}

export const userProvider: Provider = {
  types: ['user', 'linux_user'],
  actions: ['create', 'remove', 'modify', 'manage', 'lock', 'unlock', 'nothing'],
  queries(r) {
    const w = want(r);
    // The password state only for resources that lock, unlock or set a password (a notification's :lock is then unknown).
    const lock = r.actions.some((a) => /^:?(un)?lock$/.test(a)) || w.password !== undefined;
    const qs: ReturnType<Provider['queries']> = [{ kind: 'user', name: w.name, ...(lock ? { lock } : {}) }];
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

/**
 * group: create / remove / modify / manage; members either replace the list or (append true) are
 * added. Members must exist as users — possibly created by an earlier step.
 */
import type { PlanChange } from '../../protocol';
import { PropReader } from '../props';
import type { EngineResource, Provider } from '../types';
import { change, failedStep, needAccount, shQuote, unknownStep, upToDate } from './common';

function want(r: EngineResource) {
  const reader = new PropReader(r);
  return { reader, name: reader.str('group_name') ?? r.name, gid: reader.num('gid'), members: reader.list('members'),
    excluded: reader.list('excluded_members') ?? [], append: reader.bool('append') ?? false, system: reader.bool('system') ?? false };
}

export const groupProvider: Provider = {
  types: ['group', 'linux_group'],
  actions: ['create', 'remove', 'modify', 'manage', 'nothing'],
  queries(r) {
    const w = want(r);
    return [{ kind: 'group', name: w.name }, ...(w.members ?? []).map((m) => ({ kind: 'user' as const, name: m }))];
  },
  plan(ctx) {
    const w = want(ctx.resource);
    if (w.reader.reasons.length) return unknownStep(w.reader.reasons.join('; '));
    const cur = ctx.state.group(w.name);
    if (!cur.ok) return unknownStep(cur.reason);
    const g = cur.value;
    if (ctx.action === 'remove') {
      if (!g) return upToDate();
      ctx.state.setGroup(w.name, null);
      return change([{ property: 'group', from: w.name, to: null, message: `would remove group ${w.name}` }]);
    }
    if (!g && ctx.action === 'modify') return failedStep(`group ${w.name} does not exist (action :modify requires it)`);
    if (!g && ctx.action === 'manage') return upToDate(`group ${w.name} does not exist; :manage does nothing`);
    const assumptions: string[] = [];
    for (const m of w.members ?? []) {
      const u = needAccount(ctx.state, 'user', m, `member ${m} of group ${w.name}`);
      if (u.unknown) return unknownStep(u.unknown);
      if (u.failed) return failedStep(u.failed);
      if (u.assumption) assumptions.push(u.assumption);
    }
    const changes: PlanChange[] = [];
    if (!g) changes.push({ property: 'group', from: null, to: w.name, message: `would create ${w.system ? 'system ' : ''}group ${w.name}` });
    if (w.gid !== undefined && (!g || g.gid !== w.gid)) changes.push({ property: 'gid', from: g?.gid ?? null, to: w.gid, message: g ? `would change gid of group ${w.name} ${g.gid} → ${w.gid}` : `gid ${w.gid}` });
    const before = g?.members ?? [];
    let after = before;
    if (w.members) after = w.append ? [...new Set([...before, ...w.members])] : [...w.members];
    after = after.filter((m) => !w.excluded.includes(m));
    if (after.join(',') !== before.join(',')) changes.push({ property: 'members', from: before, to: after, message: `would set members of ${w.name} to ${after.join(', ') || '(none)'}` });
    if (!changes.length) return { ...upToDate(), ...(assumptions.length ? { assumptions } : {}) };
    ctx.state.setGroup(w.name, { name: w.name, gid: w.gid ?? g?.gid ?? NaN, members: after, by: ctx.resource.id });
    return change(changes, assumptions.length ? { assumptions } : {});
  },
  apply(ctx) {
    const w = want(ctx.resource);
    const n = shQuote(w.name);
    if (ctx.action === 'remove') return { script: `groupdel ${n}` };
    const lines = [`set -e`, `getent group ${n} >/dev/null || groupadd ${w.system ? '-r ' : ''}${w.gid !== undefined ? `-g ${w.gid} ` : ''}${n}`];
    if (w.gid !== undefined) lines.push(`groupmod -g ${w.gid} ${n}`);
    if (w.members && !w.append) lines.push(`gpasswd -M ${shQuote(w.members.filter((m) => !w.excluded.includes(m)).join(','))} ${n} >/dev/null`);
    if (w.members && w.append) for (const m of w.members) lines.push(`gpasswd -a ${shQuote(m)} ${n} >/dev/null`);
    for (const m of w.excluded) lines.push(`gpasswd -d ${shQuote(m)} ${n} >/dev/null 2>&1 || true`);
    return { script: lines.join('\n') };
  },
};

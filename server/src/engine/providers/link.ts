/**
 * link: symbolic (default) or hard links. A symlink to a target that does not exist is not an
 * error (Chef creates it anyway); the plan says whether the target exists now or is created by an
 * earlier step — the case Ansible's check mode and Chef's why-run get wrong.
 */
import { posix } from 'node:path';
import { PropReader } from '../props';
import type { Provider } from '../types';
import { change, checkParent, failedStep, shQuote, unknownStep, upToDate } from './common';

function want(r: Parameters<Provider['queries']>[0]) {
  const reader = new PropReader(r);
  const path = reader.str('target_file') ?? r.name;
  return { reader, path, to: reader.str('to'), hard: reader.str('link_type') === 'hard', owner: reader.str('owner'), group: reader.str('group') };
}

export const linkProvider: Provider = {
  types: ['link'],
  actions: ['create', 'delete', 'nothing'],
  queries(r) {
    const w = want(r);
    const qs: ReturnType<Provider['queries']> = [{ kind: 'path', path: w.path }, { kind: 'path', path: posix.dirname(w.path) }];
    if (w.to) qs.push({ kind: 'path', path: posix.resolve(posix.dirname(w.path), w.to) });
    return qs;
  },
  plan(ctx) {
    const w = want(ctx.resource);
    if (w.reader.reasons.length) return unknownStep(w.reader.reasons.join('; '));
    const cur = ctx.state.path(w.path);
    if (!cur.ok) return unknownStep(cur.reason);
    const c = cur.value;
    if (ctx.action === 'delete') {
      if (c.kind === 'missing') return upToDate();
      if (c.kind !== 'link' && !w.hard) return failedStep(`${w.path} is not a symlink (${c.kind}); Chef refuses to delete it`);
      ctx.state.setPath(w.path, { kind: 'missing', by: ctx.resource.id });
      return change([{ property: 'path', from: c.linkTarget ?? w.path, to: null, message: `would delete link ${w.path}` }]);
    }
    if (!w.to) return failedStep('link has no `to`');
    const abs = posix.resolve(posix.dirname(w.path), w.to);
    const target = ctx.state.path(abs);
    const notes: string[] = [];
    if (target.ok && target.value.kind === 'missing') {
      if (w.hard) return failedStep(`hard link target ${abs} does not exist (and no earlier resource creates it)`);
      notes.push(ctx.state.opaque.length ? `target ${abs} does not exist yet; ${ctx.state.opaque.join(', ')} may create it` : `target ${abs} does not exist (a dangling symlink, as Chef would create it)`);
    } else if (target.ok && target.value.by) notes.push(`target ${abs} is created earlier by ${target.value.by}`);
    if (!w.hard && c.kind === 'link' && c.linkTarget === w.to) return upToDate(notes.join('; ') || undefined);
    if (c.kind === 'directory') return failedStep(`${w.path} is a directory; Chef cannot replace it with a link`);
    const assumptions: string[] = [];
    if (c.kind === 'missing') {
      const p = checkParent(ctx.state, w.path);
      if (p.failed) return failedStep(p.failed);
      if (p.assumption) assumptions.push(p.assumption);
    }
    // A hard link is up to date only if it is the same inode; the probe does not read inodes.
    if (w.hard && c.kind === 'file') return unknownStep(`${w.path} exists; whether it is a hard link to ${abs} is not probed`);
    ctx.state.setPath(w.path, { kind: w.hard ? 'file' : 'link', linkTarget: w.to, by: ctx.resource.id });
    const from = c.kind === 'missing' ? null : c.kind === 'link' ? c.linkTarget ?? null : c.kind;
    return { ...change([{ property: 'to', from, to: w.to, message: from === null ? `would create link ${w.path} → ${w.to}` : `would change link ${w.path} → ${w.to} (was ${from})` }],
      { reason: notes.join('; ') || undefined }), assumptions };
  },
  apply(ctx) {
    const w = want(ctx.resource);
    const p = shQuote(w.path);
    if (ctx.action === 'delete') return { script: `rm -f ${p}` };
    const own = w.owner || w.group ? `\nchown -h ${w.owner ? shQuote(w.owner) : ''}${w.group ? `:${shQuote(w.group)}` : ''} ${p}` : '';
    return { script: `set -e\nln -${w.hard ? '' : 's'}fn ${shQuote(w.to ?? '')} ${p}${own}` };
  },
};

/**
 * directory: create (optionally recursive: owner/mode apply to the leaf only, as in Chef) or
 * delete. A missing parent without `recursive` fails, as it would in Chef — unless an earlier
 * step creates it (forward simulation).
 */
import { posix } from 'node:path';
import { PropReader } from '../props';
import type { Provider } from '../types';
import {
  afterAttrs, attrChanges, attrScript, change, checkOwnership, checkParent, failedStep, pathQueries, shQuote, unknownStep, upToDate,
} from './common';

function want(r: Parameters<Provider['queries']>[0]) {
  const reader = new PropReader(r);
  return { reader, path: reader.str('path') ?? r.name, recursive: reader.bool('recursive') ?? false,
    attrs: { owner: reader.str('owner') ?? reader.str('user'), group: reader.str('group'), mode: reader.mode() } };
}

export const directoryProvider: Provider = {
  types: ['directory'],
  actions: ['create', 'delete', 'nothing'],
  queries(r) {
    const w = want(r);
    return pathQueries(w.path, w.attrs);
  },
  plan(ctx) {
    const w = want(ctx.resource);
    if (w.reader.reasons.length) return unknownStep(w.reader.reasons.join('; '));
    const cur = ctx.state.path(w.path);
    if (!cur.ok) return unknownStep(cur.reason);
    const c = cur.value;
    if (ctx.action === 'delete') {
      if (c.kind === 'missing') return upToDate();
      if (c.kind !== 'directory') return failedStep(`${w.path} is not a directory`);
      ctx.state.setPath(w.path, { kind: 'missing', by: ctx.resource.id });
      return change([{ property: 'path', from: w.path, to: null, message: `would delete directory ${w.path}${w.recursive ? ' recursively' : ''}` }]);
    }
    if (c.kind !== 'missing' && c.kind !== 'directory') return failedStep(`${w.path} exists and is not a directory (${c.kind})`);
    const notes: string[] = [];
    const assumptions: string[] = [];
    if (c.kind === 'missing' && !w.recursive) {
      const p = checkParent(ctx.state, w.path);
      if (p.failed) return failedStep(`${p.failed}; set recursive true to create it`);
      if (p.unknown) return unknownStep(p.unknown);
      if (p.assumption) assumptions.push(p.assumption);
      if (p.note) notes.push(p.note);
    }
    const own = checkOwnership(ctx.state, w.attrs);
    if (own.failed) return failedStep(own.failed);
    if (own.unknown) return unknownStep(own.unknown);
    notes.push(...own.notes);
    assumptions.push(...own.assumptions);
    const exists = c.kind === 'directory';
    const changes = [
      ...(exists ? [] : [{ property: 'path', from: null, to: w.path, message: `would create directory ${w.path}` }]),
      ...attrChanges(w.path, exists ? c : undefined, w.attrs),
    ];
    if (changes.length) {
      ctx.state.setPath(w.path, afterAttrs(exists ? c : undefined, w.attrs, ctx.resource.id, 'directory'));
      // Recursive creation makes the missing ancestors too (root-owned, 0755).
      if (w.recursive) for (let p = posix.dirname(w.path); p !== '/'; p = posix.dirname(p)) {
        const a = ctx.state.path(p);
        if (a.ok && a.value.kind !== 'missing') break;
        ctx.state.setPath(p, { kind: 'directory', owner: 'root', group: 'root', mode: '755', by: ctx.resource.id });
      }
    }
    return { ...change(changes, { reason: notes.join('; ') || undefined }), assumptions };
  },
  apply(ctx) {
    const w = want(ctx.resource);
    const p = shQuote(w.path);
    if (ctx.action === 'delete') return { script: w.recursive ? `rm -rf ${p}` : `rmdir ${p}` };
    return { script: `set -e\n[ -d ${p} ] || mkdir ${w.recursive ? '-p ' : ''}${p}\n${attrScript(p, w.attrs)}` };
  },
};

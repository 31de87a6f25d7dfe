/**
 * remote_directory: a cookbook's `files/<specificity>/<source>` tree copied into a directory, as
 * Chef's provider does it: the directory itself as a `directory` (owner/group/mode, recursive by
 * default), then each file (shallowest first, the model gives them: chef/directoryContent.ts) as a
 * `cookbook_file` with files_owner/files_group/files_mode (0644 by default) — `:create`, or
 * `:create_if_missing` with `overwrite false` or that action — each missing folder on its way as a
 * recursive `directory` whose owner/group/mode apply to that folder only; with `purge`, what else
 * is under the directory is deleted. `:delete` removes the directory (recursively by default).
 * What is on disk comes from one tree query (stat and sha256 of everything under the directory).
 */
import { posix } from 'node:path';
import { createHash } from 'node:crypto';
import type { PlanChange } from '../../protocol';
import type { SourceTreeFile } from '../../chef/fileContent';
import { contentDiff } from '../diff';
import { MAX_TREE_ENTRIES } from '../probeFunctions';
import { queryKey, type Query } from '../probeScript';
import { PropReader } from '../props';
import type { PathInfo, VirtualState } from '../state';
import type { EngineResource, Provider, ProviderStep } from '../types';
import {
  afterAttrs, attrChanges, attrScript, change, checkOwnership, checkParent, failedStep, pathQueries, shQuote, unknownStep, upToDate, type Attrs,
} from './common';

function want(r: EngineResource) {
  const reader = new PropReader(r);
  const path = (reader.str('path') ?? r.name).replace(/(.)\/+$/, '$1');
  return {
    reader, path, purge: reader.bool('purge') ?? false, overwrite: reader.bool('overwrite') ?? true, recursive: reader.bool('recursive') ?? true,
    dirs: { owner: reader.str('owner') ?? reader.str('user'), group: reader.str('group'), mode: reader.mode() } as Attrs,
    files: { owner: reader.str('files_owner'), group: reader.str('files_group'), mode: reader.mode('files_mode') ?? '644' } as Attrs,
  };
}

const treeQuery = (path: string): Extract<Query, { kind: 'tree' }> => ({ kind: 'tree', path });

/** One planned operation, in the order apply runs them. */
type Op =
  | { kind: 'mkdir'; path: string; attrs: Attrs; parents: boolean }
  | { kind: 'write'; path: string; bytes: Buffer; attrs: Attrs; exists: boolean }
  | { kind: 'attrs'; path: string; attrs: Attrs }
  | { kind: 'rm'; path: string; dir: boolean };
const decisions = new WeakMap<ProviderStep, Op[]>();

/** What the tree query read under the directory: path (absolute) → info. */
function readTree(state: VirtualState, path: string): { ok: true; paths: Map<string, PathInfo>; missing: boolean } | { ok: false; reason: string } {
  const rec = state.system(queryKey(treeQuery(path)));
  if (!rec.ok) return rec;
  if (rec.value.missing) return { ok: true, paths: new Map(), missing: true };
  const lines = rec.value.p ?? [];
  if (lines.length > MAX_TREE_ENTRIES) return { ok: false, reason: `${path} holds more than ${MAX_TREE_ENTRIES} paths: Cloche does not compare it path by path` };
  const sums = new Map((rec.value.s ?? []).map((l) => [l.slice(l.indexOf('|') + 1), l.slice(0, l.indexOf('|'))]));
  const paths = new Map<string, PathInfo>();
  for (const l of lines) {
    const [type, mode, owner, group, size, ...rest] = l.split('|');
    const rel = rest.join('|');
    const kind: PathInfo['kind'] = type === 'f' ? 'file' : type === 'd' ? 'directory' : type === 'l' ? 'link' : 'other';
    paths.set(`${path}/${rel}`, { kind, mode, owner, group, size: Number(size), ...(sums.has(rel) ? { sha256: sums.get(rel) } : {}) });
  }
  return { ok: true, paths, missing: false };
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const isText = (b: Buffer): boolean => !b.includes(0) && Buffer.from(b.toString('utf8'), 'utf8').equals(b);

export const remoteDirectoryProvider: Provider = {
  types: ['remote_directory'],
  actions: ['create', 'create_if_missing', 'delete', 'nothing'],
  queries(r) {
    const w = want(r);
    const qs: Query[] = [...pathQueries(w.path, w.dirs), treeQuery(w.path)];
    for (const [kind, name] of [['user', w.files.owner], ['group', w.files.group]] as const) if (name && !/^\d+$/.test(name)) qs.push({ kind, name });
    return qs;
  },
  plan(ctx) {
    const { state, resource: r } = ctx;
    const w = want(r);
    if (w.reader.reasons.length) return unknownStep(w.reader.reasons.join('; '));
    if (!posix.isAbsolute(w.path)) return unknownStep(`path ${w.path} is relative: Chef resolves it against its own working directory`);
    const top = state.path(w.path);
    if (!top.ok) return unknownStep(top.reason);
    const ops: Op[] = [];
    const changes: PlanChange[] = [];
    const finish = (notes: string[], assumptions: string[], diff?: string): ProviderStep => {
      const step = change(changes, { reason: notes.join('; ') || undefined, assumptions, ...(diff ? { diff } : {}) });
      decisions.set(step, ops);
      return step;
    };

    if (ctx.action === 'delete') {
      if (top.value.kind === 'missing') return upToDate();
      if (top.value.kind !== 'directory') return failedStep(`${w.path} is not a directory`);
      ops.push({ kind: 'rm', path: w.path, dir: true });
      changes.push({ property: 'path', from: w.path, to: null, message: `would delete directory ${w.path}${w.recursive ? ' recursively' : ''}` });
      state.setPath(w.path, { kind: 'missing', by: r.id });
      return finish([], []);
    }

    const content = ctx.input.contentOf(r.id);
    if (!content) return unknownStep(`the model gave no files for ${r.id}`);
    if ('unknown' in content) return content.failed ? failedStep(content.unknown) : unknownStep(`its files are not known: ${content.unknown}`);
    if (!('files' in content)) return unknownStep(`the model gave text, not files, for ${r.id}`);
    const files: SourceTreeFile[] = content.files;

    const notes: string[] = [];
    const assumptions: string[] = [];
    for (const attrs of [w.dirs, w.files]) {
      const own = checkOwnership(state, attrs);
      if (own.failed) return failedStep(own.failed);
      if (own.unknown) return unknownStep(own.unknown);
      notes.push(...own.notes);
      assumptions.push(...own.assumptions);
    }
    // The directory itself (Chef's Directory#action_create).
    if (top.value.kind !== 'missing' && top.value.kind !== 'directory') return failedStep(`${w.path} exists and is not a directory (${top.value.kind})`);
    const topExists = top.value.kind === 'directory';
    if (!topExists && !w.recursive) {
      const p = checkParent(state, w.path);
      if (p.failed) return failedStep(`${p.failed}; set recursive true to create it`);
      if (p.unknown) return unknownStep(p.unknown);
      if (p.assumption) assumptions.push(p.assumption);
    }
    if (!topExists) changes.push({ property: 'path', from: null, to: w.path, message: `would create directory ${w.path}` });
    const topAttrs = attrChanges(w.path, topExists ? top.value : undefined, w.dirs);
    changes.push(...topAttrs);
    if (!topExists || topAttrs.length) {
      ops.push({ kind: 'mkdir', path: w.path, attrs: w.dirs, parents: w.recursive });
      state.setPath(w.path, afterAttrs(topExists ? top.value : undefined, w.dirs, r.id, 'directory'));
    }

    // What is on disk under it: the simulation's own paths first (earlier steps), then the probe's tree.
    const tree = readTree(state, w.path);
    if (!tree.ok) return unknownStep(tree.reason);
    // A directory that is not there yet (or that an earlier step removes) holds nothing.
    const below = topExists ? tree.paths : new Map<string, PathInfo>();
    const onDisk = (p: string): PathInfo => {
      const k = state.path(p);
      if (k.ok) return k.value;
      return below.get(p) ?? { kind: 'missing' };
    };

    const diffs: string[] = [];
    const managed = new Set<string>([w.path]);
    const createIfMissing = ctx.action === 'create_if_missing' || !w.overwrite;
    for (const f of files) {
      const target = `${w.path}/${f.path}`;
      for (let d = posix.dirname(target); d.length > w.path.length; d = posix.dirname(d)) managed.add(d);
      managed.add(target);
      // ensure_directory_exists: a missing folder is made as a recursive directory, its attributes on that folder only.
      const dir = posix.dirname(target);
      if (onDisk(dir).kind !== 'directory') {
        if (onDisk(dir).kind !== 'missing') return failedStep(`${dir} exists and is not a directory`);
        ops.push({ kind: 'mkdir', path: dir, attrs: w.dirs, parents: true });
        changes.push({ property: 'path', from: null, to: dir, message: `would create directory ${dir}` });
        for (let d = posix.dirname(dir); d.length >= w.path.length && onDisk(d).kind === 'missing'; d = posix.dirname(d)) {
          state.setPath(d, { kind: 'directory', owner: 'root', group: 'root', mode: '755', by: r.id });
        }
        state.setPath(dir, afterAttrs(undefined, w.dirs, r.id, 'directory'));
      }
      const cur = onDisk(target);
      if (cur.kind === 'directory') return failedStep(`${target} is a directory, not a file`);
      if (cur.kind === 'link') return unknownStep(`${target} is a symlink; Chef's handling depends on manage_symlink_source`);
      const exists = cur.kind !== 'missing';
      if (exists && createIfMissing) continue; // cookbook_file :create_if_missing leaves an existing file alone
      const newSha = sha(f.bytes);
      if (exists && cur.sha256 === undefined) return unknownStep(`${target} exists but its content could not be read`);
      const write = !exists || cur.sha256 !== newSha;
      const attrs = attrChanges(target, exists ? cur : undefined, w.files);
      if (!exists) changes.push({ property: 'path', from: null, to: target, message: `would create ${target} (${f.bytes.length} bytes)` });
      else if (write) changes.push({ property: 'content', from: r.sensitive ? '(sensitive)' : cur.sha256 ?? null, to: r.sensitive ? '(sensitive)' : newSha, message: `would update content of ${target}` });
      if (exists) changes.push(...attrs);
      const before = exists ? state.path(target) : undefined;
      // A diff when both sides are known text (the tree query reads hashes, not content).
      if (write && !r.sensitive && isText(f.bytes) && (!exists || (before?.ok && before.value.content !== undefined))) {
        const d = contentDiff(target, before?.ok ? before.value.content : undefined, f.bytes.toString('utf8'));
        if (d) diffs.push(d);
      }
      if (write) ops.push({ kind: 'write', path: target, bytes: f.bytes, attrs: w.files, exists });
      else if (attrs.length) ops.push({ kind: 'attrs', path: target, attrs: w.files });
      if (write || attrs.length) {
        state.setPath(target, { ...afterAttrs(exists ? cur : undefined, w.files, r.id, 'file'), sha256: newSha, size: f.bytes.length,
          ...(isText(f.bytes) ? { content: f.bytes.toString('utf8') } : { content: undefined }) });
      }
    }
    if (w.purge) {
      // Deepest first, as Chef's reverse-sorted glob: whatever the tree does not hold.
      const extra = [...below.keys()].filter((p) => !managed.has(p) && onDisk(p).kind !== 'missing').sort().reverse();
      for (const p of extra) {
        const dir = onDisk(p).kind === 'directory';
        ops.push({ kind: 'rm', path: p, dir });
        changes.push({ property: 'path', from: p, to: null, message: `would delete ${dir ? 'directory ' : ''}${p} (purge)` });
        state.setPath(p, { kind: 'missing', by: r.id });
      }
    }
    if (!changes.length) notes.unshift(`${files.length} file${files.length === 1 ? '' : 's'} in place`);
    return finish(notes, assumptions, diffs.join('') || undefined);
  },
  apply(ctx, step) {
    const w = want(ctx.resource);
    const ops = decisions.get(step);
    if (!ops) throw new Error(`remote_directory ${w.path}: the plan's decision is missing`);
    if (!ops.length) return undefined;
    const lines = ['set -e'];
    let stdin = '';
    for (const op of ops) {
      const p = shQuote(op.path);
      switch (op.kind) {
        case 'mkdir': lines.push(`[ -d ${p} ] || mkdir ${op.parents ? '-p ' : ''}${p}`, attrScript(p, op.attrs)); break;
        case 'attrs': lines.push(attrScript(p, op.attrs)); break;
        case 'rm': lines.push(op.dir && ctx.action === 'delete' && w.recursive ? `rm -rf ${p}` : op.dir ? `rmdir ${p}` : `rm -f ${p}`); break;
        case 'write': {
          // The bytes travel as base64 on stdin, read back exactly (head -c) and decoded into a temporary file beside.
          const b64 = op.bytes.toString('base64');
          stdin += b64;
          lines.push(
            `p=${p}; t=$(mktemp "$(dirname "$p")/.cloche-XXXXXX")`,
            `head -c ${b64.length} | base64 -d > "$t"`,
            op.exists ? 'chmod --reference="$p" "$t"; chown --reference="$p" "$t"' : 'chmod 0644 "$t"',
            attrScript('"$t"', op.attrs), 'mv -f "$t" "$p"',
          );
          break;
        }
      }
    }
    return { script: lines.filter(Boolean).join('\n'), ...(stdin ? { stdin } : {}) };
  },
};

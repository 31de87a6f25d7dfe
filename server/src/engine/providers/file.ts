/**
 * file, template, cookbook_file: a path with content (given rendered by the model through
 * `contentOf`), owner, group and mode. Content changes carry a unified diff (hidden when sensitive).
 */
import { createHash } from 'node:crypto';
import type { PlanChange, PlanContent } from '../../protocol';
import { contentDiff, SENSITIVE } from '../diff';
import { PropReader } from '../props';
import type { PathInfo } from '../state';
import type { ApplyScript, EngineResource, PlanContext, Provider, ProviderStep } from '../types';
import {
  afterAttrs, attrChanges, attrScript, change, checkOwnership, checkParent, failedStep, pathQueries, shQuote, unknownStep, upToDate, type Attrs,
} from './common';

/** What a file-like resource wants. */
export interface FileWant { path: string; attrs: Attrs; reader: PropReader }

/** Reads path/owner/group/mode of a file-like resource. */
export function fileWant(r: EngineResource): FileWant {
  const reader = new PropReader(r);
  const path = reader.str('path') ?? r.name;
  return { path, reader, attrs: { owner: reader.str('owner') ?? reader.str('user'), group: reader.str('group'), mode: reader.mode() } };
}

const sha = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

/**
 * Plans a path with desired content (undefined: content not managed; a Buffer: a binary file's
 * bytes, compared by hash, never diffed) — shared with cron_d, apt_repository and systemd_unit,
 * which generate their file's content themselves.
 */
export function planContentFile(ctx: PlanContext, path: string, attrs: Attrs, content: string | Buffer | undefined, label: string): ProviderStep {
  const { state, resource: r } = ctx;
  const cur = state.path(path);
  if (!cur.ok) return unknownStep(cur.reason);
  const c = cur.value;
  if (c.kind === 'directory') return failedStep(`${path} is a directory, not a file`);
  if (c.kind === 'link') return unknownStep(`${path} is a symlink to ${c.linkTarget}; Chef's handling depends on manage_symlink_source`);
  const notes: string[] = [];
  const assumptions: string[] = [];
  if (c.kind === 'missing') {
    const p = checkParent(state, path);
    if (p.failed) return failedStep(p.failed);
    if (p.unknown) return unknownStep(p.unknown);
    if (p.assumption) assumptions.push(p.assumption);
    if (p.note) notes.push(p.note);
  }
  const own = checkOwnership(state, attrs);
  if (own.failed) return failedStep(own.failed);
  if (own.unknown) return unknownStep(own.unknown);
  notes.push(...own.notes);
  assumptions.push(...own.assumptions);

  const changes: PlanChange[] = [];
  let diff: string | undefined;
  let both: PlanContent | undefined;
  const exists = c.kind !== 'missing';
  if (!exists) changes.push({ property: 'path', from: null, to: path, message: `would create ${label} ${path}` });
  if (content !== undefined) {
    const newSha = sha(content);
    if (exists && c.content === undefined && c.sha256 === undefined) return unknownStep(`${path} exists but its content could not be read`);
    if (!exists || (c.sha256 ?? sha(c.content ?? '')) !== newSha) {
      if (exists) changes.push({ property: 'content', from: r.sensitive ? SENSITIVE : c.sha256 ?? null, to: r.sensitive ? SENSITIVE : newSha, message: `would update content of ${path}` });
      if (typeof content === 'string' && !r.sensitive && (c.content !== undefined || !exists)) {
        diff = contentDiff(path, exists ? c.content : undefined, content);
        both = { path, before: exists ? c.content! : null, after: content };
      }
    }
  }
  changes.push(...attrChanges(path, exists ? c : undefined, attrs));
  if (changes.length) {
    const after: PathInfo = { ...afterAttrs(exists ? c : undefined, attrs, r.id, 'file') };
    if (content !== undefined) { after.content = typeof content === 'string' ? content : undefined; after.sha256 = sha(content); after.size = Buffer.byteLength(content); }
    state.setPath(path, after);
  }
  const reason = notes.length ? notes.join('; ') : undefined;
  return changes.length ? change(changes, { diff, content: both, reason, assumptions }) : { ...upToDate(), assumptions };
}

/**
 * Shell that writes stdin to `path` atomically, keeping existing attrs unless `attrs` sets them.
 * `bytes`: only that many bytes of stdin (several files from one stdin); `inPlace`: rewrite the
 * file itself instead of renaming a copy over it (Chef's `atomic_update false`, for files a
 * container runtime bind-mounts: /etc/hosts, /etc/hostname).
 */
export function writeFileScript(path: string, attrs: Attrs, opts: { bytes?: number; inPlace?: boolean } = {}): string {
  const p = shQuote(path);
  const read = opts.bytes === undefined ? 'cat' : `head -c ${opts.bytes}`;
  if (opts.inPlace) {
    return ['set -e', `p=${p}`, `[ -e "$p" ] || { : > "$p"; chmod 0644 "$p"; }`, `${read} > "$p"`, attrScript('"$p"', attrs)].filter(Boolean).join('\n');
  }
  return [
    'set -e',
    `p=${p}`,
    `t=$(mktemp "$(dirname "$p")/.cloche-XXXXXX")`,
    'trap \'rm -f "$t"\' EXIT',
    `${read} > "$t"`,
    // A new file gets Chef's defaults (0644 root:root); an existing one keeps its attributes.
    'if [ -e "$p" ]; then chmod --reference="$p" "$t"; chown --reference="$p" "$t"; else chmod 0644 "$t"; fi',
    attrScript('"$t"', attrs),
    'mv -f "$t" "$p"',
    'trap - EXIT',
  ].filter(Boolean).join('\n');
}

/** Planned content of the resource: the model's rendering (or `content` of a `file`); a binary cookbook file's bytes. */
function desiredContent(ctx: PlanContext): { content?: string | Buffer; unknown?: string } {
  const c = ctx.input.contentOf(ctx.resource.id);
  if (c && 'unknown' in c) return { unknown: c.unknown };
  if (c && 'files' in c) return { unknown: `the model gave a directory's files for ${ctx.resource.id}` };
  if (c) return { content: c.bytes ?? c.content };
  if (ctx.resource.type === 'file' || ctx.resource.resolvedType === 'file') {
    const reader = new PropReader(ctx.resource);
    const v = reader.str('content');
    if (reader.reasons.length) return { unknown: reader.reasons.join('; ') };
    return { content: v };
  }
  return { unknown: `the model gave no content for ${ctx.resource.id}` };
}

export const fileProvider: Provider = {
  types: ['file', 'template', 'cookbook_file'],
  actions: ['create', 'create_if_missing', 'delete', 'touch', 'nothing'],
  queries(r) {
    const w = fileWant(r);
    return pathQueries(w.path, w.attrs, true);
  },
  plan(ctx) {
    const w = fileWant(ctx.resource);
    if (w.reader.reasons.length) return unknownStep(w.reader.reasons.join('; '));
    const cur = ctx.state.path(w.path);
    switch (ctx.action) {
      case 'delete':
        if (!cur.ok) return unknownStep(cur.reason);
        if (cur.value.kind === 'missing') return upToDate();
        ctx.state.setPath(w.path, { kind: 'missing', by: ctx.resource.id });
        return change([{ property: 'path', from: w.path, to: null, message: `would delete ${w.path}` }]);
      case 'touch':
        ctx.state.setPath(w.path, { ...(cur.ok ? cur.value : {}), kind: 'file', by: ctx.resource.id });
        return change([{ property: 'mtime', from: null, to: 'now', message: `would touch ${w.path}` }]);
      case 'create_if_missing':
        if (cur.ok && cur.value.kind !== 'missing') return upToDate(`${w.path} exists`);
        break;
    }
    const want = desiredContent(ctx);
    if (want.unknown) return unknownStep(`content unknown: ${want.unknown}`);
    return planContentFile(ctx, w.path, w.attrs, want.content, ctx.resource.type);
  },
  apply(ctx, step): ApplyScript | undefined {
    const w = fileWant(ctx.resource);
    if (ctx.action === 'delete') return { script: `rm -f ${shQuote(w.path)}` };
    if (ctx.action === 'touch') return { script: `touch ${shQuote(w.path)}\n${attrScript(shQuote(w.path), w.attrs)}` };
    const want = desiredContent(ctx);
    if (want.unknown) throw new Error(`cannot write ${w.path}: its content is unknown (${want.unknown})`);
    if (want.content === undefined) {
      // Content not managed: create empty if missing, then set attributes only.
      return { script: `set -e\n[ -e ${shQuote(w.path)} ] || : > ${shQuote(w.path)}\n${attrScript(shQuote(w.path), w.attrs)}` };
    }
    void step;
    if (typeof want.content !== 'string') {
      // Binary bytes travel as base64 text (stdin is text) and are decoded before the usual write.
      const write = shQuote(writeFileScript(w.path, w.attrs));
      return { script: `set -e\nd=$(mktemp /tmp/.cloche-bytes-XXXXXX)\ntrap 'rm -f "$d"' EXIT\nbase64 -d > "$d"\nsh -c ${write} < "$d"`, stdin: want.content.toString('base64') };
    }
    return { script: writeFileScript(w.path, w.attrs), stdin: want.content };
  },
};
